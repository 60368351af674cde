"""Magics from the board to Python data: %%host, %capture, %export, and back again: %replay."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...board.signals import Replay
from ..capture import MAX_SAMPLES, MAX_SERIES, Capture
from .files import local_path
from .hardware import replay_from_file
from .registry import MagicArgumentParser, MagicError, cell_magic, line_magic

if TYPE_CHECKING:
    from ..session import Session

HOST_ENV = "MICROPYTHON_KERNEL_HOST"  # "off" switches %%host off (graders, hub admins)
SESSION = "session"  # the name %export uses for the session recording (``data`` in host cells)
TIMELINE = "timeline"  # %export timeline FILE.vcd: the logic analyzer's record


@cell_magic(
    "host",
    "%%host",
    "run the cell as CPython (IPython shell, pandas, inline matplotlib) with the board's printed output "
    "as data (DataFrame, index host_time in s), lines and captures['NAME']",
)
async def host(session: Session, args: str, body: str | None) -> dict[str, Any]:
    if session.host is None:
        raise MagicError(
            f"%%host is switched off for this kernel ({HOST_ENV}=off or MicroPythonKernel.allow_host=False): "
            "host cells would run CPython with the notebook user's rights; MicroPython cells and the other "
            "magics work as usual"
        )
    if args:
        raise MagicError("%%host takes no arguments: the rest of the cell is CPython")
    return await session.host.run(body or "", silent=False)


_capture_parser = MagicArgumentParser("%capture")
_capture_parser.add_argument("name", nargs="?")
_capture_parser.add_argument("--append", action="store_true", help="add to an existing capture")


@line_magic(
    "capture",
    "%capture [NAME [--append]|stop|clear|off|on]",
    f"record the numbers printed by the next cells as captures['NAME'] (newest {MAX_SAMPLES:,} samples, "
    f"{MAX_SERIES} series); clear: forget data and lines; off/on: the session recording; no argument: list",
)
async def capture(session: Session, args: str, body: str | None) -> None:
    options = _capture_parser.parse_line(args)
    recorder = session.recorder
    if options.name is None:
        listed = [recorder.session, *recorder.captures.values()]
        active = f"recording into {recorder.active.name!r}" if recorder.active else "no capture running"
        recording = "on" if recorder.session_on else "off (%capture on resumes it)"
        session.print(
            f"{active}; session recording (data, lines): {recording}\n"
            + "\n".join(item.summary() for item in listed)
            + "\n"
        )
    elif options.name == "stop":
        stopped = recorder.stop()
        session.print(f"stopped: {stopped.summary()}\n" if stopped else "no capture was recording\n")
    elif options.name == "clear":
        recorder.clear()
        session.print("session data and lines cleared (named captures are kept)\n")
    elif options.name in ("off", "on"):
        recorder.session_on = options.name == "on"
        session.print(f"session recording (data, lines) {options.name}\n")
    elif options.name == SESSION:
        raise MagicError(f"%capture: {SESSION!r} is the session recording's name; choose another")
    else:
        replaced = options.name in recorder.captures and not options.append
        recorder.start(options.name, append=options.append)
        session.print(
            f"recording the numbers printed by the following cells into captures[{options.name!r}]"
            f"{' (replacing the earlier one)' if replaced else ''}; %capture stop ends it\n"
        )


@line_magic(
    "export",
    "%export NAME FILE.csv | %export timeline FILE.vcd",
    f"write a capture (or {SESSION}: all recorded numbers) as CSV: host_time (s), a column per series; "
    "timeline: every recorded hardware change as a VCD (PulseView, sigrok-cli)",
)
async def export(session: Session, args: str, body: str | None) -> None:
    words = args.split()
    if len(words) != 2:
        raise MagicError("usage: %export NAME FILE.csv, or %export timeline FILE.vcd")
    name, file = words
    path = local_path(file)
    if name == TIMELINE:
        export_timeline(session, path, file)
        return
    recording = find_capture(session, name)
    try:
        rows = recording.write_csv(path)
    except OSError as err:
        raise MagicError(f"%export: cannot write {file}: {err}") from err
    session.print(f"wrote {rows:,} samples of {name!r} to {file}\n")


def export_timeline(session: Session, path: Path, file: str) -> None:
    if path.suffix.lower() != ".vcd":
        raise MagicError("%export timeline: the file must end in .vcd")
    timeline = session.state.timeline
    if not len(timeline):
        raise MagicError("%export timeline: nothing recorded yet (%timeline on, then run a cell)")
    from ...board.vcd import write_vcd  # (pyvcd: imported when a VCD is written)

    try:
        changes = write_vcd(timeline, path)
    except OSError as err:
        raise MagicError(f"%export timeline: cannot write {file}: {err}") from err
    sampled = " (sampled: a real board's pins, not every change)" if timeline.sampled else ""
    session.print(f"wrote {len(timeline):,} timeline events ({changes:,} value changes) to {file}{sampled}\n")


def find_capture(session: Session, name: str) -> Capture:
    recorder = session.recorder
    if name == SESSION:
        return recorder.session
    if name not in recorder.captures:
        known = ", ".join([SESSION, *recorder.captures])
        raise MagicError(f"no capture named {name!r} (known: {known})")
    return recorder.captures[name]


_replay_parser = MagicArgumentParser("%replay")
_replay_parser.add_argument("source", help="a capture name, session, or a CSV file (time, value columns)")
_replay_parser.add_argument("input", help="a pin (GPIO34, adc34) or a sensor quantity (aht20.temperature)")
_replay_parser.add_argument("--column", help="the series to replay when there are several")
_replay_parser.add_argument("--loop", action="store_true", help="start over at the end")


@line_magic(
    "replay",
    "%replay SOURCE INPUT [--column C] [--loop]",
    "drive a simulated input (ADC pin, sensor) with a capture's or a CSV's values at their recorded times; "
    "%replay stop INPUT releases it",
)
async def replay(session: Session, args: str, body: str | None) -> None:
    options = _replay_parser.parse_line(args)
    inputs = (await session.target.ensure()).inputs
    if inputs is None:
        raise MagicError("%replay drives the simulated board's inputs: %connect sim first")
    try:
        name = inputs.resolve(options.input)
    except ValueError as err:
        raise MagicError(f"%replay: {err}") from err
    if options.source == "stop":
        inputs.set_signal(name, None)
        session.print(f"{name} released\n")
        return
    signal, what = await replay_signal(session, options.source, options.column, options.loop)
    inputs.set_signal(name, signal)
    repeat = ", then again (--loop)" if options.loop else ""
    session.print(
        f"replaying {len(signal.steps):,} values of {what} into {name} over {signal.duration:.3g} s{repeat}; "
        f"%replay stop {name} releases it\n"
    )


async def replay_signal(session: Session, source: str, column: str | None, loop: bool) -> tuple[Replay, str]:
    """The Replay for a capture's series or a CSV file's column, and words saying what it replays."""
    if source in session.recorder.captures or source == SESSION:
        recording = find_capture(session, source)
        times, series = recording.samples.newest()
        if column is None and len(series) == 1:
            column = next(iter(series))
        if not series:
            raise MagicError(f"%replay: {source!r} has no samples yet")
        if column not in series:
            names = ", ".join(series)
            raise MagicError(f"%replay: {source!r} has series {names}: pick one with --column NAME")
        steps = [(t, v) for t, v in zip(times, series[column], strict=True) if not math.isnan(v)]
        if not steps:
            raise MagicError(f"%replay: {source!r} has no values of {column!r}")
        return Replay(steps, loop=loop), f"{column!r} from {source!r}"
    if not local_path(source).exists():
        known = ", ".join([SESSION, *session.recorder.captures])
        raise MagicError(f"%replay: {source!r} is neither a capture ({known}) nor a file")
    signal = await replay_from_file(source, "%replay", column, loop)
    return signal, (f"{column!r} from {source}" if column else f"the second column of {source}")
