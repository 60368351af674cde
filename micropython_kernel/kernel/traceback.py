"""What MicroPython writes to stderr after an exception, as Jupyter's error fields (``ParsedError``).

Part of a cell's output handling (cell_output.py): ``parse_traceback`` reads the board's report, and
``error_at_line`` makes the same value for an error found on the host (the syntax check), so nothing
formats a traceback only to parse it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FRAME = re.compile(r'^(?P<indent>\s*)File "(?P<file>[^"]*)", line (?P<line>\d+)(?P<rest>.*)$')
_EXCEPTION = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)(?::\s?(?P<value>.*))?$")
CELL_FILES = ("<stdin>", "<string>")


@dataclass
class ParsedError:
    """An exception raised by code on the target."""

    ename: str
    evalue: str
    traceback: list[str]  # lines for the frontend, line numbers already pointing into the cell
    preamble: str = ""  # stderr text printed before the traceback (kept, not lost)


def parse_traceback(stderr: str, cell_name: str, line_offset: int = 0) -> ParsedError | None:
    """Return the exception in ``stderr``, or None when it holds no traceback.

    ``line_offset`` is added to line numbers of frames in the cell (lines the kernel removed from the
    top of the cell, such as magics, shift the code). Frames are renamed to ``cell_name``.
    """
    text = stderr.replace("\r\n", "\n")
    start = text.find("Traceback (most recent call last):")
    if start < 0:
        # MicroPython reports a MemoryError while compiling with no traceback, just the last line.
        stripped = text.rstrip("\n")
        last = stripped.rsplit("\n", 1)[-1]
        match = _EXCEPTION.match(last.strip())
        if not match or not match.group("name").endswith(("Error", "Exception", "Interrupt")):
            return None
        start = len(stripped) - len(last)
        text = text[:start] + "Traceback (most recent call last):\n" + text[start:]
    preamble, body = text[:start], text[start:]
    lines = [line for line in body.split("\n") if line.strip()]
    ename, evalue = "Error", ""
    last = lines[-1] if lines else ""
    match = _EXCEPTION.match(last.strip())
    if match and len(lines) > 1:
        ename, evalue = match.group("name"), (match.group("value") or "").strip()
    shown = [lines[0]]
    for line in lines[1:-1]:
        frame = _FRAME.match(line)
        if frame and frame.group("file") in CELL_FILES:
            number = int(frame.group("line")) + line_offset
            line = f"{frame.group('indent')}{cell_name}, line {number}{frame.group('rest')}"
        shown.append(line)
    shown.append(f"\x1b[0;31m{ename}\x1b[0m: {evalue}" if evalue else f"\x1b[0;31m{ename}\x1b[0m")
    return ParsedError(ename=ename, evalue=evalue, traceback=shown, preamble=preamble)


def error_at_line(ename: str, evalue: str, line: int, cell_name: str, line_offset: int = 0) -> ParsedError:
    """The error a board would report for ``ename: evalue`` raised at ``line`` of the cell's code."""
    shown = [
        "Traceback (most recent call last):",
        f"  {cell_name}, line {line + line_offset}",
        f"\x1b[0;31m{ename}\x1b[0m: {evalue}" if evalue else f"\x1b[0;31m{ename}\x1b[0m",
    ]
    return ParsedError(ename=ename, evalue=evalue, traceback=shown)
