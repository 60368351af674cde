"""%mip install: published MicroPython packages into the target's /lib (see kernel/packages.py)."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from ...board.files import BoardFileError
from ..packages import PackageFile, PackageRefused, package_files
from .files import local_path
from .registry import MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ...board.protocol import Board
    from ..session import Session

BIG_FILE = 4096  # files from this size on show their progress (seconds over a UART)

_parser = MagicArgumentParser("%mip")
_parser.add_argument("command", choices=["install"])
_parser.add_argument("packages", nargs="+", metavar="NAME")
_parser.add_argument("--target", default="/lib", help="the folder on the board (default /lib)")


@line_magic(
    "mip",
    "%mip install NAME [NAME ...] [--target /lib]",
    "install published MicroPython packages (pure-MicroPython wheels from PyPI, fetched here by pip, "
    "or a .whl in the notebook's folder) into the target's /lib",
)
async def mip(session: Session, args: str, body: str | None) -> None:
    options = _parser.parse_line(args)
    target = options.target.rstrip("/") or "/"
    if ".." in target.split("/"):
        raise MagicError(f"refused: the board path {options.target!r} contains '..'")
    board = await session.target.ensure()
    for name in options.packages:
        local = local_path(name) if name.endswith(".whl") else None
        if local is not None and not local.is_file():
            raise MagicError(f"%mip: no such wheel here: {name}")
        if local is None:
            session.print(f"Fetching {name} with pip...\n")
        try:
            wheel, files = await package_files(name, local)
        except PackageRefused as err:
            raise MagicError(f"%mip install {name}: refused: {err}") from err
        folder = await _make_folders(board, target, files)
        total = sum(len(f.data) for f in files)
        session.print(f"Installing {wheel} into {folder} ({len(files)} files, {total:,} bytes):\n")
        for file in files:
            await _copy(session, board, posixpath.join(folder, file.path), file)
        session.print(f"Installed {wheel} on {session.target.description()}.\n")


async def _make_folders(board: Board, target: str, files: list[PackageFile]) -> str:
    """Make ``target`` and the package's folders; a board without folders (the micro:bit) takes a
    package of top-level modules in its one flat folder. Returns the folder the files go into."""
    folders = sorted({posixpath.dirname(f.path) for f in files} - {""})
    for path in [target] + [posixpath.join(target, f) for f in folders]:
        try:
            await board.mkdir(path)
        except BoardFileError as err:
            if "already exists" in str(err):
                continue
            if "no folders" in str(err) and not folders:
                return ""  # the micro:bit: modules sit beside main.py, where import finds them
            raise MagicError(f"%mip: cannot make {path} on the board: {err}") from err
    return target


async def _copy(session: Session, board: Board, path: str, file: PackageFile) -> None:
    session.print(f"  {path} ({len(file.data):,} bytes)")
    shown = [0]

    def progress(written: int, total: int) -> None:
        percent = written * 100 // max(total, 1)
        if percent >= shown[0] + 25 and percent < 100:  # a mark at each quarter, then "done"
            shown[0] = percent - percent % 25
            session.print(f" {shown[0]}%")

    await board.write_file(path, file.data, progress if len(file.data) >= BIG_FILE else None)
    session.print(" done\n")
