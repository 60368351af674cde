"""SimulatedBoard: the Board protocol over a MicroPython VM process, spoken in raw REPL."""

from __future__ import annotations

import asyncio
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..board.errors import BoardDisconnected, BoardError
from ..board.protocol import Board, BoardInfo, ExecResult
from ..board.rawrepl import RawRepl
from ..board.state import BoardState
from .box import BoardBox
from .profiles import BoardProfile, get_profile
from .vm import VmProcess

# The stop button sends SIGINT to the VM: KeyboardInterrupt in the running code, state kept.
# (Measured: this unix-port build keeps the pty in raw mode while code runs, so a Ctrl-C byte on the
# line raises nothing; and with no code running SIGINT ends the VM, so it is only sent during a cell.)
# If the code still runs after SIGINT_AGAIN_AFTER, a second SIGINT; after KILL_AFTER, a fresh VM.
SIGINT_AGAIN_AFTER = 1.5
KILL_AFTER = 4.0


class SimulatedBoard(Board):
    """A board with no hardware: the real MicroPython VM with the heap of ``profile``."""

    def __init__(
        self, profile: str | None = None, flash_dir: Path | None = None, state: BoardState | None = None
    ) -> None:
        self.profile: BoardProfile = get_profile(profile)
        self.state = state if state is not None else BoardState()
        self._own_flash = flash_dir is None
        self.flash_dir = Path(flash_dir or tempfile.mkdtemp(prefix="micropython-kernel-flash-"))
        self.vm: VmProcess | None = None
        self.repl: RawRepl | None = None
        self._lock = asyncio.Lock()
        self._running = False
        self._interrupt_task: asyncio.Task[None] | None = None
        self.info = BoardInfo(kind="simulated", name=f"simulated {self.profile.name}")
        self.box = BoardBox(self.profile, self.flash_dir)  # the flash image and the VM's confinement

    # -- life cycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        self.vm = VmProcess(
            self.box.heap_bytes(), self.flash_dir, vm_args=self.box.vm_args(), extra_env=self.box.env()
        )
        channel = self.vm.start()
        self.repl = RawRepl(channel, pacing=None, response_timeout=10.0)
        banner = await self.repl.read_until(b">>> ")  # the VM flushes its input when the REPL starts
        try:
            self.box.check_boot(banner)
        except BoardError:
            self._stop_vm()  # never leave a VM that is not dressed as the board to run cells
            self.repl = None
            raise
        await self.repl.enter(interrupt=False)
        self.repl.stray_output.clear()
        version = await self._query_unlocked(
            "import sys\nprint('%d.%d.%d' % sys.implementation.version[:3])\ndel sys"
        )
        self.info.version = version.strip()
        self.info.firmware = banner.decode("utf-8", "replace").splitlines()[0]
        self.info.platform = self.profile.platform
        self.state.reset(self.info.name, self.profile.name)
        self.info.details = {
            "profile": self.profile.description,
            "heap size": f"{self.profile.heap_bytes // 1024} KB",
            "flash folder": str(self.flash_dir),
        }
        self.info.details.update(self.box.details())

    async def _restart(self) -> None:
        self._stop_vm()
        await self.start()

    def _stop_vm(self) -> None:
        if self.repl is not None:
            self.repl.channel.close()
        if self.vm is not None:
            self.vm.kill()

    async def close(self) -> None:
        self._stop_vm()
        if self._own_flash:
            shutil.rmtree(self.flash_dir, ignore_errors=True)

    async def reset(self, hard: bool = False) -> str:
        # The unix port has no soft reset (Ctrl-D ends the process): both resets are a fresh VM;
        # the flash folder, like a board's flash, keeps its files.
        async with self._lock:
            await self._close_files()
            await self._restart()
        return f"{self.info.name}: fresh MicroPython VM, files on the flash kept"

    async def _close_files(self) -> None:
        # A port's soft reset runs the finalisers of every object, closing open files so their data
        # reaches the flash; killing the VM would lose it. Drop the user's globals and collect instead.
        if self.repl is None or self.vm is None or not self.vm.alive():
            return
        try:
            await self._query_unlocked(self.box.CLOSE_FILES)
        except BoardError:  # a VM in trouble: the restart is what it needs
            pass

    def startup_code(self, hard: bool) -> str:
        # A fresh VM runs no boot files by itself: the kernel runs these as a cell after reset().
        return self.box.startup_code(hard)

    # -- running code --------------------------------------------------------------------------
    async def execute(self, code: str, on_stdout: Callable[[bytes], None]) -> ExecResult:
        async with self._lock:
            if self.repl is None:
                await self.start()
            assert self.repl is not None
            self._running = True
            try:
                stderr = await self.repl.execute(code, on_stdout)
            except BoardDisconnected:
                reason = self.vm.exit_description() if self.vm else "the VM is gone"
                await self._restart()
                return ExecResult(restarted_reason=f"{reason}; a fresh VM was started (variables were lost)")
            finally:
                self._running = False
                if self._interrupt_task is not None:
                    self._interrupt_task.cancel()
                    self._interrupt_task = None
            return ExecResult(stderr=stderr.decode("utf-8", "replace"))

    async def _query_unlocked(self, code: str) -> str:
        assert self.repl is not None
        out = bytearray()
        stderr = await self.repl.execute(code, out.extend)
        if stderr:
            raise BoardError(stderr.decode("utf-8", "replace"))
        return out.decode("utf-8", "replace")

    async def interrupt(self) -> None:
        if not self._running or self.vm is None:
            return
        self.vm.send_signal(signal.SIGINT)
        if self._interrupt_task is None:
            self._interrupt_task = asyncio.ensure_future(self._escalate_interrupt())

    async def _escalate_interrupt(self) -> None:
        await asyncio.sleep(SIGINT_AGAIN_AFTER)
        if self._running and self.vm is not None:
            self.vm.send_signal(signal.SIGINT)
        await asyncio.sleep(KILL_AFTER - SIGINT_AGAIN_AFTER)
        if self._running and self.vm is not None:
            self.vm.kill()  # the running execute sees the line close and starts a fresh VM
