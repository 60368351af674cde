"""The timeline as a Value Change Dump (PulseView, GTKWave, ``sigrok-cli -I vcd``), written with pyvcd.

One 1-bit wire per pin, named as the board names it; PWM pins as two real variables (``NAME.duty``
0..1 and ``NAME.freq`` in Hz), ADC readings as ``NAME.adc`` (read_u16 scale) and sensor quantities
(``aht20.temperature``) as real variables; I2C and SPI transfers
as the bit-level waveforms of their lines (SCL/SDA, SCK/MOSI/MISO) at the bus's clock rate, so sigrok's
protocol decoders find the same addresses and bytes the driver sent. The timescale is the coarsest
power of ten that still resolves a quarter of the fastest bus's clock (1 us with no bus).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from vcd import VCDWriter

from .timeline import BusTransfer, Timeline

_REAL_KINDS = ("adc", "sensor")


def _timescale_ns(rates: list[int]) -> int:
    """1000 (1 us), 100, 10 or 1 ns: the coarsest that resolves a quarter clock of every bus."""
    quarter = min((1e9 / rate / 4 for rate in rates if rate > 0), default=1000.0)
    for step in (1000, 100, 10):
        if step <= quarter:
            return step
    return 1


class _Wave:
    """Level changes of the bus lines, in ns, as (time, line, level)."""

    def __init__(self) -> None:
        self.changes: list[tuple[int, str, int]] = []
        self.level: dict[str, int] = {}

    def set(self, t: float, line: str, level: int) -> None:
        if self.level.get(line) != level:
            self.level[line] = level
            self.changes.append((int(t), line, level))


def _i2c_wave(transfers: list[BusTransfer], wave: _Wave) -> None:
    """Each transfer's tokens as SCL/SDA edges; lines idle high (the pull-ups)."""
    end = 0.0
    busy: dict[tuple[str, ...], bool] = {}
    for transfer in transfers:
        if len(transfer.pins) < 2:
            continue
        scl, sda = transfer.pins[:2]
        q = 1e9 / max(transfer.rate_hz, 1) / 4  # a quarter of a clock, ns
        t = max(transfer.start_us * 1000.0, end)
        if transfer.pins not in busy:
            wave.set(t, scl, 1)
            wave.set(t, sda, 1)
            t += 4 * q
        for token in transfer.tokens:
            if token == "S":
                if busy.get(transfer.pins):  # a repeated start: release SDA, then SCL
                    wave.set(t, sda, 1)
                    wave.set(t + q, scl, 1)
                    t += 2 * q
                wave.set(t, sda, 0)  # SDA falls while SCL is high
                wave.set(t + q, scl, 0)
                t += 2 * q
                busy[transfer.pins] = True
            elif token == "P":
                wave.set(t, sda, 0)
                wave.set(t + q, scl, 1)
                wave.set(t + 2 * q, sda, 1)  # SDA rises while SCL is high
                t += 4 * q
                busy[transfer.pins] = False
            elif len(token) == 4 and token[0] in "rw":
                byte, acked = int(token[1:3], 16), token[3] == "+"
                bits = [(byte >> (7 - i)) & 1 for i in range(8)] + [0 if acked else 1]
                for bit in bits:
                    wave.set(t + q, sda, bit)  # data changes while SCL is low
                    wave.set(t + 2 * q, scl, 1)
                    wave.set(t + 4 * q, scl, 0)
                    t += 4 * q
        end = t
    for transfer in transfers[-1:]:
        if len(transfer.pins) >= 2:
            wave.set(end, transfer.pins[0], 1)


def _spi_wave(transfers: list[BusTransfer], wave: _Wave) -> None:
    """Each transfer's bytes as SCK/MOSI/MISO edges in its mode (polarity, phase, bit order)."""
    end = 0.0
    for transfer in transfers:
        if len(transfer.pins) < 3 or not transfer.tokens:
            continue
        sck, mosi, miso = transfer.pins[:3]
        mode = transfer.tokens[0]
        polarity, phase, lsb = int(mode[0]), int(mode[1]), mode[2:3] == "L"
        half = 1e9 / max(transfer.rate_hz, 1) / 2
        t = max(transfer.start_us * 1000.0, end)
        wave.set(t, sck, polarity)
        t += half
        for token in transfer.tokens[1:]:
            out, _, back = token.partition("/")
            sent, got = int(out, 16), int(back or "ff", 16)
            for i in range(8):
                shift = i if lsb else 7 - i
                if phase == 0:  # data before the leading edge, sampled on it
                    wave.set(t, mosi, (sent >> shift) & 1)
                    wave.set(t, miso, (got >> shift) & 1)
                    wave.set(t + half / 2, sck, 1 - polarity)
                    wave.set(t + half * 1.5, sck, polarity)
                else:  # data on the leading edge, sampled on the trailing one
                    wave.set(t + half / 2, sck, 1 - polarity)
                    wave.set(t + half / 2, mosi, (sent >> shift) & 1)
                    wave.set(t + half / 2, miso, (got >> shift) & 1)
                    wave.set(t + half * 1.5, sck, polarity)
                t += 2 * half
        end = t + half


