"""A modern MicroPython board on a pty: the unix-port VM behind a UART, as QEMU's ``-serial pty`` is.

Run as ``python -m tests.unix_board [options]``: prints ``port /dev/pts/N`` and plays the board until
killed. The VM has raw-paste (unlike the micro:bit's v1.9.2), so serial tests cover both ways of
sending code. What makes it a board's UART rather than a terminal (docs/architecture.md, "The simulated
board's VM"):

- **Ctrl-C**: a board's UART driver turns the interrupt character into KeyboardInterrupt while code
  runs, and passes it on as a byte at the prompt. The unix VM catches SIGINT exactly while it runs
  code (bit 2 of ``SigCgt`` in ``/proc/PID/status``), so a ``\\x03`` from the port becomes SIGINT then
  and a byte otherwise (SIGINT at the prompt would end the VM).
- **A board's files**: its flash is a folder; ``/lib`` (on ``sys.path``) is a second one. Its
  ``machine`` is the simulated ESP32's (pins, I2C with the AHT20 and LIS3DH), with no host behind it.
- **Reboots**: ``machine.reset()`` ends the VM (``_simhw.reboot``); the board boots a fresh one on
  the same port, prints its banner, and runs ``main.py`` if its flash has one. So does
  ``press_reset()`` (the reset button: SIGUSR1 to this process).
- Options make the boards makers meet: ``--baud N`` (a line with a real baud rate, see
  ``serial_line.py``), ``--no-raw-paste`` (firmware built without it: answers ``R\\x00``),
  ``--ignore-interrupts`` (code stuck in C: the interrupt character is lost while code runs),
  ``--main FILE`` (a ``main.py`` put on the flash before the first boot), ``--ready TEXT`` (says
  ``ready`` on stdout once the board printed TEXT).
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from micropython_kernel.simulator.vm import VmProcess
from tests.serial_line import TICK, Direction, open_port_pty, start_port_process, write_some

# A board's /lib (where packages go, on sys.path) is the flash's lib folder; then main.py, if any.
BOOT = (
    "import vfs, sys\n"
    "vfs.mount(vfs.VfsPosix({lib!r}), '/lib')\n"
    "sys.path.append('/lib')\n"
    "del vfs, sys\n"
    "try:\n    open('main.py').close()\nexcept OSError:\n    pass\nelse:\n    execfile('main.py')\n"
)
RAW_PASTE_REQUEST = b"\x05A\x01"
RAW_PASTE_UNSUPPORTED = b"R\x00"


def esp32_settings() -> dict[str, str]:
    """The simulated ESP32's pins and I2C devices for the VM's hardware modules (machine.py), as the
    simulated board gives them."""
    from micropython_kernel.simulator.board import profile_environment
    from micropython_kernel.simulator.profiles import get_profile

    return profile_environment(get_profile("esp32"))


def catches_sigint(pid: int) -> bool:
    """True while the VM has a SIGINT handler installed: it runs code (the unix port's own rule)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signal.SIGINT - 1) & 1)
    return False


class Board:
    """The VM and its UART: boots (and reboots) the VM, relays the port to its console."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.flash = Path(tempfile.mkdtemp(prefix="unix-board-flash-"))
        self.lib = Path(tempfile.mkdtemp(prefix="unix-board-lib-"))
        if options.main:
            shutil.copy(options.main, self.flash / "main.py")
        self.vm: VmProcess | None = None
        self.console: int | None = None
        self.reset_pressed = False
        self.announced, self.recent = False, b""
        rate = options.baud / 10 if options.baud else None
        self.port_master, self._port_slave, self.port_path = open_port_pty()
        self.to_board = Direction(self._deliver_to_board, rate)
        # The board's output waits up to QUEUE_LIMIT bytes for a slow reader, then is dropped (a UART with
        # nobody listening): a main.py printing away never blocks on a port nobody has open.
        self.to_port = Direction(lambda data: write_some(self.port_master, data), rate)

    def boot(self) -> None:
        """Start a fresh VM: ``micropython -i main.py`` runs main.py then gives the REPL, as a board."""
        self.power_off()
        if self.console is not None:
            os.close(self.console)
        boot = BOOT.format(lib=str(self.lib))
        self.vm = VmProcess(256 * 1024, self.flash, extra_env=esp32_settings(), vm_args=("-i", "-c", boot))
        channel = self.vm.start()
        self.console = channel._fd  # the VM's console (FdChannel keeps it; only relayed here)
        assert self.console is not None
        channel._fd = None  # ours now: the channel object must not close it

    def power_off(self) -> None:
        # The VM leads its own session (start_new_session): its group holds what it started too.
        if self.vm is not None and self.vm.pid is not None:
            try:
                os.killpg(self.vm.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.vm.kill()

    def _deliver_to_board(self, data: bytes) -> int:
        assert self.console is not None and self.vm is not None and self.vm.pid is not None
        taken = 0
        while data:
            stop = data.find(b"\x03")
            piece = data if stop < 0 else data[:stop]
            if piece:
                written = write_some(self.console, piece)
                taken += written
                if written < len(piece):
                    return taken
            if stop < 0:
                return taken
            if catches_sigint(self.vm.pid):  # code runs: the interrupt character is an interrupt
                if not self.options.ignore_interrupts:
                    os.kill(self.vm.pid, signal.SIGINT)
            elif write_some(self.console, b"\x03") == 0:  # at a prompt: a byte
                return taken
            taken += 1
            data = data[stop + 1 :]
        return taken

    def _announce_ready(self, data: bytes) -> None:
        """Tell the test (a line on stdout) once the board printed ``--ready`` text: its main.py runs."""
        if self.options.ready and not self.announced:
            self.recent = (self.recent + data)[-4096:]
            if self.options.ready.encode() in self.recent:
                self.announced = True
                print("ready", flush=True)

    def _from_port(self, data: bytes) -> None:
        if self.options.no_raw_paste and RAW_PASTE_REQUEST in data:
            data = data.replace(RAW_PASTE_REQUEST, b"")
            self.to_port.push(RAW_PASTE_UNSUPPORTED)
        self.to_board.push(data)

    def run(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: (self.power_off(), sys.exit(0)))
        signal.signal(signal.SIGUSR1, lambda *_: setattr(self, "reset_pressed", True))
        self.boot()
        print("port", self.port_path, flush=True)
        while True:
            assert self.vm is not None and self.console is not None
            if self.reset_pressed or not self.vm.alive():  # the reset button, or machine.reset()
                self.reset_pressed = False
                self.to_board.queue.clear()
                self.boot()
                continue
            waits = [w for w in (self.to_board.pump(), self.to_port.pump()) if w is not None]
            sources = [self.port_master] if self.to_board.room() else []
            sources.append(self.console)
            try:
                readable, _, _ = select.select(sources, [], [], max(min(waits, default=0.2), TICK))
            except InterruptedError:
                continue
            for fd in readable:
                try:
                    data = os.read(fd, 4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:  # nobody has the port open yet, or the VM ended
                    time.sleep(0.01)
                    continue
                if fd == self.port_master:
                    self._from_port(data)
                else:
                    self._announce_ready(data)
                    self.to_port.push(data)


class UnixBoard:
    """The board as a child process; ``port`` is the pty a kernel connects to."""

    def __init__(
        self,
        *,
        baud: int | None = None,
        raw_paste: bool = True,
        ignore_interrupts: bool = False,
        main: str | None = None,
        ready: str | None = None,
    ) -> None:
        command = [sys.executable, "-m", "tests.unix_board"]
        if baud:
            command += ["--baud", str(baud)]
        if not raw_paste:
            command.append("--no-raw-paste")
        if ignore_interrupts:
            command.append("--ignore-interrupts")
        self._main_file = None
        if main is not None:
            self._main_file = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
            self._main_file.write(main)
            self._main_file.close()
            command += ["--main", self._main_file.name]
        if ready:
            command += ["--ready", ready]
        self.process, self.port = start_port_process(command, "the unix board")

    def wait_ready(self) -> None:
        """Wait until the board printed the ``ready`` text (its stdout says so)."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        if line != "ready":
            raise RuntimeError(f"the unix board did not get ready: {line!r}")

    def press_reset(self) -> None:
        """The board's reset button: a fresh VM on the same port (main.py runs again)."""
        self.process.send_signal(signal.SIGUSR1)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._main_file is not None:
            os.unlink(self._main_file.name)
            self._main_file = None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baud", type=int, default=0, help="a line of N baud (default: no baud rate)")
    parser.add_argument("--no-raw-paste", action="store_true")
    parser.add_argument("--ignore-interrupts", action="store_true")
    parser.add_argument("--main", help="a file to put on the flash as main.py")
    parser.add_argument("--ready", help="print 'ready' once the board has printed this text")
    Board(parser.parse_args()).run()
