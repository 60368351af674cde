"""Files on a target, done with MicroPython code sent over the raw REPL (``Board.query``).

One implementation for every target: a serial board, the simulated board (whatever its filesystem is,
a host folder or a flash image mounted in the VM), and the micro:bit's v1.9.2, whose ``os`` has only
``listdir()`` (no argument), ``remove``, ``size`` and ``uname``. The board-side code therefore avoids
``os.stat``/``ilistdir`` unless present, and moves bytes as ``repr(bytes)`` lines (no ``binascii``
needed), a chunk at a time so that a file bigger than the board's heap still goes through.
Helpers run inside a function named ``_mpk_*`` that is deleted afterwards: the user's names are untouched.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import BoardError

if TYPE_CHECKING:
    from .protocol import Board

READ_CHUNK = 256  # bytes per printed line when reading a file
WRITE_SOURCE_LIMIT = 1024  # characters of ``f.write(b'...')`` source per raw-REPL exec (small-heap boards)


class BoardFileError(BoardError):
    """A file operation the board refused (no such file, not a folder, no folders on this board...)."""


@dataclass(frozen=True)
class FileEntry:
    name: str
    is_dir: bool
    size: int


def _call(helper: str, name: str, *args: object) -> str:
    """Source that defines ``helper`` (a function ``name``), calls it with ``args`` and deletes it."""
    call = f"{name}({', '.join(repr(a) for a in args)})"
    return f"{helper}try:\n    {call}\nfinally:\n    del {name}\n"


def _board_message(err: BoardError) -> str:
    """The last line of the board's traceback, e.g. 'OSError: [Errno 2] ENOENT' -> a readable reason."""
    lines = [line.strip() for line in str(err).strip().splitlines() if line.strip()]
    last = lines[-1] if lines else str(err)
    for code, meaning in (
        ("ENOENT", "no such file or folder"),
        ("EEXIST", "it already exists"),
        ("EISDIR", "it is a folder"),
        ("ENOTDIR", "not a folder"),
        ("ENOTEMPTY", "the folder is not empty"),
        ("ENOSPC", "the board's filesystem is full"),
        ("EACCES", "permission denied"),
        ("EROFS", "the filesystem is read-only"),
    ):
        if code in last:
            return meaning
    return last.removeprefix("OSError: ")


async def _run(board: Board, source: str, what: str) -> str:
    try:
        return await board.query(source)
    except BoardFileError:
        raise
    except BoardError as err:
        if "Traceback" not in str(err):  # not the board refusing: a lost connection, a timeout
            raise
        raise BoardFileError(f"{what}: {_board_message(err)}") from err


_LIST_DIR = """\
def _mpk_ls(p):
    import os
    try:
        names = os.listdir(p) if p else os.listdir()
    except TypeError:
        if p not in ('/', '.'):
            raise OSError('this board has no folders')
        names = os.listdir()
    for e in names:
        f = e if not p else (p + e if p[-1] == '/' else p + '/' + e)
        if hasattr(os, 'stat'):
            s = os.stat(f)
            print(repr((e, s[0] & 0x4000 != 0, s[6])))
        else:
            print(repr((e, False, os.size(f))))
"""


async def list_dir(board: Board, path: str = "") -> list[FileEntry]:
    text = await _run(board, _call(_LIST_DIR, "_mpk_ls", path), f"cannot list {path or 'the current folder'}")
    entries = []
    for line in text.splitlines():
        if line.strip():
            name, is_dir, size = ast.literal_eval(line.strip())
            entries.append(FileEntry(name, bool(is_dir), int(size)))
    return sorted(entries, key=lambda e: (not e.is_dir, e.name))


_READ_FILE = f"""\
def _mpk_cat(p):
    f = open(p, 'rb')
    try:
        while True:
            b = f.read({READ_CHUNK})
            if not b:
                break
            print(repr(b))
    finally:
        f.close()
"""


async def read_file(board: Board, path: str) -> bytes:
    text = await _run(board, _call(_READ_FILE, "_mpk_cat", path), f"cannot read {path}")
    data = bytearray()
    for line in text.splitlines():
        if line.strip():
            chunk = ast.literal_eval(line.strip())
            if not isinstance(chunk, bytes):
                raise BoardError(f"unexpected answer while reading {path}: {line[:80]!r}")
            data += chunk
    return bytes(data)


async def write_file(
    board: Board, path: str, data: bytes, progress: Callable[[int, int], None] | None = None
) -> None:
    """Write ``data`` to ``path`` on the board (replacing it), in execs small enough for any heap;
    ``progress(written, total)`` after each."""
    await _run(board, f"_mpk_f = open({path!r}, 'wb')", f"cannot write {path}")
    try:
        statements: list[str] = []
        size = 0
        for start in range(0, len(data), READ_CHUNK):
            statement = f"_mpk_f.write({data[start : start + READ_CHUNK]!r})"
            if statements and size + len(statement) > WRITE_SOURCE_LIMIT:
                await _run(board, "\n".join(statements), f"cannot write {path}")
                if progress is not None:
                    progress(start, len(data))
                statements, size = [], 0
            statements.append(statement)
            size += len(statement) + 1
        if statements:
            await _run(board, "\n".join(statements), f"cannot write {path}")
        if progress is not None:
            progress(len(data), len(data))
    finally:
        await _run(board, "_mpk_f.close()\ndel _mpk_f", f"cannot close {path}")


_REMOVE = """\
def _mpk_rm(p):
    import os
    try:
        os.remove(p)
    except OSError:
        if not hasattr(os, 'rmdir'):
            raise
        os.rmdir(p)
"""


async def remove(board: Board, path: str) -> None:
    await _run(board, _call(_REMOVE, "_mpk_rm", path), f"cannot remove {path}")


_MKDIR = """\
def _mpk_mkdir(p):
    import os
    if not hasattr(os, 'mkdir'):
        raise OSError('this board has no folders (a flat filesystem)')
    os.mkdir(p)
"""


async def mkdir(board: Board, path: str) -> None:
    await _run(board, _call(_MKDIR, "_mpk_mkdir", path), f"cannot make folder {path}")
