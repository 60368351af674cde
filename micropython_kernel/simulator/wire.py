"""The host's end of the hardware wire between the kernel and the simulated board's VM.

Two pipes, separate from the console, so printed output never mixes with hardware traffic. The VM's
end is ``mpy/_simwire.py``; ``tests/test_wire_contract.py`` checks that both ends speak this:

VM -> host, frames of a type byte + a 4-byte little-endian length + the payload:
  ``D``  ``"code kind target"``: declares a numeric code for the fast path
  ``T``  ``"ticks_us kind target value\\n"`` per event; value: ``str(number)``, or items joined by ","
  ``B``  ``array("i")`` of pairs ``(code << 20 | value, ticks_us)``: pin levels and ADC values, cheaply
ticks_us is the VM's CLOCK_MONOTONIC in microseconds modulo 2**30 (``host_seconds`` unwraps it).

host -> VM, lines: ``"name value"`` (a number), ``"name ~kind rate amplitude offset"`` (a generator the
VM evaluates when code reads the input: exact in tight loops, no traffic), ``"name"`` alone (released);
``"!"`` ends the VM's idle() (a cell waits for the prompt), ``"?"`` asks it to declare its codes again.

Everything from the VM is untrusted (user code can write to the pipe or call ``_simhw.emit``): what
does not decode is dropped and counted, never fatal.
"""

from __future__ import annotations

import logging
import math
import time
from array import array
from typing import Any

from ..board.signals import Constant, Generator, Signal

log = logging.getLogger(__name__)
EVENTS_FD_ENV = "MPK_EVENTS_FD"  # the VM's end of the event pipe, by number
INPUTS_FD_ENV = "MPK_INPUTS_FD"  # the VM's end of the input pipe
TICKS_MASK = (1 << 30) - 1  # the VM's ticks_us wrap at 2**30
VALUE_MASK = (1 << 20) - 1  # fast-path records: code << 20 | value
PIPE_BYTES = 1 << 20  # a larger event pipe lets the VM run ahead of the kernel in a flood
WAKE = b"!\n"
REDECLARE = b"?\n"
KINDS = (b"D", b"B", b"T")

Decoded = tuple[int, str, str, Any]  # (ticks_us, kind, target, value)
Segment = list[Decoded] | array  # a T frame's events, or a B frame's raw records


# -- host -> VM --------------------------------------------------------------------------------
def signal_wire(signal: Signal) -> str:
    """A signal the VM evaluates itself, as an input line's value: a number, or a generator's formula."""
    if isinstance(signal, Constant):
        return repr(float(signal.value))
    if isinstance(signal, Generator):
        return f"~{signal.kind} {signal.rate!r} {float(signal.amplitude)!r} {float(signal.offset)!r}"
    raise TypeError(f"the simulated board cannot evaluate a {type(signal).__name__}")


def input_line(name: str, wire: str | None) -> bytes:
    """The line that sets input ``name`` to ``wire`` (from ``signal_wire``), or releases it (None)."""
    return f"{name} {wire}\n".encode() if wire else f"{name}\n".encode()


# -- VM -> host --------------------------------------------------------------------------------
def _finite(text: str) -> float:
    """A finite number from the wire; ValueError for anything else (inf, nan, junk)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def decode_value(kind: str, text: str) -> Any:
    """The Python value of an event from its text form on the wire; ValueError if it has not the
    kind's shape."""
    if kind in ("pin", "adc"):
        return int(_finite(text))
    if kind == "pwm":  # "duty,freq": duty as 0..1
        duty, _, freq = text.partition(",")
        return (_finite(duty), int(_finite(freq)) if freq else None)
    if kind == "mode":  # "mode,pull"
        mode, _, pull = text.partition(",")
        return (mode, pull or None)
    if kind == "display":  # "00000:09090:..." rows of brightness digits
        rows = [[int(c) for c in row] for row in text.split(":")]
        if len({len(row) for row in rows}) != 1 or not all(0 <= v <= 9 for row in rows for v in row):
            raise ValueError(f"not rows of brightness digits: {text[:40]!r}")
        return rows
    if kind == "neopixel":  # "rrggbb,rrggbb,...": one (r, g, b) a pixel
        return [tuple(bytes.fromhex(colour)) for colour in text.split(",") if len(colour) == 6]
    try:
        return _finite(text)
    except ValueError:
        return text


