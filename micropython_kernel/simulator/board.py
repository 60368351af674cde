"""SimulatedBoard: the Board protocol over a MicroPython VM process, spoken in raw REPL."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from ..board.errors import BoardDisconnected, BoardError
from ..board.heap import FREE_BLOCK, FREE_LINE, HeapReading, largest_free_run, parse_block_map
from ..board.protocol import Board, BoardInfo, ExecResult
from ..board.rawrepl import RawRepl
from ..board.state import BoardState, PinState
from .background import BackgroundService
from .box import BoardBox
from .flashstore import FlashChoice, FlashImage, board_id, open_flash
from .hardware import HardwareModel
from .inputs import SimulatedInputs
from .mpycache import VM_LIB
from .profiles import BoardProfile, get_profile
from .scratch import scratch_folder
from .seed import seed_from_environment
from .vm import VmProcess

# The stop button sends SIGINT to the VM: KeyboardInterrupt in the running code, state kept. A Ctrl-C
# byte on the pty is no reliable stop, and with no code running SIGINT ends the VM, so it is only sent
# while the VM catches it: VmProcess.interrupt_running_code (docs/architecture.md, "Stopping the
# simulated board").
# If the code still runs after SIGINT_AGAIN_AFTER, a second SIGINT; after KILL_AFTER, a fresh VM.
SIGINT_AGAIN_AFTER = 1.5
KILL_AFTER = 4.0
# After each cell: send the events the VM still buffers (a loop that ended between two flushes).
# Heap for the simulated hardware's own modules (machine, microbit ...: C in a real firmware), on top of
# the profile's heap and then held back (see _load_hardware).
HARDWARE_HEAP = 160 * 1024
# After each cell: send the buffered events; report=1 also prints the heap for %heap, allocating
# nothing (the same code with and without %heap: the view costs the user's heap nothing).
_END_OF_CELL = (
    "__import__('sys').modules.get('_simhw') and __import__('sys').modules['_simhw'].end_of_cell({report})"
)


class SimulatedBoard(Board):
    """A board with no hardware: the real MicroPython VM with the heap of ``profile``.

    Its flash is an image chosen by ``flash`` (default: ``MICROPYTHON_KERNEL_FLASH``, else the board's
    persistent image in ``store``, see flashstore.py); ``name`` tells several boards of one profile apart.
    """

    def __init__(
        self,
        profile: str | None = None,
        state: BoardState | None = None,
        *,
        flash: FlashChoice | None = None,
        name: str | None = None,
        store: Path | None = None,
    ) -> None:
        self.profile: BoardProfile = get_profile(profile)
        self.seed = seed_from_environment()  # MICROPYTHON_KERNEL_SEED: repeatable noise and random
        self.state = state if state is not None else BoardState()
        self.board_name = name
        self.board_id = board_id(self.profile.name, name)  # ValueError for a bad name
        self.flash_choice = flash or FlashChoice.from_environment()
        self.flash_store = store
        self.flash: FlashImage | None = None  # opened at the first start, kept across VM restarts
        self._fresh_flash = False  # the next open discards this kernel's clean image or copy first
        self.notices: list[str] = []  # what the user must be told (a copy of a busy flash ...)
        self._reset_cause: str | None = None  # what ended the last VM ("deepsleep" ...), for reset_cause()
        # The VM's working folder (its confinement allows writing only here); the image is elsewhere.
        self.flash_dir = Path(tempfile.mkdtemp(prefix=f"board-{self.board_id}-", dir=scratch_folder()))
        self.vm: VmProcess | None = None
        self.repl: RawRepl | None = None
        self._lock = asyncio.Lock()
        self._running = False
        self._interrupt_task: asyncio.Task[None] | None = None
        label = f"simulated {self.profile.name}" + (f" {name!r}" if name else "")
        self.info = BoardInfo(kind="simulated", name=label, heap_bytes=self.profile.heap_bytes)
        self.hardware = HardwareModel(self.state)  # outlives each VM: inputs survive a reset
        self.box = BoardBox(self.profile, self.flash_dir)  # the flash image and the VM's confinement
        self.box.hardware_heap = HARDWARE_HEAP
        # Timers and irq handlers between cells.
        self.background = BackgroundService(
            self.hardware, self._lock, lambda: self.repl, self._interrupt_running_code
        )
        self.hardware.on_handler_interrupted = self._interrupt_again
        self.report_heap = False  # read the heap after each cell (a %heap view is live)
        self._heap_reading: HeapReading | None = None  # read at the end of the last cell
        self._board_blocks: list[int] = []  # the VM's GC blocks that are the board's heap (see start)
        self.inputs = SimulatedInputs(self.profile, self.hardware, self.state)

    # -- life cycle ----------------------------------------------------------------------------
    def start_fresh(self) -> None:
        """Make the next start discard this kernel's clean image or copy (``%flash clean`` again)."""
        self._fresh_flash = True

    def _open_flash(self) -> FlashImage:
        if self.flash is None:
            self.flash = open_flash(
                self.profile.name,
                self.box.layout.size,
                self.flash_choice,
                name=self.board_name,
                store=self.flash_store,
                fresh=self._fresh_flash,
            )
            if self.flash.notice:
                self.notices.append(self.flash.notice)
        return self.flash

    def take_notices(self) -> list[str]:
        """What the user should read about this board (said once)."""
        notices, self.notices = self.notices, []
        return notices

    async def start(self) -> None:
        flash = self._open_flash()
        self.box.image_fd = flash.fd
        pass_fds, env = self.hardware.open()
        env.update(self._profile_environment())
        env.update(self.box.env())
        heap = self.box.heap_bytes() + HARDWARE_HEAP
        self.vm = VmProcess(
            heap, self.flash_dir, extra_env=env, pass_fds=(*pass_fds, flash.fd), vm_args=self.box.vm_args()
        )
        channel = self.vm.start()
        self.hardware.started()
        self.repl = RawRepl(channel, pacing=None, response_timeout=10.0, stop_hook=self._stop_running_vm_code)
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
        await self._load_hardware()
        self.info.firmware = banner.decode("utf-8", "replace").splitlines()[0]
        self.info.platform = self.profile.platform
        self.state.reset(self.info.name, self.profile.name, self._power_on_pins())
        self.hardware.drain()
        self.background.kick()  # (the micro:bit's buttons watch their inputs from the start)
        self.info.details = {
            "profile": self.profile.description,
            "heap size": f"{self.profile.heap_bytes // 1024} KB",
            "flash image": flash.describe(),
        }
        self.info.details.update(self.box.details())

    async def _load_hardware(self) -> None:
        """Import the hardware modules (built into a real board's firmware, so they cost its heap
        nothing), then hold the heap beyond the board's size, so gc.mem_free() and MemoryError
        happen where they would on the real board."""
        modules = "\n".join(f"__import__('{name}')" for name in self.profile.builtin_modules)
        report = await self._query_unlocked(
            f"{modules}\n__import__('gc').collect()\n"
            f"__import__('_simheap').hold_heap({self.profile.heap_bytes})\n__import__('_simhw').flush()\n"
            "__import__('micropython').mem_info(1)"
        )
        # The blocks free now are the board's heap; the rest (the hardware modules, the held-back
        # ballast) would be the firmware's flash and the RAM beyond the board's heap: the heap map
        # shows only the board's blocks.
        block_map = parse_block_map(report)
        blocks = block_map[0] if block_map else ""
        self._board_blocks = [i for i, block in enumerate(blocks) if block == FREE_BLOCK]
        self._heap_reading = None

    async def _restart(self) -> None:
        self._stop_vm()
        await self.start()

    def _stop_vm(self) -> None:
        if self.repl is not None:
            self.repl.channel.close()
        if self.vm is not None:
            self.vm.kill()
        self.hardware.close()

    def _profile_environment(self) -> dict[str, str]:
        env = profile_environment(self.profile)
        # machine.reset_cause(): what ended the last VM (PWRON 1, HARD 2, DEEPSLEEP 4, SOFT 5)
        env["MPK_RESET_CAUSE"] = {"deepsleep": "4", "reset": "2", "soft_reset": "5"}.get(
            self._reset_cause or "", "1"
        )
        if self.seed is not None:
            env["MPK_SEED"] = str(self.seed)  # every fresh VM (a reset, a crash) starts the same sequence
        return env

    def _power_on_pins(self) -> dict[str, PinState]:
        pins = {spec.name: PinState(spec.name, capabilities=spec.capabilities) for spec in self.profile.pins}
        self.inputs.power_on_levels(pins)
        return pins

    def _interrupt_running_code(self) -> None:
        if self.vm is not None:
            self.vm.interrupt_running_code()

    @property
    def lock(self) -> asyncio.Lock:
        """Held while something talks to the VM (a cell, a query, a background slice)."""
        return self._lock

    async def close(self) -> None:
        self.background.stop()
        self._stop_vm()
        self.inputs.stop_replays()
        if self.flash is not None:
            self.flash.close()  # (releases the persistent image's lock for the next kernel)
            self.flash = None
        shutil.rmtree(self.flash_dir, ignore_errors=True)

    @contextlib.asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """Hold the VM for a cell or a reset: wake the background service first (it idles the VM between
        cells), and let it start no new slice while this caller waits, even if the wait is cancelled."""
        self.background.wake()
        try:
            await self._lock.acquire()
        finally:
            self.background.served()
        try:
            yield
        finally:
            self._lock.release()

    async def reset(self, hard: bool = False) -> str:
        # The unix port has no soft reset (Ctrl-D ends the process): both resets are a fresh VM;
        # the flash folder, like a board's flash, keeps its files.
        async with self._turn():
            await self._close_files()
            self._reset_cause = "reset" if hard else "soft_reset"
            await self._restart()
        return f"{self.info.name}: fresh MicroPython VM, files on the flash kept"

    async def erase_flash(self) -> str:
        """Blank the flash (the VM formats it at its boot, as a port does a blank flash): a fresh VM."""
        async with self._turn():
            self._stop_vm()
            flash = self._open_flash()
            flash.erase(self.box.layout.size)
            await self.start()
        return f"{self.info.name}: flash erased and formatted ({flash.path}); a fresh MicroPython VM"

    def save_flash(self, destination: Path) -> None:
        """Copy the flash image to ``destination`` (for MICROPYTHON_KERNEL_FLASH or %flash image)."""
        self._open_flash().save_to(destination)

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
        return await self._execute(code, on_stdout, background_output=True)

    async def execute_quietly(self, code: str, on_stdout: Callable[[bytes], None]) -> ExecResult:
        # What callbacks printed between cells waits for the user's next cell.
        return await self._execute(code, on_stdout, background_output=False)

    async def _execute(
        self, code: str, on_stdout: Callable[[bytes], None], background_output: bool
    ) -> ExecResult:
        async with self._turn():
            if self.repl is None:
                await self.start()
            assert self.repl is not None
            if background_output and self.background.output:
                on_stdout(
                    _hide_simulator_frames(self.background.take_output().decode("utf-8", "replace")).encode()
                )
            self._running = True
            try:
                stderr = await self.repl.execute(code, on_stdout, show_late=background_output)
            except BoardDisconnected:
                reason = self.vm.exit_description() if self.vm else "the VM is gone"
                self.hardware.drain()
                request = self.hardware.reset_request
                self._reset_cause = request
                await self._restart()
                if request == "deepsleep":  # as a port: the sleep ends in a reset, boot.py and main.py run
                    return ExecResult(
                        rebooted="machine.deepsleep(): the board slept, then woke with a reset "
                        "(variables are gone); running boot.py and main.py"
                    )
                if request:
                    reason = f"machine.{request}() rebooted the board"
                return ExecResult(restarted_reason=f"{reason}; a fresh VM was started (variables were lost)")
            finally:
                self._running = False
                if self._interrupt_task is not None:
                    self._interrupt_task.cancel()
                    self._interrupt_task = None
            await self._flush_events(on_stdout if background_output else None)
        self.background.kick()
        return ExecResult(
            stderr=_hide_simulator_frames(stderr.decode("utf-8", "replace")), notices=self.repl.take_notices()
        )

    async def _flush_events(self, on_late_output: Callable[[bytes], None] | None = None) -> None:
        """Bring in the events the VM still buffers (a loop that ended between two of its flushes).
        Runs after ``_running`` is cleared: a stop pressed now must not reach an idle VM (it would
        end it)."""
        assert self.repl is not None
        out = bytearray()
        try:
            await self.repl.execute(
                _END_OF_CELL.format(report=int(self.report_heap)), out.extend, show_late=False
            )
        except BoardDisconnected:
            return  # the next cell finds the VM gone and starts a fresh one
        # If the cell went on printing after a frame end it printed itself, that output came only now:
        # it is the cell's.
        late = self.repl.take_late_output()
        if late and on_late_output is not None:
            on_late_output(late)
        self.hardware.drain()
        if self.report_heap:
            self._heap_reading = self._heap_from(out.decode("utf-8", "replace"))

    def _heap_from(self, text: str) -> HeapReading | None:
        """The heap as the board counts it, from what end_of_cell(1) printed: used = the profile's
        heap - free (the VM's own heap is larger, all but the board's part held back)."""
        found = FREE_LINE.search(text)
        if found is None:
            return None
        free = int(found.group(1))
        reading = HeapReading(free, max(0, self.profile.heap_bytes - free))
        block_map = parse_block_map(text)
        if block_map is not None:
            blocks, reading.block_bytes = block_map
            reading.blocks = "".join(blocks[i] for i in self._board_blocks if i < len(blocks))
            reading.largest_free = largest_free_run(reading.blocks) * (reading.block_bytes or 0)
        return reading

    async def read_heap(self, with_map: bool = False) -> HeapReading | None:
        """The reading taken at the end of the last cell (it cost the heap nothing), else one now.
        ``with_map`` (the %heap view): from now on every cell ends with a reading."""
        reading, self._heap_reading = self._heap_reading, None
        if reading is None:
            watching, self.report_heap = self.report_heap, True
            try:
                await self.query("")  # (its end_of_cell reads the heap)
            finally:
                self.report_heap = watching
            reading, self._heap_reading = self._heap_reading, None
        self.report_heap = self.report_heap or with_map
        if reading is not None and not with_map:
            reading.blocks = None
        return reading

    async def _query_unlocked(self, code: str) -> str:
        assert self.repl is not None
        return await self.repl.query(code)

    async def interrupt(self) -> None:
        if not self._running or self.vm is None or self._interrupt_task is not None:
            return  # (a stop is under way: it sends the next SIGINT in its own time)
        self._interrupt_task = asyncio.ensure_future(self._stop_running_code())

    def _interrupt_again(self) -> None:
        """The stop button's KeyboardInterrupt ended a handler that had preempted the cell's code (the
        VM's scheduler swallows it there): stop the code the handler interrupted too."""
        if self._running and self.vm is not None:
            self.vm.interrupt_running_code()

    async def _stop_running_vm_code(self) -> None:
        """The raw REPL's way to stop code it did not start (resynchronising): SIGINT if code runs."""
        self._interrupt_running_code()

    async def _stop_running_code(self) -> None:
        """SIGINT the VM as soon as it runs the cell's code, never at its prompt (that would end it,
        and the variables with it): while the kernel still sends the code, wait for it to start.
        Again after SIGINT_AGAIN_AFTER; a VM still running code KILL_AFTER later gets replaced."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        sent = 0
        while self._running and self.vm is not None:
            if self.vm.interrupt_running_code():
                sent += 1
                if sent >= 2:
                    break
                await asyncio.sleep(SIGINT_AGAIN_AFTER)
            else:
                await asyncio.sleep(0.005)
        await asyncio.sleep(max(0.0, started + KILL_AFTER - loop.time()))
        if self._running and self.vm is not None and self.vm.catches_sigint() is not False:
            self.vm.kill()  # the running execute sees the line close and starts a fresh VM

    def refresh_state(self) -> None:
        self.hardware.drain()

    def live_details(self) -> dict[str, str]:
        dropped = self.hardware.dropped
        return {"events": f"{dropped:,} malformed hardware events dropped"} if dropped else {}


def _hide_simulator_frames(traceback: str) -> str:
    """Drop traceback lines inside the simulated hardware's modules: on a board, machine and friends
    are built in (C), so their frames never show; the user's lines are what matter."""
    if f'File "{VM_LIB}/' not in traceback:
        return traceback
    return "".join(
        line
        for line in traceback.splitlines(keepends=True)
        if not line.lstrip().startswith(f'File "{VM_LIB}/')
    )


def profile_environment(profile: BoardProfile) -> dict[str, str]:
    """What the VM's hardware modules learn about the board (machine.py parses MPK_PINS)."""
    pins = ";".join(
        f"{pin.name}:{'' if pin.number is None else pin.number}:{','.join(pin.capabilities)}"
        for pin in profile.pins
    )
    return {"MPK_BOARD": profile.name, "MPK_PINS": pins, "MPK_LED": str(profile.led_pin)}
