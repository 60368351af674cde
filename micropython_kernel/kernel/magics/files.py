"""File magics: %ls, %cat, %put, %get, %rm, %mkdir, %%writefile, %run.

They work on any target through the Board's file methods (raw-REPL code on the board). Paths are
checked here: a board path may not climb with ``..``; a path on this computer must stay inside the
notebook's folder (the kernel's working directory when it started: an ``os.chdir`` in a ``%%host``
cell does not move it), so a notebook cannot read or overwrite other files. Host files a magic reads
are regular files of bounded size (not ``/dev/zero``, a FIFO or ``/proc``), and errors about them never
quote their content.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .registry import MagicArgumentParser, MagicError, cell_magic, line_magic

if TYPE_CHECKING:
    from ..session import Session


def board_path(path: str) -> str:
    """A path on the board, refused if it climbs out with ``..``."""
    if not path or "\x00" in path:
        raise MagicError(f"not a usable board path: {path!r}")
    if ".." in path.replace("\\", "/").split("/"):
        raise MagicError(f"refused: the board path {path!r} contains '..'")
    return path


# The notebook's folder: the kernel's working directory when it started (set again by the kernel at start).
_notebook_folder = Path(os.getcwd()).resolve()
HOST_FILE_LIMIT = 64 * 1024 * 1024  # the largest host file a magic reads (%put, %run, csv inputs)


def fix_notebook_folder(folder: Path) -> None:
    """Fix the folder that every host path of the magics is resolved against (the kernel calls this
    once at start; later changes of the working directory do not move it)."""
    global _notebook_folder
    _notebook_folder = Path(folder).resolve()


def notebook_folder() -> Path:
    return _notebook_folder


def local_path(path: str) -> Path:
    """A path on this computer, refused unless it lies inside the notebook's folder."""
    if "\x00" in path:
        raise MagicError(f"not a usable path: {path!r}")
    folder = _notebook_folder
    resolved = (folder / path).resolve()
    if resolved != folder and folder not in resolved.parents:
        raise MagicError(
            f"refused: {path!r} is outside the notebook's folder ({folder}); "
            "use a path inside it (no '..', no absolute paths elsewhere)"
        )
    return resolved


def read_local_file(path: str, what: str, limit: int = HOST_FILE_LIMIT) -> bytes:
    """The bytes of a regular file in the notebook's folder, at most ``limit`` of them; MagicError
    (quoting nothing of the file) for a device, a FIFO, a folder, a missing or a too big file."""
    import stat

    resolved = local_path(path)
    try:
        with open(resolved, "rb", opener=_open_nonblocking) as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise MagicError(f"{what}: {path} is not a regular file")
            if info.st_size > limit:
                raise MagicError(
                    f"{what}: {path} is {_size(info.st_size)}, more than the {_size(limit)} allowed"
                )
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise MagicError(f"{what}: no such file here: {path}") from None
    except OSError as err:
        raise MagicError(f"{what}: cannot read {path}: {err.strerror}") from None
    if len(data) > limit:  # it grew while being read
        raise MagicError(f"{what}: {path} is more than the {_size(limit)} allowed")
    return data


def _open_nonblocking(path: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused as not a regular file).
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _arguments(name: str, usage: str, args: str, least: int, most: int) -> list[str]:
    parser = MagicArgumentParser(name)
    parser.add_argument("paths", nargs="*")
    words = parser.parse_line(args).paths
    if not least <= len(words) <= most:
        raise MagicError(f"usage: {usage}")
    return words


def _size(size: int) -> str:
    return f"{size:,} B" if size < 10_000 else f"{size / 1024:,.1f} KB"


@line_magic("ls", "%ls [PATH]", "list files on the target")
async def ls(session: Session, args: str, body: str | None) -> None:
    words = _arguments("%ls", "%ls [PATH]", args, 0, 1)
    path = board_path(words[0]) if words else ""
    entries = await (await session.target.ensure()).list_dir(path)
    if not entries:
        session.print(f"{path or 'the current folder'} is empty\n")
        return
    lines = [f"{e.name}/" if e.is_dir else f"{e.name:<32} {_size(e.size):>10}" for e in entries]
    session.print("\n".join(lines) + "\n")


@line_magic("cat", "%cat PATH", "show a file on the target")
async def cat(session: Session, args: str, body: str | None) -> None:
    (path,) = _arguments("%cat", "%cat PATH", args, 1, 1)
    data = await (await session.target.ensure()).read_file(board_path(path))
    text = data.decode(
        "utf-8", "replace"
    )  # a binary file is shown with replacement characters, never crashes
    session.print(text if text.endswith("\n") or not text else text + "\n")


@line_magic("put", "%put LOCAL [REMOTE]", "copy a file from the notebook's folder to the target")
async def put(session: Session, args: str, body: str | None) -> None:
    words = _arguments("%put", "%put LOCAL [REMOTE]", args, 1, 2)
    source = local_path(words[0])
    target = board_path(words[1] if len(words) > 1 else source.name)
    data = read_local_file(words[0], "%put")
    await (await session.target.ensure()).write_file(target, data)
    session.print(f"{words[0]} -> {target} ({_size(len(data))})\n")


@line_magic("get", "%get REMOTE [LOCAL]", "copy a file from the target into the notebook's folder")
async def get(session: Session, args: str, body: str | None) -> None:
    words = _arguments("%get", "%get REMOTE [LOCAL]", args, 1, 2)
    source = board_path(words[0])
    target = local_path(words[1] if len(words) > 1 else posixpath.basename(source.rstrip("/")))
    if target.is_dir():
        target = local_path(str(target / posixpath.basename(source)))
    data = await (await session.target.ensure()).read_file(source)
    target.write_bytes(data)
    session.print(f"{source} -> {target.relative_to(_notebook_folder)} ({_size(len(data))})\n")


@line_magic("rm", "%rm PATH", "remove a file (or an empty folder) on the target")
async def rm(session: Session, args: str, body: str | None) -> None:
    (path,) = _arguments("%rm", "%rm PATH", args, 1, 1)
    await (await session.target.ensure()).remove(board_path(path))
    session.print(f"removed {path}\n")


@line_magic("mkdir", "%mkdir PATH", "make a folder on the target")
async def mkdir(session: Session, args: str, body: str | None) -> None:
    (path,) = _arguments("%mkdir", "%mkdir PATH", args, 1, 1)
    await (await session.target.ensure()).mkdir(board_path(path))
    session.print(f"made folder {path}\n")


@cell_magic("writefile", "%%writefile PATH", "write the cell's text to a file on the target")
async def writefile(session: Session, args: str, body: str | None) -> None:
    (path,) = _arguments("%%writefile", "%%writefile PATH", args, 1, 1)
    data = (body or "").encode("utf-8")
    await (await session.target.ensure()).write_file(board_path(path), data)
    session.print(f"wrote {path} ({_size(len(data))})\n")


@line_magic("run", "%run LOCAL.py", "run a MicroPython file from the notebook's folder on the target")
async def run(session: Session, args: str, body: str | None) -> dict[str, Any] | None:
    (path,) = _arguments("%run", "%run LOCAL.py", args, 1, 1)
    code = read_local_file(path, "%run").decode("utf-8", errors="replace")
    # An error on the board was already shown; returning its reply ends the cell as an error.
    return await session.run_on_board(code)
