"""Magics for the simulated board's hardware: %signal drives inputs, %pins shows the board's state,
%trace prints pin changes live while cells run."""

from __future__ import annotations

import asyncio
import re
import shlex
from typing import TYPE_CHECKING

from ...board.inputs import BoardInputs
from ...board.signals import Constant, Generator, Replay, Signal, is_number
from ...board.state import DISPLAY, EVENTS, PINS, BoardState, HardwareEvent
from .files import read_local_file
from .registry import MagicError, line_magic

if TYPE_CHECKING:
    from ..session import Session

_RATE = re.compile(r"^([0-9.]+(?:e-?[0-9]+)?)\s*(hz|khz)?$", re.IGNORECASE)
CSV_LIMIT = 16 * 1024 * 1024  # a CSV input of %signal/%replay (~1 M rows; parsed in ~2 s)
_KEYS = {"rate": "rate", "freq": "rate", "amplitude": "amplitude", "amp": "amplitude", "offset": "offset"}


async def _board_inputs(session: Session, magic: str) -> BoardInputs:
    board = await session.target.ensure()
    if board.inputs is None:
        raise MagicError(f"{magic} drives the simulated board's inputs; the target is {board.info.name}")
    return board.inputs


async def parse_signal(words: list[str], default_range: tuple[float, float]) -> Signal | None:
    """``%signal`` words after the input name -> a Signal (None releases the input).

    ``0``/``1``/``2000``: a constant; ``sine 1Hz [amplitude=A] [offset=O]`` (also square, triangle,
    noise, walk; a generator spans ``default_range`` unless told); ``csv FILE [column=C] [loop]``;
    ``off``: release.
    """
    if not words:
        raise MagicError("%signal NAME needs a value, a generator (sine 1Hz ...), csv FILE, or off")
    kind, rest = words[0].lower(), words[1:]
    if kind in ("off", "release", "none"):
        return None
    if is_number(kind):
        if rest:
            raise MagicError(f"%signal: a constant takes no options: {' '.join(words)}")
        return Constant(float(kind))
    if kind == "csv":
        return await _parse_replay(rest)
    low, high = default_range
    options = {"rate": 1.0, "amplitude": (high - low) / 2, "offset": (high + low) / 2}
    for word in rest:
        key, equals, value = word.partition("=")
        if not equals:
            key, value = "rate", word
        if key.lower() not in _KEYS:
            raise MagicError(f"%signal: unknown option {key!r} (use rate=, amplitude=, offset=)")
        options[_KEYS[key.lower()]] = _number(value, key.lower() == "rate" or key.lower() == "freq")
    try:
        return Generator(kind, **options)
    except ValueError as err:
        raise MagicError(f"%signal: {err}") from err


def _number(text: str, rate: bool) -> float:
    match = _RATE.match(text.strip()) if rate else None
    try:
        if match:
            return float(match.group(1)) * (1000 if (match.group(2) or "").lower() == "khz" else 1)
        return float(text)
    except ValueError as err:
        raise MagicError(f"%signal: {text!r} is not a number") from err


async def _parse_replay(words: list[str]) -> Replay:
    if not words:
        raise MagicError("%signal NAME csv FILE [column=C] [loop]")
    column: str | int | None = None
    loop = False
    for word in words[1:]:
        key, _, value = word.partition("=")
        if key == "column":
            column = int(value) if value.isdigit() else value
        elif key == "loop":
            loop = True
        else:
            raise MagicError(f"%signal csv: unknown option {word!r} (use column=C, loop)")
    return await replay_from_file(words[0], "%signal", column, loop)


async def replay_from_file(path: str, what: str, column: str | int | None, loop: bool) -> Replay:
    """A Replay of a CSV file in the notebook's folder: a bounded read, parsed in a thread so that
    the stop button ends the cell at once (what the thread still parses is then thrown away)."""
    data = read_local_file(path, what, CSV_LIMIT)
    text = data.decode("utf-8", "replace")
    try:
        return await asyncio.to_thread(Replay.from_csv_text, text, path, column, loop)
    except ValueError as err:
        raise MagicError(f"{what}: {err}") from err


def describe(signal: Signal) -> str:
    if isinstance(signal, Constant):
        return f"constant {signal.value:g}"
    if isinstance(signal, Generator):
        return f"{signal.kind} {signal.rate:g} Hz, amplitude {signal.amplitude:g}, offset {signal.offset:g}"
    if isinstance(signal, Replay):
        loop = ", looping" if signal.loop else ""
        return f"replay of {len(signal.steps)} steps over {signal.duration:g} s{loop}"
    return type(signal).__name__


