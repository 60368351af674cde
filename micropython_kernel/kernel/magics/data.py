"""Magics from the board to Python data: %%host, %capture, %export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...board.capture import MAX_SAMPLES, MAX_SERIES, Capture
from .registry import MagicArgumentParser, MagicError, cell_magic, line_magic

if TYPE_CHECKING:
    from ..kernel import MicroPythonKernel

SESSION = "session"  # the name %export uses for the session recording (``data`` in host cells)


@cell_magic(
    "host",
    "%%host",
    "run the cell as CPython in the kernel (IPython: display, pandas, matplotlib inline) with "
    "data (printed numbers: DataFrame, index t in s), lines (printed lines) and captures['NAME']",
)
async def host(kernel: MicroPythonKernel, args: str, body: str | None) -> dict[str, Any]:
    if args:
        raise MagicError("%%host takes no arguments: the rest of the cell is CPython")
    return await kernel.host_cells.run(body or "", silent=False)


_capture_parser = MagicArgumentParser("%capture")
_capture_parser.add_argument("name", nargs="?")
_capture_parser.add_argument("--append", action="store_true", help="add to an existing capture")


@line_magic(
    "capture",
    "%capture [NAME [--append] | stop | clear]",
    f"record the numbers printed by the following cells as captures['NAME'] (newest {MAX_SAMPLES:,} "
    f"samples, {MAX_SERIES} series); stop; clear the session data; no argument: list",
)
async def capture(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    options = _capture_parser.parse_line(args)
    recorder = kernel.recorder
    if options.name is None:
        listed = [recorder.session, *recorder.captures.values()]
        active = f"recording into {recorder.active.name!r}" if recorder.active else "not recording"
        kernel.print(f"{active}\n" + "\n".join(item.summary() for item in listed) + "\n")
    elif options.name == "stop":
        stopped = recorder.stop()
        kernel.print(f"stopped: {stopped.summary()}\n" if stopped else "no capture was recording\n")
    elif options.name == "clear":
        recorder.clear()
        kernel.print("session data and lines cleared (named captures are kept)\n")
    elif options.name == SESSION:
        raise MagicError(f"%capture: {SESSION!r} is the session recording's name; choose another")
    else:
        replaced = options.name in recorder.captures and not options.append
        recorder.start(options.name, append=options.append)
        kernel.print(
            f"recording the numbers printed by the following cells into captures[{options.name!r}]"
            f"{' (replacing the earlier one)' if replaced else ''}; %capture stop ends it\n"
        )


@line_magic(
    "export",
    "%export NAME FILE.csv",
    f"write a capture (or {SESSION}: all printed numbers) as CSV: t (seconds), then one column per series",
)
async def export(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    words = args.split()
    if len(words) != 2:
        raise MagicError("usage: %export NAME FILE.csv")
    name, file = words
    path = notebook_path(file)
    recording = find_capture(kernel, name)
    try:
        rows = recording.write_csv(path)
    except OSError as err:
        raise MagicError(f"%export: cannot write {file}: {err}") from err
    kernel.print(f"wrote {rows:,} samples of {name!r} to {file}\n")


def find_capture(kernel: MicroPythonKernel, name: str) -> Capture:
    recorder = kernel.recorder
    if name == SESSION:
        return recorder.session
    if name not in recorder.captures:
        known = ", ".join([SESSION, *recorder.captures])
        raise MagicError(f"no capture named {name!r} (known: {known})")
    return recorder.captures[name]


def notebook_path(file: str) -> Path:
    """``file`` resolved inside the notebook's folder (the kernel's working directory), or an error."""
    folder = Path.cwd().resolve()
    path = (folder / file).resolve()
    if not path.is_relative_to(folder):
        raise MagicError(f"{file}: only files in the notebook's folder ({folder}) or below can be used")
    return path
