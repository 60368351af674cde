"""Timeline: every hardware change of the board with its time on the board's clock, in a bounded ring.

The logic analyzer's record (``%timeline``, ``%export timeline F.vcd``, ``timeline`` in ``%%host``). Each
event is a row of four numpy columns (18 bytes: time in microseconds, channel, value, aux), kept
in a ring of ``capacity`` rows (default 2**20 = 1,048,576 events = 18.9 MB at most, allocated by the
system as it fills); older events are overwritten. A channel is a (kind, target) pair such as ("pin",
"GPIO2"); what a number cannot hold (a bus transfer, a display frame, a pin's mode) is a *detail*, kept
in a second bounded ring and referenced from ``aux``.

Times are integer microseconds on the board's clock: for the simulated board the VM's own ``ticks_us``
at the moment of the change (CLOCK_MONOTONIC, unwrapped), so the record is exact; for a real board the
kernel's samples (``sampled`` says so). ``t`` in seconds counts from ``origin_us``, the first event's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas

DEFAULT_CAPACITY = 1 << 20
DEFAULT_DETAILS = 1 << 16
COLUMNS = {"t": np.int64, "channel": np.uint16, "value": np.float32, "aux": np.int32}  # 18 bytes an event


class Rows:
    """Events as columns (``rows["t"]``, ``rows["channel"]``, ``rows["value"]``, ``rows["aux"]``); any
    other index (a mask, a slice, positions) selects rows of every column. Shared: do not modify."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self._columns = columns

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._columns[key]
        return Rows({name: column[key] for name, column in self._columns.items()})

    def __len__(self) -> int:
        return len(self._columns["t"])


LEVEL_KINDS = ("pin", "pwm", "adc")  # the kinds whose target is a pin


@dataclass(frozen=True)
class BusTransfer:
    """What one bus operation put on the wire (see ``_sim_i2c.wire`` for the tokens).

    I2C tokens: "S" start, "P" stop, "wXX+"/"wXX-" a byte written (ACKed or not), "rXX+"/"rXX-" a byte
    read (the controller's ACK or NACK); SPI: a mode token ("00M": polarity, phase, MSB/LSB first), then
    "XX/YY" a MOSI byte and the MISO byte clocked in with it."""

    bus: str  # "i2c" or "spi"
    start_us: int  # on the board's clock, like the events
    rate_hz: int
    pins: tuple[str, ...]  # (SCL, SDA) or (SCK, MOSI, MISO), as the board names them
    tokens: tuple[str, ...]

    def address(self) -> int | None:
        """The 7-bit address of the first address byte after a start (I2C)."""
        after_start = False
        for token in self.tokens:
            if token == "S":
                after_start = True
            elif after_start and token[0] == "w":
                return int(token[1:3], 16) >> 1
            else:
                after_start = False
        return None

    def describe(self) -> str:
        """A short label: "0x38 write ac 33 00", "0x38 read 1c ...", "SPI write 12 34"."""
        if self.bus == "spi":
            return "write " + " ".join(token[:2] for token in self.tokens[1:17])
        parts: list[str] = []
        after_start = False
        for token in self.tokens:
            if token in ("S", "P"):
                after_start = token == "S"
                continue
            if after_start:
                byte = int(token[1:3], 16)
                nack = "" if token[3] == "+" else " nack"
                parts.append(f"0x{byte >> 1:02x} {'read' if byte & 1 else 'write'}{nack}")
                after_start = False
            elif len(parts) < 20:
                parts.append(token[1:3])
        return " ".join(parts)