@line_magic(
    "signal",
    "%signal [NAME VALUE|sine 1Hz [amplitude=A offset=O]|csv FILE|off]",
    "drive a simulated input: a pin level, an ADC value, a sensor quantity (no arguments: list them)",
)
async def signal_magic(session: Session, args: str, body: str | None) -> None:
    inputs = await _board_inputs(session, "%signal")
    try:
        words = shlex.split(args)
    except ValueError as err:
        raise MagicError(f"%signal: {err}") from err
    if not words:
        driven = inputs.signals()
        lines = [f"{name}: {describe(signal)}" for name, signal in driven.items()] or ["no input is driven"]
        lines.append(f"inputs: {', '.join(inputs.names())}")
        session.print("\n".join(lines) + "\n")
        return
    try:
        name = inputs.resolve(words[0])
    except ValueError as err:
        raise MagicError(f"%signal: {err}") from err
    signal = await parse_signal(words[1:], inputs.range(name))
    inputs.set_signal(name, signal)
    session.print(f"{name}: {describe(signal) if signal else 'released'}\n")


def pin_lines(state: BoardState, show_all: bool = False) -> list[str]:
    """One line per pin in use (or every pin): mode, level, PWM, ADC."""
    lines = []
    for pin in state.pins.values():
        if pin.mode == "unused" and pin.value is None and not show_all:
            continue
        parts = [f"{pin.name:<7} {pin.mode:<10}"]
        if pin.value is not None:
            parts.append(f"value={pin.value}")
        if pin.pull:
            parts.append(f"pull={pin.pull}")
        if pin.mode == "pwm" and pin.duty is not None:
            parts.append(f"duty={pin.duty:.4f} freq={pin.freq}")
        if pin.analog is not None:
            parts.append(f"adc={pin.analog}")
        lines.append(" ".join(parts).rstrip())
    return lines


def display_lines(display: list[list[int]]) -> list[str]:
    return ["display:"] + ["  " + " ".join(str(v) for v in row) for row in display]


@line_magic(
    "pins", "%pins [--all] [--events N]", "the board's pins (mode, level, PWM, ADC) and recent events"
)
async def pins_magic(session: Session, args: str, body: str | None) -> None:
    words = args.split()
    state = session.state
    if session.target.board is not None:
        session.target.board.refresh_state()
    lines = pin_lines(state, "--all" in words) or ["no pin in use"]
    if state.display is not None:
        lines += display_lines(state.display)
    if "--events" in words:
        index = words.index("--events")
        try:
            count = int(words[index + 1])
        except (IndexError, ValueError) as err:
            raise MagicError("usage: %pins --events N") from err
        lines += [_event_line(e) for e in list(state.events)[-count:]] if count > 0 else []
    session.print("\n".join(lines) + "\n")


def _event_line(event: HardwareEvent) -> str:
    return f"{event.t:.6f} {event.kind} {event.target} {event.value}"


@line_magic(
    "trace",
    "%trace [on|off] [PIN ...]",
    "print pin and display changes live in the cell's output (coalesced)",
)
async def trace_magic(session: Session, args: str, body: str | None) -> None:
    words = args.split()
    if session.tracer is not None:
        session.tracer.stop()
        session.tracer = None
    if words and words[0] == "off":
        session.print("trace off\n")
        return
    names = {w for w in words if w != "on"}
    session.tracer = PinTracer(session, names)


def _shown(event: HardwareEvent) -> str:
    if event.kind == "display":  # 5x5 brightness rows, as Image() writes them
        return ":".join("".join(str(v) for v in row) for row in event.value)
    return str(event.value)


class PinTracer:
    """Prints, after each batch of hardware events, the pins whose state changed (one line a batch)."""

    def __init__(self, session: Session, names: set[str]) -> None:
        self.session = session
        self.names = names
        self.last: HardwareEvent | None = session.state.events[-1] if session.state.events else None
        self._stop = session.state.observe(self._changed)

    def stop(self) -> None:
        self._stop()

    def _changed(self, what: str) -> None:
        if what not in (PINS, EVENTS, DISPLAY):
            return
        events = list(self.session.state.events)
        start = 0
        for index in range(len(events) - 1, -1, -1):  # by identity: equal events may repeat
            if events[index] is self.last:
                start = index + 1
                break
        fresh = [e for e in events[start:] if not self.names or e.target in self.names]
        if events:
            self.last = events[-1]
        if fresh:
            changes = " ".join(f"{e.target}={_shown(e)}" for e in fresh[-8:])
            more = f" (+{len(fresh) - 8} more)" if len(fresh) > 8 else ""
            self.session.print(f"[trace] {changes}{more}\n")
