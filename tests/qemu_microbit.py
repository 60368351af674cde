"""The micro:bit firmware (MicroPython v1.9.2) under QEMU: a real board on a pty for tests and benchmarks."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

FIRMWARE = Path("/usr/share/firmware-microbit-micropython/firmware.hex")
_PTY_LINE = re.compile(rb"char device redirected to (/dev/pts/\d+)")


def qemu_missing_reason() -> str | None:
    """Why the QEMU micro:bit cannot run here, or None when it can."""
    if shutil.which("qemu-system-arm") is None:
        return "qemu-system-arm is not installed (apt-get install qemu-system-arm)"
    if not FIRMWARE.exists():
        return f"{FIRMWARE} is missing (apt-get install firmware-microbit-micropython)"
    return None


class QemuMicrobit:
    """A QEMU micro:bit; ``port`` is the pty its UART is on. Killing it is unplugging the board."""

    def __init__(self, startup_timeout: float = 20.0) -> None:
        self.process = subprocess.Popen(
            [
                "qemu-system-arm",
                "-M",
                "microbit",
                "-device",
                f"loader,file={FIRMWARE}",
                "-nographic",
                "-serial",
                "pty",
                "-monitor",
                "none",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert self.process.stdout is not None
        seen = b""
        deadline = time.monotonic() + startup_timeout
        while (match := _PTY_LINE.search(seen)) is None:
            chunk = self.process.stdout.read1(256)
            if not chunk or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"QEMU did not report its pty: {seen!r}")
            seen += chunk
        self.port = match.group(1).decode()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