def _real_name(kind: str, target: str) -> str:
    """An ADC pin's readings are "GPIO34.adc" (its digital level, if any, keeps the pin's name)."""
    return f"{target}.adc" if kind == "adc" else target


def _identifier(name: str) -> str:
    return "".join(c if c.isalnum() or c in "_." else "_" for c in name) or "unnamed"


def write_vcd(timeline: Timeline, path: Path, scope: str = "board") -> int:
    """Write ``timeline`` to ``path``; returns how many value changes were written."""
    rows = timeline.events()
    channels = timeline.channels()
    kinds = np.array([kind for kind, _ in channels] or [""], dtype=object)
    channel_of = rows["channel"].astype(np.intp)
    transfers: dict[str, list[BusTransfer]] = {"i2c": [], "spi": []}
    for index in np.flatnonzero(np.isin(kinds[channel_of], ["i2c", "spi"])):
        transfer = timeline.detail(int(rows["aux"][index]))
        if isinstance(transfer, BusTransfer):
            transfers[transfer.bus].append(transfer)
    for bus in transfers.values():
        bus.sort(key=lambda transfer: transfer.start_us)
    wave = _Wave()
    _i2c_wave(transfers["i2c"], wave)
    _spi_wave(transfers["spi"], wave)
    wave.changes.sort(key=lambda change: change[0])  # (the buses' waves interleave)
    step = _timescale_ns([t.rate_hz for bus in transfers.values() for t in bus])
    origin_ns = int(rows["t"][0]) * 1000 if len(rows) else 0
    if wave.changes:
        origin_ns = min(origin_ns, wave.changes[0][0]) if len(rows) else wave.changes[0][0]

    written = 0
    timescale = f"{step} ns" if step < 1000 else "1 us"
    comment = "micropython-kernel timeline"
    with (
        open(path, "w", encoding="ascii") as file,
        VCDWriter(file, timescale=timescale, date=None, comment=comment) as writer,
    ):
        wires: dict[str, object] = {}
        reals: dict[str, object] = {}
        taken: set[str] = set()

        def register(name: str, var_type: str, size: int | None) -> object:
            identifier, n = _identifier(name), 1
            while identifier in taken:  # (names from the board may clash once made identifiers)
                n += 1
                identifier = f"{_identifier(name)}_{n}"
            taken.add(identifier)
            return writer.register_var(scope, identifier, var_type, size=size)

        def wire(name: str) -> object:
            if name not in wires:
                wires[name] = register(name, "wire", 1)
            return wires[name]

        def real(name: str) -> object:
            if name not in reals:
                reals[name] = register(name, "real", None)
            return reals[name]

        for kind, target in channels:  # declare everything first: names in the order they appeared
            if kind == "pin":
                wire(target)
            elif kind == "pwm":
                real(f"{target}.duty"), real(f"{target}.freq")
            elif kind in _REAL_KINDS:
                real(_real_name(kind, target))
        for _, line, _ in wave.changes:
            wire(line)
        for when, var, value in _merged(rows, channels, wave, origin_ns, step, wire, real):
            writer.change(var, when, value)
            written += 1
    return written


def _merged(rows, channels, wave, origin_ns, step, wire, real) -> Iterator[tuple[int, object, object]]:
    """Every change in time order, in timescale steps from the first."""
    event_times = (rows["t"].astype(np.int64) * 1000 - origin_ns) // step
    wave_times = [(t - origin_ns) // step for t, _, _ in wave.changes]
    i = j = 0
    count, total_wave = len(rows), len(wave.changes)
    values, auxes, channel_of = rows["value"], rows["aux"], rows["channel"]
    while i < count or j < total_wave:
        if j >= total_wave or (i < count and event_times[i] <= wave_times[j]):
            kind, target = channels[channel_of[i]]
            when = int(event_times[i])
            if kind == "pin":
                yield when, wire(target), int(values[i] >= 0.5)
            elif kind == "pwm":
                yield when, real(f"{target}.duty"), float(values[i])
                yield when, real(f"{target}.freq"), float(auxes[i])
            elif kind in _REAL_KINDS:
                yield when, real(_real_name(kind, target)), float(values[i])
            i += 1
        else:
            _, line, level = wave.changes[j]
            yield int(wave_times[j]), wire(line), level
            j += 1
