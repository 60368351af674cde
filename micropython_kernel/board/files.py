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
import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import BoardDisconnected, BoardError

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


# errno -> what it means for a file on the board (names as MicroPython's uerrno prints them; the
# micro:bit's v1.9.2 prints only the number: "OSError: 28").
_ERRNO_MEANINGS = {
    2: ("ENOENT", "no such file or folder"),
    17: ("EEXIST", "it already exists"),
    21: ("EISDIR", "it is a folder"),
    20: ("ENOTDIR", "not a folder"),
    39: ("ENOTEMPTY", "the folder is not empty"),
    28: ("ENOSPC", "no space left on the board's filesystem"),
    13: ("EACCES", "permission denied"),
    30: ("EROFS", "the filesystem is read-only"),
}
_ERRNO_NUMBER = re.compile(r"OSError: (?:\[Errno )?(\d+)\b")


def _board_message(err: BoardError) -> str:
    """The last line of the board's traceback, e.g. 'OSError: [Errno 2] ENOENT' or 'OSError: 28'
    -> a readable reason."""
    lines = [line.strip() for line in str(err).strip().splitlines() if line.strip()]
    last = lines[-1] if lines else str(err)
    number = _ERRNO_NUMBER.search(last)
    for code, (name, meaning) in _ERRNO_MEANINGS.items():
        if name in last or (number is not None and int(number.group(1)) == code):
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


class TransferStopped(BoardError):
    """The stop button ended a file transfer; the message says what is on the board now."""


TEMP_SUFFIX = ".mpk-part"  # the new content goes here first, then is renamed over the file

_HAS_RENAME = """\
def _mpk_hr():
    import os
    print(hasattr(os, 'rename'))
"""

# Rename over the old file; where a filesystem cannot (VfsPosix mounted below "/" answers ENOENT),
# copy on the board instead: the new content is complete there already, so nothing is lost.
_RENAME = """\
def _mpk_mv(a, b):
    import os
    for replace in (False, True):
        try:
            if replace:
                os.remove(b)
            os.rename(a, b)
            return
        except OSError:
            pass
    s = open(a, 'rb')
    d = open(b, 'wb')
    while True:
        c = s.read(256)
        if not c:
            break
        d.write(c)
    d.close()
    s.close()
    os.remove(a)
"""


async def write_file(
    board: Board, path: str, data: bytes, progress: Callable[[int, int], None] | None = None
) -> None:
    """Replace ``path`` on the board with ``data``, never leaving a half-written file in its place.

    Where the board's ``os`` has ``rename``, the data goes to ``path + TEMP_SUFFIX`` and is renamed over
    ``path`` once complete. The micro:bit's v1.9.2 has no rename (and ~30 KB of flash: no room for two
    copies), so there the old content is read first and written back if the transfer does not complete.
    A stop (this coroutine cancelled) takes effect between two chunks, never in the middle of one, so
    the raw REPL stays in step; it raises TransferStopped, which says what the board holds now.
    ``progress(written, total)`` after each chunk.
    """
    stop = asyncio.Event()
    job = asyncio.ensure_future(_replace(board, path, data, progress, stop))
    await _finish_despite_stops(job, stop)


async def _finish_despite_stops(job: asyncio.Future[None], stop: asyncio.Event) -> None:
    """Await ``job``; a cancellation meanwhile sets ``stop`` (the job ends at its next safe point)."""
    while True:
        try:
            await asyncio.shield(job)
            return
        except asyncio.CancelledError:
            if job.done():
                raise
            stop.set()
            task = asyncio.current_task()
            if task is not None and hasattr(task, "uncancel"):  # (handled: not a cancellation now)
                task.uncancel()


