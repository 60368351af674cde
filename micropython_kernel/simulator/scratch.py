"""The kernel process's scratch folder: one temporary folder per process, removed when it ends.

Everything short-lived the simulator writes (the compiled modules, each board's working folder, clean
and copied flash images) lives below it. The process holds an ``flock`` on the folder's ``owner`` file
for its whole life, so a later kernel can tell a folder whose process died (SIGKILL, a crash: no atexit
ran) from one in use, and removes it: ``remove_abandoned()`` runs when the first folder is made.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "micropython-kernel-scratch-"
OWNER = "owner"

_folder: Path | None = None
_owner_fd: int | None = None


def scratch_folder() -> Path:
    """This process's scratch folder (made on first use, with abandoned ones removed first)."""
    global _folder, _owner_fd
    if _folder is None:
        remove_abandoned()
        folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        # Locked before it gets its name, so no cleaner ever sees it unlocked.
        fd = os.open(folder / (OWNER + ".new"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # released by the system whatever way this process ends
        os.write(fd, str(os.getpid()).encode())
        os.rename(folder / (OWNER + ".new"), folder / OWNER)
        _folder, _owner_fd = folder, fd
        atexit.register(_remove, folder)
    return _folder


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(parent: Path | None = None) -> list[Path]:
    """Remove scratch folders whose process is gone (their owner lock is free); return them."""
    removed = []
    for folder in Path(parent or tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            fd = os.open(folder / OWNER, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:  # not a scratch folder, or one being made this instant
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its process is alive
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
