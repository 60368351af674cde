"""A serial line with a real baud rate between a kernel and a board on a pty (QEMU, the unix board).

QEMU's ``-serial pty`` has no baud rate: bytes arrive at the board as fast as the host writes them. A
real UART at 115200 baud (8N1: 10 bits a byte) carries at most 11,520 bytes a second each way. This
relay opens the board's pty, makes a new pty for the kernel, and meters both directions at that rate,
so tests and benchmarks see what a board on a USB-serial adapter sees.

Run as ``python -m tests.serial_line BOARD_PTY [--baud N]``: prints ``port /dev/pts/N`` and relays
until killed. ``LineRelay`` is the same as a child process for tests.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import subprocess
import sys
import time
import tty
from collections.abc import Callable
from pathlib import Path

# Bytes a direction keeps while the receiver cannot take them (a USB-serial adapter's buffer); a
# UART with nobody listening drops the rest, as the port side does when no kernel has it open.
QUEUE_LIMIT = 4096
TICK = 0.001  # the relay wakes about every half TICK while bytes wait
BURST = 32  # the most bytes delivered at once after a late wake-up (2.8 ms of line at 115200)


class Direction:
    """One way of the line: bytes queued, delivered to ``deliver`` no faster than the baud rate."""

    def __init__(self, deliver: Callable[[bytes], int], bytes_per_second: float | None) -> None:
        self.deliver = deliver  # writes bytes, returns how many were taken (0: the receiver is full)
        self.rate = bytes_per_second
        self.queue = bytearray()
        self._clock = time.monotonic()  # the time the line finishes sending what it sent so far

    def push(self, data: bytes) -> None:
        if not self.queue:  # the line was idle: it starts sending now
            self._clock = time.monotonic()
        self.queue += data
        del self.queue[QUEUE_LIMIT:]  # overflow: dropped, as a UART's buffer would

    def room(self) -> bool:
        return len(self.queue) < QUEUE_LIMIT

    def pump(self) -> float | None:
        """Deliver what the line has carried by now; return seconds until the next byte is due."""
        if not self.queue:
            return None
        if self.rate is None:
            taken = self.deliver(bytes(self.queue))
            del self.queue[:taken]
            return TICK if self.queue else None
        now = time.monotonic()
        # A relay woken late delivers what the line carried meanwhile, but at most BURST bytes at once
        # (a UART delivers byte by byte): a long stall of this process is lost line time, not a flood.
        self._clock = max(self._clock, now - BURST / self.rate)
        allowed = int((now - self._clock) * self.rate)
        if allowed:
            taken = self.deliver(bytes(self.queue[:allowed]))
            del self.queue[:taken]
            self._clock += taken / self.rate
        return TICK / 2 if self.queue else None


def write_some(fd: int, data: bytes) -> int:
    """A non-blocking write; 0 when the other side's buffer is full."""
    try:
        return os.write(fd, data)
    except (BlockingIOError, InterruptedError):
        return 0


def open_port_pty() -> tuple[int, int, str]:
    """A pty for the kernel: (master for the relay, slave kept open, the slave's path)."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    return master, slave, os.ttyname(slave)


def relay(board_path: str, baud: int) -> None:
    board = os.open(board_path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    tty.setraw(board)
    master, _slave, path = open_port_pty()
    rate = baud / 10  # 8N1: a start bit, 8 data bits, a stop bit
    to_board = Direction(lambda data: write_some(board, data), rate)
    to_port = Direction(lambda data: write_some(master, data), rate)
    print("port", path, flush=True)
    while True:
        waits = [w for w in (to_board.pump(), to_port.pump()) if w is not None]
        sources = [fd for fd, way in ((master, to_board), (board, to_port)) if way.room()]
        readable, _, _ = select.select(sources, [], [], max(min(waits, default=0.5), TICK))
        for fd in readable:
            try:
                data = os.read(fd, 4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:  # the kernel closed its side (EIO until it opens it again)
                time.sleep(0.01)
                continue
            if not data and fd == board:
                return  # the board is gone (QEMU ended)
            (to_board if fd == master else to_port).push(data)


def start_port_process(command: list[str], what: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start a fixture that prints ``port PATH`` once its pty is ready; return it and the path."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode().split()
    if len(line) != 2 or line[0] != "port":
        process.kill()
        process.wait()
        raise RuntimeError(f"{what} did not start: {line}")
    return process, line[1]


class LineRelay:
    """The relay as a child process: ``port`` is the kernel's side of a ``baud`` line to ``board_port``."""

    def __init__(self, board_port: str, baud: int = 115200) -> None:
        self.baud = baud
        command = [sys.executable, "-m", "tests.serial_line", board_port, "--baud", str(baud)]
        self.process, self.port = start_port_process(command, "the line relay")

    @property
    def bytes_per_second(self) -> float:
        return self.baud / 10

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("board")
    parser.add_argument("--baud", type=int, default=115200)
    options = parser.parse_args()
    relay(options.board, options.baud)