class Timeline:
    """A bounded, time-ordered record of hardware changes (see the module's docstring)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, details: int = DEFAULT_DETAILS) -> None:
        self.capacity = capacity
        self.on = True  # %timeline off: changes are not recorded (the board panel still follows them)
        self.origin_us: int | None = None  # t = 0: the first event's time (kept by clear())
        self.sampled = False  # True once a real board's pins were sampled into it (not exact)
        self.sample_note = ""  # how the samples are taken, for the view
        self.total = 0  # events ever appended (the ring keeps the newest ``capacity``)
        self.version = 0
        # The ring, a column per field: plain aligned arrays (a packed structured array was 5x slower to
        # filter). np.zeros leaves the pages to the system until they are written.
        self._ring = {name: np.zeros(capacity, dtype) for name, dtype in COLUMNS.items()}
        self._channels: list[tuple[str, str]] = []
        self._channel_index: dict[tuple[str, str], int] = {}
        self._details: list[Any] = [None] * details
        self._detail_total = 0

    # -- writing ---------------------------------------------------------------------------------
    def channel(self, kind: str, target: str) -> int:
        """The channel number of (kind, target), made on first use."""
        key = (kind, target)
        number = self._channel_index.get(key)
        if number is None:
            if len(self._channels) >= 65535:
                raise OverflowError("too many timeline channels")
            number = self._channel_index[key] = len(self._channels)
            self._channels.append(key)
        return number

    def add_detail(self, detail: Any) -> int:
        """Keep ``detail`` (a BusTransfer, display rows ...) and return its reference for ``aux``."""
        reference = self._detail_total
        self._details[reference % len(self._details)] = detail
        self._detail_total += 1
        return reference

    def detail(self, reference: int) -> Any:
        """The detail ``reference`` names, or None when the ring has overwritten it."""
        if not max(0, self._detail_total - len(self._details)) <= reference < self._detail_total:
            return None
        return self._details[reference % len(self._details)]

    def append(
        self,
        t_us: np.ndarray,
        channels: np.ndarray,
        values: np.ndarray,
        aux: np.ndarray | int = 0,
    ) -> None:
        """Append events (arrays of equal length, in time order) unless recording is off."""
        count = len(t_us)
        if not self.on or count == 0:
            return
        if self.origin_us is None:
            self.origin_us = int(t_us[0])
        if count > self.capacity:  # only the newest fit
            cut = count - self.capacity
            self.total += cut
            t_us, channels, values = t_us[cut:], channels[cut:], values[cut:]
            aux = aux[cut:] if isinstance(aux, np.ndarray) else aux
            count = self.capacity
        ring = self._ring
        pos = self.total % self.capacity
        first = min(count, self.capacity - pos)
        for start, stop, offset in ((pos, pos + first, 0), (0, count - first, first)):
            if stop <= start:
                continue
            rows = slice(offset, offset + stop - start)
            ring["t"][start:stop] = t_us[rows]
            ring["channel"][start:stop] = channels[rows]
            ring["value"][start:stop] = values[rows]
            ring["aux"][start:stop] = aux[rows] if isinstance(aux, np.ndarray) else aux
        self.total += count
        self.version += 1

    def append_one(self, t_us: int, kind: str, target: str, value: float, aux: int = 0) -> None:
        if not self.on:
            return
        if self.origin_us is None:
            self.origin_us = int(t_us)
        ring = self._ring
        pos = self.total % self.capacity
        ring["t"][pos], ring["channel"][pos] = t_us, self.channel(kind, target)
        ring["value"][pos], ring["aux"][pos] = value, aux
        self.total += 1
        self.version += 1

    def clear(self) -> None:
        """Forget every event (channels and the origin stay)."""
        self.total = 0
        self._detail_total = 0
        self.version += 1

    # -- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return min(self.total, self.capacity)

    @property
    def memory_bytes(self) -> int:
        """The ring's bound in bytes (the rows; details and channel names come on top)."""
        return sum(column.nbytes for column in self._ring.values())

    def channels(self) -> list[tuple[str, str]]:
        return list(self._channels)

    def kind_target(self, channel: int) -> tuple[str, str]:
        return self._channels[channel]

    def events(self) -> Rows:
        """The recorded events, oldest first: a copy (18 bytes an event, freed with it), so ask once and
        pass it on (``of``, the view's ``lane_data``)."""
        size, pos = len(self), self.total % self.capacity
        if self.total <= self.capacity:
            columns = {name: column[:size].copy() for name, column in self._ring.items()}
        else:
            columns = {name: np.concatenate((c[pos:], c[:pos])) for name, c in self._ring.items()}
        t = columns["t"]
        if size > 1 and not bool(np.all(t[1:] >= t[:-1])):  # (host-driven inputs interleave)
            order = np.argsort(t, kind="stable")
            columns = {name: column[order] for name, column in columns.items()}
        return Rows(columns)

    def of(self, kind: str, target: str, rows: Rows | None = None) -> Rows:
        """The events of one channel (empty if it never changed), from ``rows`` or all events."""
        rows = self.events() if rows is None else rows
        number = self._channel_index.get((kind, target))
        if number is None:
            return rows[:0]
        return rows[rows["channel"] == number]

    def pins(self) -> list[str]:
        """Targets of pin-like channels (pin levels, PWM, ADC), in order of first appearance."""
        seen: list[str] = []
        for kind, target in self._channels:
            if kind in LEVEL_KINDS and target not in seen:
                seen.append(target)
        return seen

    def resolve(self, pin: str | int) -> str:
        """The board's name of ``pin`` ("GPIO2", or 2 for the pin named ...2); ValueError if it never
        changed."""
        names = self.pins() + [target for kind, target in self._channels if kind not in LEVEL_KINDS]
        text = str(pin)
        if text in names:
            return text
        for name in names:
            if name.lower() == text.lower():
                return name
        if text.isdigit():
            matches = [name for name in self.pins() if _trailing_number(name) == int(text)]
            if len(matches) == 1:
                return matches[0]
        known = ", ".join(self.pins()) or "none yet"
        raise ValueError(f"no timeline events for pin {pin!r} (pins with events: {known})")

    def seconds(self, t_us: np.ndarray | int) -> Any:
        """Board microseconds as seconds since the first recorded event."""
        return (np.asarray(t_us) - (self.origin_us or 0)) / 1e6

    def to_frame(self) -> pandas.DataFrame:
        """The events as a DataFrame: t (s, board clock), pin, value, kind, detail (text or None)."""
        import pandas

        rows = self.events()
        channel = rows["channel"].astype(np.intp)
        columns: dict[str, Any] = {"t": self.seconds(rows["t"])}
        targets, kinds = [t for _, t in self._channels], [k for k, _ in self._channels]
        for column, names in (("pin", targets), ("kind", kinds)):
            categories = list(dict.fromkeys(names))  # (a target has a channel for each kind)
            codes = np.array([categories.index(name) for name in names] or [0], dtype=np.intp)
            columns[column] = pandas.Categorical.from_codes(codes[channel], categories or [""])
        columns["value"] = rows["value"].astype(np.float64)
        frame = pandas.DataFrame({name: columns[name] for name in ("t", "pin", "value", "kind")})
        detail = np.full(len(rows), None, dtype=object)
        detailed = np.array([kind in DETAIL_KINDS for kind in kinds] or [False])
        for index in np.flatnonzero(detailed[channel]):
            detail[index] = _describe(self.detail(int(rows["aux"][index])))
        pwm = np.array([kind == "pwm" for kind in kinds] or [False])
        for index in np.flatnonzero(pwm[channel]):
            detail[index] = f"{int(rows['aux'][index])} Hz"
        frame["detail"] = detail
        return frame


