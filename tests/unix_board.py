"""A modern MicroPython board on a pty: the unix-port VM, relayed to a second pty as QEMU's UART is.

Run as ``python -m tests.unix_board``: prints ``port /dev/pts/N`` and relays bytes until killed. The VM
has raw-paste (unlike the micro:bit's v1.9.2), so serial tests cover both ways of sending code.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time
import tty
from pathlib import Path

from micropython_kernel.simulator.vm import VmProcess


def relay() -> None:
    flash = Path(tempfile.mkdtemp(prefix="unix-board-flash-"))
    vm = VmProcess(256 * 1024, flash)
    channel = vm.start()
    board_fd = channel._fd  # the VM's console (FdChannel keeps it; we only relay it)
    assert board_fd is not None
    os.set_blocking(board_fd, True)
    master, slave = pty.openpty()
    tty.setraw(slave)
    signal.signal(signal.SIGTERM, lambda *_: (vm.kill(), sys.exit(0)))
    print("port", os.ttyname(slave), flush=True)
    while vm.alive():
        readable, _, _ = select.select([board_fd, master], [], [], 0.5)
        for fd in readable:
            try:
                data = os.read(fd, 4096)
            except OSError:  # nobody has the port open yet, or the VM ended
                time.sleep(0.01)
                continue
            os.write(master if fd == board_fd else board_fd, data)


class UnixBoard:
    """The relay as a child process; ``port`` is the pty a kernel connects to."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.unix_board"],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().split()
        if len(line) != 2 or line[0] != "port":
            self.kill()
            raise RuntimeError(f"the unix board did not start: {line}")
        self.port = line[1]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


if __name__ == "__main__":
    relay()