def _plausible_frame(raw: bytearray, pos: int) -> bool:
    """Does a frame start at ``pos``? (Only asked after bytes that were not one.)"""
    kind = raw[pos : pos + 1]
    if kind not in KINDS or len(raw) - pos < 6:
        return kind in KINDS and len(raw) - pos < 6  # too short to tell: wait for more
    size = int.from_bytes(raw[pos + 1 : pos + 5], "little")
    if size > PIPE_BYTES:
        return False
    first = raw[pos + 5]
    if kind == b"B":
        return size % 8 == 0
    return 48 <= first <= 57  # D and T payloads start with a number (a code, the ticks)


class EventReader:
    """Bytes from the event pipe -> segments of events, keeping the VM's code declarations."""

    def __init__(self) -> None:
        self.codes: dict[int, tuple[str, str]] = {}  # fast-path code -> (kind, target)
        self.raw = bytearray()
        self.dropped = 0  # events that did not decode
        self.junk = False  # bytes that were no frame were skipped: ask the VM to declare again

    def reset(self) -> None:
        """A new VM: its codes are its own."""
        self.codes.clear()
        self.raw.clear()

    def segments(self) -> list[Segment]:
        """The complete frames received so far, decoded (a partial frame stays for the next call)."""
        frames, used = self._frames()
        segments: list[Segment] = []
        for kind, payload in frames:
            if kind == b"D":
                code, _, rest = payload.decode("utf-8", "replace").partition(" ")
                kind_name, _, target = rest.partition(" ")
                if code.isdigit():
                    self.codes[int(code)] = (kind_name, target)
            elif kind == b"B":
                segments.append(array("i", payload))
            else:
                segments.append(self._decode_text(payload))
        del self.raw[:used]
        return segments

    def _frames(self) -> tuple[list[tuple[bytes, bytes]], int]:
        frames = []
        raw = self.raw
        pos = 0
        while len(raw) - pos >= 5:
            if not _plausible_frame(raw, pos):  # code wrote to the pipe itself: skip to a frame
                start = pos
                pos += 1
                while pos < len(raw) and not _plausible_frame(raw, pos):
                    pos += 1
                log.warning("unreadable hardware events dropped (%d bytes)", pos - start)
                self.junk = True
                continue
            size = int.from_bytes(raw[pos + 1 : pos + 5], "little")
            if len(raw) - pos - 5 < size:
                break
            frames.append((bytes(raw[pos : pos + 1]), bytes(raw[pos + 5 : pos + 5 + size])))
            pos += 5 + size
        return frames, pos

    def _decode_text(self, payload: bytes) -> list[Decoded]:
        decoded = []
        for line in payload.decode("utf-8", "replace").splitlines():
            parts = line.split(" ", 3)
            try:
                if len(parts) != 4:
                    raise ValueError("not 'ticks kind target value'")
                decoded.append((int(parts[0]), parts[1], parts[2], decode_value(parts[1], parts[3])))
            except (ValueError, OverflowError, TypeError):
                self.dropped += 1
        return decoded

    def fast_records(self, records: array, start: int = 0) -> list[Decoded]:
        """A B frame's records as events (those of codes not declared yet are skipped: after junk on
        the pipe, until the VM declares again)."""
        codes = self.codes
        out = []
        for i in range(start, len(records), 2):
            code = records[i]
            named = codes.get(code >> 20)
            if named is not None:
                out.append((records[i + 1], named[0], named[1], code & VALUE_MASK))
        return out


def host_seconds(ticks: int, now_us: int | None = None) -> float:
    """VM ticks (CLOCK_MONOTONIC us mod 2**30) -> host ``time.monotonic()`` seconds."""
    now = time.monotonic_ns() // 1000 if now_us is None else now_us
    age = (now - ticks) & TICKS_MASK
    return (now - age) / 1e6 if age < 60_000_000 else now / 1e6  # a clock we cannot map: now