DETAIL_KINDS = ("i2c", "spi", "display", "mode", "neopixel")


def _describe(detail: Any) -> str | None:
    if detail is None:
        return None
    if isinstance(detail, BusTransfer):
        return detail.describe()
    if isinstance(detail, (list, tuple)) and detail and isinstance(detail[0], (list, tuple)):
        return ":".join("".join(str(v) for v in row) for row in detail)  # display rows
    return str(detail)


def _trailing_number(name: str) -> int | None:
    digits = ""
    for char in reversed(name):
        if not char.isdigit():
            break
        digits = char + digits
    return int(digits) if digits else None


# -- measurements of one pin (the %%host helpers and the view's readout) --------------------------
def _span(times: np.ndarray, start: float | None, end: float | None) -> np.ndarray:
    keep = np.ones(len(times), dtype=bool)
    if start is not None:
        keep &= times >= start
    if end is not None:
        keep &= times <= end
    return keep


def levels(timeline: Timeline, pin: str | int) -> tuple[np.ndarray, np.ndarray]:
    """(t seconds, level 0/1) of every recorded level of ``pin``, oldest first."""
    rows = timeline.of("pin", timeline.resolve(pin))
    return timeline.seconds(rows["t"]), (rows["value"] >= 0.5).astype(np.int8)


