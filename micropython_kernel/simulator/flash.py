"""The simulated board's flash: the filesystem kind and size of each board, on an image file.

Where the image lives is ``flashstore.py``'s job; the VM gets it as an open file descriptor and mounts
it at boot (``mpy/_boot.py``) in place of the host filesystem, so ``open``, ``os`` and imports see only
the board's flash, as on the real port.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .profiles import BoardProfile

# What MicroPython's esp32 port writes to a freshly formatted flash (ports/esp32/modules/inisetup.py).
ESP32_BOOT_PY = (
    "# This file is executed on every boot (including wake-boot from deepsleep)\n"
    "#import esp\n"
    "#esp.osdebug(None)\n"
    "#import webrepl\n"
    "#webrepl.start()\n"
)


@dataclass(frozen=True)
class FlashLayout:
    """The filesystem a port puts on the board's flash."""

    kind: str  # "lfs2" (vfs.VfsLfs2) or "fat" (vfs.VfsFat)
    block_size: int
    block_count: int
    mount_point: str  # where the port mounts it; the working directory at boot
    machine: str  # sys.implementation._machine / os.uname().machine on the board
    # GC heap the boot keeps (its modules, the filesystem's buffers; benchmarks/vm_start.py measures it),
    # added to the VM's heap so that gc.mem_free() after boot is a bare VM's with the profile's heap: a
    # real port keeps these modules in ROM, and its figure was measured with its flash mounted.
    boot_heap: int
    flat: bool = False  # no directories (the micro:bit)
    first_files: tuple[tuple[str, str], ...] = ()  # written when the port formats a blank flash

    @property
    def size(self) -> int:
        return self.block_size * self.block_count

    def describe(self) -> str:
        kind = {"lfs2": "littlefs2", "fat": "FAT"}[self.kind]
        flat = ", flat (no directories)" if self.flat else ""
        return f"{kind}, {self.size // 1024} KB at {self.mount_point}{flat}"


LAYOUTS: dict[str, FlashLayout] = {
    # ESP32_GENERIC (4 MB flash): ports/esp32/partitions-4MiB.csv gives the "vfs" partition 0x200000
    # bytes; _boot.py mounts it as littlefs2 with the flash's 4096-byte erase blocks.
    "esp32": FlashLayout(
        "lfs2",
        4096,
        512,
        "/",
        "Generic ESP32 module with ESP32",
        11456,
        first_files=(("boot.py", ESP32_BOOT_PY),),
    ),
    # RPI_PICO: ports/rp2/boards/RPI_PICO/mpconfigboard.h, MICROPY_HW_FLASH_STORAGE_BYTES = 1408 KB of the
    # 2 MB flash, littlefs2 in 4096-byte sectors (ports/rp2/rp2_flash.c, modules/_boot.py).
    "pico": FlashLayout("lfs2", 4096, 352, "/", "Raspberry Pi Pico with RP2040", 11552),
    # PYBv1.1 (STM32F405): ports/stm32/flashbdev.c uses flash sectors 1-4 (16+16+16+64 KB = 112 KB) as
    # 224 blocks of 512 bytes, formatted FAT and mounted at /flash (the working directory at boot).
    "pyboard": FlashLayout("fat", 512, 224, "/flash", "PYBv1.1 with STM32F405RG", 15200),
    # micro:bit v1: its own flat filesystem of 128-byte chunks, "approximately 30k" (microbit-micropython
    # docs, filesystem.html; source/microbit/filesystem.c). The nearest MicroPython offers: littlefs2 in
    # 128-byte blocks, 30 KB, directories refused.
    "microbit": FlashLayout("lfs2", 128, 240, "/", "micro:bit with nRF51822", 11504, flat=True),
}


def flash_layout(profile: BoardProfile) -> FlashLayout:
    return LAYOUTS[profile.name]


def boot_code(profile: BoardProfile, layout: FlashLayout, image_fd: int, lib: Path) -> str:
    """MicroPython source run before the REPL (``-c``): mount the flash, dress the VM as the board.

    ``__import__`` binds no name, so the user's namespace starts empty as on a board.
    """
    args = (
        profile.platform,
        layout.machine,
        layout.kind,
        layout.block_size,
        layout.block_count,
        layout.mount_point,
        layout.flat,
        image_fd,
        str(lib),
        layout.first_files,
    )
    call = ", ".join(repr(arg) for arg in args)
    return f"__import__('_boot').boot({call});__import__('sys').modules.pop('_boot')"


# Run after a reset, as a port's main.c does: boot.py always, main.py on a hard reset (a port skips it on
# a soft reset in raw REPL mode). Top-level code, so both run in the REPL's globals as on a board.
_RUN_FILE = "try:\n    open({name!r}).close()\nexcept OSError:\n    pass\nelse:\n    execfile({name!r})\n"


def boot_files_code(hard: bool) -> str:
    """Code that runs boot.py (and main.py on a hard reset) from the flash if they exist."""
    names = ("boot.py", "main.py") if hard else ("boot.py",)
    return "".join(_RUN_FILE.format(name=name) for name in names)
