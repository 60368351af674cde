"""The simulated board's box: its flash (an image, see flashstore.py) and the VM's confinement.

SimulatedBoard makes one BoardBox and asks it, for each VM start, for the VM's extra arguments and
environment; after the start, ``details()`` says what the flash is and which protection is active.
"""

from __future__ import annotations

from pathlib import Path

from ..board.errors import BoardError
from . import confine
from .flash import boot_code, boot_files_code, flash_layout
from .mpycache import compiled_lib
from .profiles import BoardProfile


class BoardBox:
    # Run before a reset: with the user's globals gone, a collection finalises (closes) the files they
    # held open, so what was written reaches the image, as a port's soft reset does.
    CLOSE_FILES = "globals().clear()\n__import__('gc').collect()"

    def __init__(self, profile: BoardProfile, folder: Path) -> None:
        self.profile = profile
        self.folder = Path(folder)  # the VM's working folder (the only one it may write)
        self.image_fd = -1  # the flash image, open (set by the board before each VM start)
        self.hardware_heap = 0  # heap the simulated hardware's modules take on top (set by the board)
        self.layout = flash_layout(profile)
        self.status_file = self.folder / confine.STATUS_NAME
        self.lib = compiled_lib()  # the simulator's modules as .mpy; the VM's "/.simulator"

    def heap_bytes(self) -> int:
        """The VM's GC heap: the profile's, plus what the boot keeps (see FlashLayout.boot_heap)."""
        return self.profile.heap_bytes + self.layout.boot_heap

    def vm_args(self) -> tuple[str, ...]:
        """VM arguments: run the boot code (mount the flash, dress as the board), then the REPL."""
        return ("-i", "-c", boot_code(self.profile, self.layout, self.image_fd, self.lib))

    def env(self) -> dict[str, str]:
        """The VM's module path (the compiled modules), and the request to confine the VM child to
        the private folder (read/write) and the compiled modules (read-only)."""
        self.status_file.unlink(missing_ok=True)  # the child writes it afresh
        self.lib = compiled_lib()  # recompiles what changed since the last start
        env = {"MICROPYPATH": str(self.lib)}  # only for the boot: it sets the board's sys.path
        env.update(
            confine.child_environment(
                str(self.status_file),
                [str(self.folder), str(self.lib)],
                heap_bytes=self.heap_bytes() + self.hardware_heap,
                max_file_bytes=self.layout.size,
            )
        )
        return env

    @staticmethod
    def check_boot(banner: bytes) -> None:
        """Raise BoardError if the boot code failed (its traceback precedes the VM's banner): a VM
        left with the host's filesystem and the unix port's modules must not pass for the board."""
        text = banner.decode("utf-8", "replace")
        if "Traceback (most recent call last)" in text.split("MicroPython ", 1)[0]:
            raise BoardError("the simulated board failed to boot:\n" + text.split("MicroPython ", 1)[0])

    def protection(self) -> str:
        """Which protection the running VM reported (read after the VM has started)."""
        try:
            return self.status_file.read_text().strip() or confine.UNCONFINED
        except OSError:
            return confine.UNCONFINED

    def details(self) -> dict[str, str]:
        """Lines for ``%status``."""
        return {"flash": self.layout.describe(), "sandbox": self.protection()}

    @staticmethod
    def startup_code(hard: bool) -> str:
        return boot_files_code(hard)