def edge_times(
    timeline: Timeline, pin: str | int, start: float | None = None, end: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(t, new level) of each change of ``pin``'s level within [start, end] seconds. The first recorded
    level is not an edge (what it was before is unknown)."""
    times, level = levels(timeline, pin)
    if len(level) < 2:
        return times[:0], level[:0]
    changed = np.flatnonzero(level[1:] != level[:-1]) + 1
    times, level = times[changed], level[changed]
    keep = _span(times, start, end)
    return times[keep], level[keep]


def edges(
    timeline: Timeline, pin: str | int, start: float | None = None, end: float | None = None
) -> pandas.DataFrame:
    """The edges of ``pin`` as a DataFrame: t (s, board clock), value (the level after), edge
    ("rising"/"falling")."""
    import pandas

    times, level = edge_times(timeline, pin, start, end)
    return pandas.DataFrame(
        {"t": times, "value": level.astype(int), "edge": np.where(level == 1, "rising", "falling")}
    )


def _pwm_setting(timeline: Timeline, pin: str | int, end: float | None) -> tuple[float, int] | None:
    """(duty 0..1, freq Hz) of ``pin``'s PWM in force at ``end`` (the newest when None), if any."""
    try:
        name = timeline.resolve(pin)
    except ValueError:
        return None
    rows = timeline.of("pwm", name)
    if end is not None:
        rows = rows[timeline.seconds(rows["t"]) <= end]
    if not len(rows):
        return None
    return float(rows["value"][-1]), int(rows["aux"][-1])


def _cycles(
    timeline: Timeline, pin: str | int, start: float | None, end: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """(length, high time) in seconds of each whole cycle (rising edge to rising edge) in the span."""
    times, level = edge_times(timeline, pin, start, end)
    rising = np.flatnonzero(level == 1)
    if len(rising) < 2:
        return np.zeros(0), np.zeros(0)
    first, last = rising[:-1], rising[1:]
    lengths = times[last] - times[first]
    # the falling edge after each rising one (edges alternate: it is the next edge, if inside the cycle)
    falls = np.minimum(first + 1, len(times) - 1)
    highs = np.where(falls < last, times[falls] - times[first], lengths)
    return lengths, highs


def period(timeline: Timeline, pin: str | int, start: float | None = None, end: float | None = None) -> float:
    """Time in seconds from one rising edge of ``pin`` to the next (a whole cycle): the median over the
    cycles in the span, so a pause between cells does not count as one long cycle; for a PWM pin
    without edges, 1/freq; NaN when there are fewer than two rising edges."""
    lengths, _ = _cycles(timeline, pin, start, end)
    if len(lengths):
        return float(np.median(lengths))
    pwm = _pwm_setting(timeline, pin, end)
    if pwm is not None and pwm[1] > 0:
        return 1.0 / pwm[1]
    return float("nan")


def frequency(
    timeline: Timeline, pin: str | int, start: float | None = None, end: float | None = None
) -> float:
    """Cycles a second of ``pin`` (1 / period); NaN without a period."""
    value = period(timeline, pin, start, end)
    return 1.0 / value if value > 0 else float("nan")


def duty(timeline: Timeline, pin: str | int, start: float | None = None, end: float | None = None) -> float:
    """Share of each cycle ``pin`` is high (0..1), the median over the cycles in the span; for a PWM pin
    without edges, its duty setting; NaN when neither is known."""
    lengths, highs = _cycles(timeline, pin, start, end)
    if len(lengths):
        return float(np.median(highs / lengths))
    pwm = _pwm_setting(timeline, pin, end)
    return pwm[0] if pwm is not None else float("nan")


def pulse_width(
    timeline: Timeline, pin: str | int, start: float | None = None, end: float | None = None, level: int = 1
) -> float:
    """Duration in seconds of ``pin``'s pulses at ``level`` (1: high pulses) that begin and end within
    the span, the median of them; for a PWM pin without edges, from its duty and frequency; NaN if none."""
    times, new = edge_times(timeline, pin, start, end)
    starts = np.flatnonzero(new[:-1] == level)
    if len(starts):
        return float(np.median(times[starts + 1] - times[starts]))
    pwm = _pwm_setting(timeline, pin, end)
    if pwm is not None and pwm[1] > 0:
        share = pwm[0] if level == 1 else 1 - pwm[0]
        return share / pwm[1]
    return float("nan")


HELPERS = {"edges": edges, "period": period, "frequency": frequency, "duty": duty, "pulse_width": pulse_width}


def bind_helpers(timeline: Timeline) -> dict[str, Any]:
    """The ``%%host`` helpers bound to ``timeline``: edges(pin, start=None, end=None) and the rest."""
    bound = {}
    for name, function in HELPERS.items():

        def helper(pin: str | int, *args: Any, _function: Any = function, **kwargs: Any) -> Any:
            return _function(timeline, pin, *args, **kwargs)

        helper.__name__ = name
        helper.__doc__ = function.__doc__
        bound[name] = helper
    return bound
