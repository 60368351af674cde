"""Where a simulated board's flash image lives, and who may write it.

A real board keeps its files across power cycles, so by default each simulated board (a profile, plus
a name when a user keeps several of one kind) has one image in the user's data folder, kept across
kernel restarts and new sessions. Other choices (the environment variable ``MICROPYTHON_KERNEL_FLASH``,
or ``%flash`` in a notebook) give a kernel a clean image of its own, or a private copy of an image file
(a teacher's starting point); both live in the kernel's scratch folder and vanish with the kernel.

One kernel at a time writes a persistent image: it holds an ``flock`` on the image for as long as its
board is connected (the VM child shares the open file, so the lock also lasts while a VM still runs).
A second kernel on the same board gets a private copy instead, and is told so.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..board.errors import BoardError
from .scratch import scratch_folder

FLASH_ENV = "MICROPYTHON_KERNEL_FLASH"  # "persistent" (default) | "clean" | a path to an image file
PERSISTENT, CLEAN, IMAGE = "persistent", "clean", "image"
IMAGE_NAME = "flash.img"
OWNER_NAME = "owner.txt"  # who holds the lock (for the message a second kernel gets)
_BOARD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


@dataclass(frozen=True)
class FlashChoice:
    """What a board's flash starts from: its persistent image, a clean one, or a copy of ``image``."""

    mode: str = PERSISTENT
    image: Path | None = None

    @classmethod
    def parse(cls, text: str) -> FlashChoice:
        """``persistent``, ``clean`` or the path of an image file (made absolute here)."""
        word = text.strip()
        if word in ("", PERSISTENT):
            return cls(PERSISTENT)
        if word == CLEAN:
            return cls(CLEAN)
        return cls(IMAGE, Path(word).expanduser().resolve())

    @classmethod
    def from_environment(cls, default: str = PERSISTENT) -> FlashChoice:
        """The choice in ``MICROPYTHON_KERNEL_FLASH``, or ``default`` when it is unset."""
        return cls.parse(os.environ.get(FLASH_ENV, "").strip() or default)

    def describe(self) -> str:
        if self.mode == IMAGE:
            return f"a private copy of {self.image}"
        return "the board's persistent flash" if self.mode == PERSISTENT else "a clean flash"


def default_store() -> Path:
    """The folder of the persistent images when the kernel names none (the user's data folder)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("micropython-kernel")) / "boards"


def board_id(profile: str, name: str | None) -> str:
    """The folder name of a board: its profile, and its name if it has one ("esp32", "esp32-lab")."""
    if not name:
        return profile
    if not _BOARD_NAME.match(name):
        raise ValueError(
            f"board name {name!r}: up to 40 letters, digits, '_', '-' or '.', a letter or digit first"
        )
    return f"{profile}-{name}"


class FlashImage:
    """One board's flash image, open for this kernel: ``fd`` is handed to each VM the board starts."""

    def __init__(self, path: Path, fd: int, mode: str, notice: str | None = None) -> None:
        self.path = path
        self.fd = fd
        self.mode = mode  # PERSISTENT, CLEAN, IMAGE, or "copy" (a persistent image in use elsewhere)
        self.notice = notice  # said once to the user when the board connects (e.g. "a copy")

    def describe(self) -> str:
        what = {
            PERSISTENT: "persistent",
            CLEAN: "clean, for this kernel only (deleted when it ends)",
            IMAGE: "a private copy (deleted when the kernel ends; the original is never written)",
            "copy": "a copy (the board's own flash is in use by another kernel; deleted when this one ends)",
        }[self.mode]
        return f"{self.path} ({what})"

    def erase(self, size: int) -> None:
        """Blank the image (the VM formats it at its next boot, as a port does a blank flash)."""
        os.ftruncate(self.fd, 0)
        os.ftruncate(self.fd, size)  # sparse zeros: no filesystem

    def save_to(self, destination: Path) -> None:
        """Copy the image to ``destination`` (files closed so far are all in it)."""
        tmp = destination.with_name(destination.name + ".part")
        shutil.copyfile(self.path, tmp)
        os.replace(tmp, destination)

    def close(self) -> None:
        """Release the image (and its lock); a scratch image stays for this kernel's later boards."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _scratch_image(kind: str, board: str) -> Path:
    folder = scratch_folder() / "flash"
    folder.mkdir(exist_ok=True)
    return folder / f"{kind}-{board}.img"


def _open_image(path: Path, size: int) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    if os.fstat(fd).st_size == 0:
        os.ftruncate(fd, size)  # blank: the VM formats it on first boot
    return fd


def _owner_of(folder: Path) -> str:
    try:
        return (folder / OWNER_NAME).read_text().strip() or "another kernel"
    except OSError:
        return "another kernel"


def open_flash(
    profile: str,
    size: int,
    choice: FlashChoice,
    *,
    name: str | None = None,
    store: Path | None = None,
    fresh: bool = False,
) -> FlashImage:
    """Open the flash image of board (``profile``, ``name``) as ``choice`` says.

    ``fresh`` discards this kernel's clean image or copy of that board first (a new start on purpose).
    Raises BoardError for an image file that is missing or of the wrong size.
    """
    board = board_id(profile, name)
    if choice.mode == CLEAN:
        return _open_scratch(CLEAN, board, size, fresh, None)
    if choice.mode == IMAGE:
        assert choice.image is not None
        source = choice.image
        if not source.is_file():
            raise BoardError(f"{FLASH_ENV}: no flash image at {source}")
        if source.stat().st_size != size:
            raise BoardError(
                f"{source} holds {source.stat().st_size} bytes, but the simulated {profile}'s flash is "
                f"{size} bytes: save an image on a simulated {profile} with %flash save FILE"
            )
        tag = hashlib.sha1(str(source).encode()).hexdigest()[:8]
        return _open_scratch(IMAGE, f"{board}-{tag}", size, fresh, source)
    folder = Path(store or default_store()) / board
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / IMAGE_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        copy = _open_scratch("copy", board, size, True, path)
        copy.notice = (
            f"The simulated {board}'s flash ({path}) is in use by {_owner_of(folder)}. This kernel works "
            "on a copy of it: files written here are discarded when this kernel ends. Shut the other "
            f"kernel down and %connect sim {profile} again to use the board's own flash."
        )
        return copy
    notice = None
    current = os.fstat(fd).st_size
    if current not in (0, size):  # a flash of another size (an older layout): keep it aside
        aside = path.with_name(f"{IMAGE_NAME}.{current}-bytes")
        shutil.copyfile(path, aside)
        os.ftruncate(fd, 0)
        notice = (
            f"The simulated {board}'s flash had another size; it was kept as {aside} and a blank one made."
        )
    if os.fstat(fd).st_size == 0:
        os.ftruncate(fd, size)
    (folder / OWNER_NAME).write_text(f"the kernel with process id {os.getpid()}\n")
    return FlashImage(path, fd, PERSISTENT, notice)


def _open_scratch(kind: str, board: str, size: int, fresh: bool, source: Path | None) -> FlashImage:
    path = _scratch_image(kind, board)
    if fresh:
        path.unlink(missing_ok=True)
    if source is not None and not path.exists():
        tmp = path.with_name(path.name + ".part")
        shutil.copyfile(source, tmp)
        os.replace(tmp, path)
    return FlashImage(path, _open_image(path, size), kind)