async def _replace(
    board: Board,
    path: str,
    data: bytes,
    progress: Callable[[int, int], None] | None,
    stop: asyncio.Event,
) -> None:
    has_rename = (await _run(board, _call(_HAS_RENAME, "_mpk_hr"), "cannot write")).strip() == "True"
    if has_rename:
        temp = path + TEMP_SUFFIX
        try:
            await _write_chunks(board, temp, data, progress, stop, shown=path)
        except BoardDisconnected as err:
            raise BoardDisconnected(
                f"{err}\nThe board went away while {path} was being written: {path} on it is unchanged "
                f"(an incomplete {temp} may be left there)."
            ) from err
        except BaseException as err:
            with contextlib.suppress(BoardError):
                await remove(board, temp)
            if isinstance(err, _Stopped):
                raise TransferStopped(f"stopped: {path} on the board is unchanged") from None
            if isinstance(err, BoardFileError):
                raise BoardFileError(
                    f"{err} ({len(data):,} bytes): {path} on the board is unchanged"
                ) from err
            raise
        await _run(board, _call(_RENAME, "_mpk_mv", temp, path), f"cannot replace {path}")
        return
    old = await _read_if_present(board, path)
    written = [0]

    def count(done: int, total: int) -> None:
        written[0] = done
        if progress is not None:
            progress(done, total)

    try:
        await _write_chunks(board, path, data, count, stop)
    except BoardDisconnected as err:
        raise BoardDisconnected(
            f"{err}\nThe board went away while {path} was being written: {path} on it is incomplete "
            f"({written[0]:,} of {len(data):,} bytes)."
        ) from err
    except (_Stopped, BoardFileError) as err:
        await _put_back(board, path, old)
        kept = "the old one is back" if old is not None else "nothing was left in its place"
        if isinstance(err, _Stopped):
            raise TransferStopped(f"stopped: {path} on the board was not replaced ({kept})") from None
        raise BoardFileError(f"{err} ({len(data):,} bytes): {path} was not replaced ({kept})") from err


class _Stopped(Exception):
    """The stop button, seen between two chunks of a transfer."""


async def _read_if_present(board: Board, path: str) -> bytes | None:
    try:
        return await read_file(board, path)
    except BoardFileError:
        return None


async def _put_back(board: Board, path: str, old: bytes | None) -> None:
    """After an incomplete write without rename: the old content again (or no file at all)."""
    never_stops = asyncio.Event()
    if old is None:
        with contextlib.suppress(BoardFileError):
            await remove(board, path)
    else:
        await _write_chunks(board, path, old, None, never_stops)


async def _write_chunks(
    board: Board,
    path: str,
    data: bytes,
    progress: Callable[[int, int], None] | None,
    stop: asyncio.Event,
    shown: str | None = None,
) -> None:
    """Write ``data`` to ``path`` (truncating it) in execs small enough for any heap; raises _Stopped
    at the first chunk boundary after ``stop`` is set (the file is closed first). Errors name
    ``shown`` (the file the user asked for) instead of ``path``."""
    what = f"cannot write {shown or path}"
    await _run(board, f"_mpk_f = open({path!r}, 'wb')", what)
    try:
        statements: list[str] = []
        size = 0
        for start in range(0, len(data), READ_CHUNK):
            statement = f"_mpk_f.write({data[start : start + READ_CHUNK]!r})"
            if statements and size + len(statement) > WRITE_SOURCE_LIMIT:
                await _run(board, "\n".join(statements), what)
                if progress is not None:
                    progress(start, len(data))
                if stop.is_set():
                    raise _Stopped
                statements, size = [], 0
            statements.append(statement)
            size += len(statement) + 1
        if statements:
            await _run(board, "\n".join(statements), what)
        if progress is not None:
            progress(len(data), len(data))
    except BoardDisconnected:
        raise  # (nothing to close on a board that is gone)
    except BaseException:
        with contextlib.suppress(BoardError):
            await _run(board, "_mpk_f.close()\ndel _mpk_f", what)
        raise
    await _run(board, "_mpk_f.close()\ndel _mpk_f", what)


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
