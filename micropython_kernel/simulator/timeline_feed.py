"""TimelineFeed: the simulated board's hardware events, every one of them, into the board's Timeline.

The hardware model hands over each batch before it coalesces floods for the board panel, so the
timeline keeps every pin change. Fast-path records (pin levels, ADC readings: ``code << 20 | value``
with the VM's ``ticks_us``) are converted with numpy in one go; the rarer text events (PWM, display,
bus transfers, modes, sensors) one by one. Times are the VM's ``ticks_us`` (CLOCK_MONOTONIC in
microseconds modulo 2**30), unwrapped against the host's CLOCK_MONOTONIC: the board's own clock.
"""

from __future__ import annotations

import re
from array import array
from typing import Any

import numpy as np

from ..board.timeline import BusTransfer, Timeline
from .wire import TICKS_MASK as _TICKS_MASK
from .wire import VALUE_MASK as _VALUE_MASK

# Text events kept as numbers (value, aux) or as details; the rest ("i2c"/"spi" summaries, which the
# "bus" events describe in full, the heap sampler's "heap") are not timeline events.
_NUMERIC = ("pin", "adc", "sensor")
_DETAILED = ("display", "neopixel", "mode")


def unwrap(ticks: np.ndarray | int, now_us: int) -> Any:
    """VM ticks_us (mod 2**30) -> microseconds on CLOCK_MONOTONIC, assuming they are < 17 min old."""
    return now_us - ((now_us - np.asarray(ticks, dtype=np.int64)) & _TICKS_MASK)


class TimelineFeed:
    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._lookup = np.zeros(0, dtype=np.int32)  # VM code -> timeline channel (-1: not kept)
        self._looked_up: dict[int, tuple[str, str]] = {}

    def _channels_for(self, codes: dict[int, tuple[str, str]]) -> np.ndarray:
        if codes != self._looked_up:
            lookup = np.full(max(codes, default=-1) + 1, -1, dtype=np.int32)
            for code, (kind, target) in codes.items():
                lookup[code] = self.timeline.channel(kind, target)
            self._lookup, self._looked_up = lookup, dict(codes)
        return self._lookup

    def fast(self, records: array[int], codes: dict[int, tuple[str, str]], now_us: int) -> None:
        """Fast-path records: int32 pairs (code << 20 | value, ticks_us)."""
        if not self.timeline.on or not records:
            return
        pairs = np.frombuffer(records, dtype=np.int32).reshape(-1, 2)
        lookup = self._channels_for(codes)
        code = pairs[:, 0] >> 20
        channel = np.full(len(code), -1, dtype=np.int32)
        known = code < len(lookup)
        channel[known] = lookup[code[known]]
        keep = channel >= 0
        if not keep.all():  # (codes unknown after junk on the pipe)
            pairs, channel = pairs[keep], channel[keep]
        values = (pairs[:, 0] & _VALUE_MASK).astype(np.float32)
        self.timeline.append(unwrap(pairs[:, 1], now_us), channel.astype(np.uint16), values)

    def text(self, events: list[tuple[int, str, str, Any]], now_us: int) -> None:
        """Decoded text events: (ticks_us, kind, target, value)."""
        timeline = self.timeline
        if not timeline.on:
            return
        for ticks, kind, target, value in events:
            t = now_us - ((now_us - ticks) & _TICKS_MASK)  # (unwrap, in plain ints)
            if kind in _NUMERIC:
                if isinstance(value, (int, float)):
                    timeline.append_one(t, kind, target, float(value))
            elif kind == "pwm":
                duty, freq = value
                timeline.append_one(t, kind, target, duty, int(freq or 0))
            elif kind in _DETAILED:
                timeline.append_one(t, kind, target, 0.0, timeline.add_detail(value))
            elif kind == "bus":
                transfer = _bus_transfer(target, str(value), t)
                if transfer is not None:
                    label = f"{target.upper()}({','.join(transfer.pins)})"
                    address = float(transfer.address() or 0)
                    reference = timeline.add_detail(transfer)
                    timeline.append_one(transfer.start_us, target, label, address, reference)


_TOKENS = {
    "i2c": re.compile(r"(S|P|[rw][0-9a-f]{2}[+-])\Z"),
    "spi": re.compile(r"([01][01][LM]|[0-9a-f]{2}/[0-9a-f]{2})\Z"),
}


def _bus_transfer(bus: str, text: str, event_us: int) -> BusTransfer | None:
    """Parse a "bus" event: "start_us rate_hz PIN,PIN tokens..." (see _sim_i2c.wire); None if it is
    not one (events are untrusted: user code can call _simhw.emit)."""
    words = text.split()
    pattern = _TOKENS.get(bus)
    if pattern is None or len(words) < 3 or not words[0].isdigit() or not words[1].isdigit():
        return None
    if int(words[1]) <= 0 or not all(pattern.match(token) for token in words[3:]):
        return None
    if bus == "spi" and (len(words) < 4 or len(words[3]) != 3):
        return None
    start = event_us - ((event_us - int(words[0])) & _TICKS_MASK)
    return BusTransfer(bus, start, int(words[1]), tuple(words[2].split(",")), tuple(words[3:]))
