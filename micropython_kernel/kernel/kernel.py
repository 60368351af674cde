"""MicroPythonKernel: a Jupyter kernel whose cells run as MicroPython on a board.

It subclasses IPythonKernel so that widgets, ``display()`` and CPython host cells have a real IPython
shell to use; MicroPython cells never touch that shell: they go to the Board. Waiting on the board is
always ``await``-ed, so interrupts, comm messages from widgets and inputs keep flowing while a cell runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from ipykernel.ipkernel import IPythonKernel
from traitlets import Bool

from .. import __version__
from ..board.capture import DataRecorder
from ..board.errors import BoardError
from ..board.protocol import Board, ExecResult
from ..board.serial import DEFAULT_BAUD, SerialBoard
from ..board.state import BoardState
from ..board.traceback import parse_traceback
from ..simulator.board import SimulatedBoard
from ..simulator.flashstore import CLEAN, FLASH_ENV, PERSISTENT, FlashChoice
from ..simulator.vm import SimulatorUnavailable, vm_version
from . import completion
from .cells import SHOW_LAST_VALUE, assign_last_expression, split_cell
from .host import HostCells
from .magics import MAGICS, MagicError, find_magic
from .magics.data import HOST_ENV
from .magics.files import fix_notebook_folder
from .output import OutputStreamer
from .syntaxcheck import check_syntax
from .views import KernelViews

# e.g. "sim pico", "/dev/ttyUSB0", "/dev/ttyACM0 --baud 115200", "auto"; the simulated esp32 when unset.
# The words are those of %connect.
DEFAULT_TARGET_ENV = "MICROPYTHON_KERNEL_TARGET"
T = TypeVar("T")
HISTORY_WRITE_BATCH = 50  # inputs kept in memory between writes of IPython's history database


def _store() -> Path:
    """The persistent flash images: in Jupyter's data folder (JUPYTER_DATA_DIR, else the user's), which
    a JupyterHub user's home keeps across server restarts."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "micropython-kernel" / "boards"


class MicroPythonKernel(IPythonKernel):
    implementation = "micropython_kernel"
    implementation_version = __version__
    banner = (
        "MicroPython kernel " + __version__ + ": cells run as MicroPython on the target "
        "(a simulated ESP32 unless you %connect elsewhere). %lsmagic lists the magics."
    )
    help_links = [
        {"text": "MicroPython docs", "url": "https://docs.micropython.org/"},
    ]

    allow_host = Bool(
        True,
        config=True,
        help="Allow %%host cells (CPython in the kernel process, with the user's rights on this "
        f"computer). The environment variable {HOST_ENV}=off switches them off too.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language_info = {
            "name": "micropython",
            "version": vm_version(),
            "mimetype": "text/x-python",
            "file_extension": ".py",
            "pygments_lexer": "python3",
            "codemirror_mode": {"name": "python", "version": 3},
        }
        self.board: Board | None = None
        self.state = BoardState()  # one model for the kernel's life: views survive resets and switches
        self._loop: asyncio.AbstractEventLoop | None = None
        self._parent: dict[str, Any] | None = None
        self._board_busy = False
        self._cell_task: asyncio.Task[Any] | None = None
        self._count = 0
        self.views = KernelViews(self)  # %board, %plot, %heap: they observe self.state
        # IPython's history writes each input to SQLite from a thread that holds the cache lock while it
        # commits; the next cell's store_inputs then waits for the disk (measured: 17 ms a cell on
        # average on a busy host, more than a whole cell on a board). Write in batches instead; IPython
        # still writes what is left when the kernel ends.
        self.shell.history_manager.db_cache_size = HISTORY_WRITE_BATCH
        self._disconnected = False  # after %disconnect, cells say so instead of starting the default
        # The simulated boards' flash: %flash sets a choice; else MICROPYTHON_KERNEL_FLASH; else the
        # board's persistent image, or a clean one when the first cell came from a frontend that takes
        # no input (nbclient, nbgrader, papermill: headless runs start from a known flash).
        self.flash_choice: FlashChoice | None = None
        self._allow_stdin = True
        # Check cells with mpy-cross before sending: None = only for serial boards (slow uploads).
        self.syntax_check: bool | None = None
        self.recorder = DataRecorder()  # printed numbers and lines, for %%host, %capture, %export
        self.host_cells = HostCells(self)
        # Host paths of the magics resolve against the folder the kernel started in (the notebook's):
        # an os.chdir in a %%host cell must not move what they may read and write.
        fix_notebook_folder(Path.cwd())

    @property
    def host_allowed(self) -> bool:
        """May %%host cells run? Off when the setting or the environment variable says so."""
        switched_off = os.environ.get(HOST_ENV, "").strip().lower() in ("off", "0", "no", "false")
        return bool(self.allow_host) and not switched_off

    # -- the target ----------------------------------------------------------------------------
    async def ensure_board(self) -> Board:
        """The current target, starting the default one on first use."""
        if self.board is None:
            if self._disconnected:
                raise MagicError("not connected to a target: %connect [sim | PORT | auto] (see %ports)")
            await self.connect_default()
        assert self.board is not None
        return self.board

    async def _use_board(self, board: Board, quiet: bool = False) -> None:
        """Switch to ``board``. The current target stays as it was until the new one has started,
        so a failed %connect (a mistyped port) loses nothing; what the switch does lose is said."""
        old = self.board
        same_port = isinstance(old, SerialBoard) and isinstance(board, SerialBoard) and old.port == board.port
        if old is not None and same_port:  # a port opens once: release it first
            await old.close()
            self.board = old = None
        try:
            await board.start()
        except Exception:
            await board.close()
            raise
        self.board = board
        self._disconnected = False
        if board.info.version:
            self.language_info["version"] = board.info.version
        if old is not None:
            await old.close()
        if old is not None and not quiet:
            kept = ""
            if isinstance(old, SimulatedBoard) and old.flash_choice.mode == PERSISTENT:
                kept = "; its flash is kept"
            self.print(f"({self._describe(old)} was disconnected: its variables are gone{kept}.)\n")
        if isinstance(board, SimulatedBoard):
            for notice in board.take_notices():
                self.print(notice + "\n", "stderr")

    async def connect_default(self) -> None:
        from .magics.target import connect_to

        target = os.environ.get(DEFAULT_TARGET_ENV, "").strip() or "sim"
        try:
            await connect_to(self, target)
        except MagicError as err:
            raise MagicError(f"the default target {DEFAULT_TARGET_ENV}={target!r}: {err}") from err

    async def connect_serial(self, port: str, baudrate: int = DEFAULT_BAUD, attach: bool = False) -> None:
        """Connect to the board on ``port``; ``attach``: leave what it runs running (see SerialBoard)."""
        board = SerialBoard(port, baudrate, state=self.state, notify=self.print, attach=attach)
        await self._use_board(board)

    async def disconnect(self) -> str:
        """Release the target (the serial port becomes free for other tools)."""
        description = self.board_description()
        if self.board is not None:
            await self.board.close()
            self.board = None
        self._disconnected = True
        return description

    def flash_for_new_board(self) -> FlashChoice:
        """The flash a simulated board connected now starts from (see ``flash_choice``)."""
        if self.flash_choice is not None:
            return self.flash_choice
        if os.environ.get(FLASH_ENV, "").strip():
            return FlashChoice.from_environment()
        return FlashChoice(PERSISTENT if self._allow_stdin else CLEAN)

    async def connect_simulator(self, profile: str | None, name: str | None = None) -> bool:
        """Connect to a simulated board; True if it was the current one (then only power-cycled:
        its RAM is new, its flash kept, as when a board is unplugged and plugged back)."""
        from ..simulator.profiles import get_profile

        choice = self.flash_for_new_board()
        current = self.board
        try:
            wanted = get_profile(profile).name
        except ValueError as err:
            raise MagicError(str(err)) from err
        if (
            isinstance(current, SimulatedBoard)
            and current.profile.name == wanted
            and current.board_name == name
            and current.flash_choice == choice
        ):
            await current.reset(hard=True)
            return True
        await self._start_simulator(
            SimulatedBoard(profile, state=self.state, flash=choice, name=name, store=_store())
        )
        return False

    async def replace_simulator(self, profile: str, name: str | None, fresh: bool) -> None:
        """Put a new simulated board (``profile``, ``name``) on the flash chosen now (``%flash``);
        ``fresh`` discards this kernel's clean image or copy of it first."""
        board = SimulatedBoard(
            profile, state=self.state, flash=self.flash_for_new_board(), name=name, store=_store()
        )
        if fresh:
            board.start_fresh()
        await self._start_simulator(board, quiet=True)

    async def _start_simulator(self, board: SimulatedBoard, quiet: bool = False) -> None:
        try:
            await self._use_board(board, quiet)
        except SimulatorUnavailable as err:
            raise MagicError(f"the simulated board is not available: {err}") from err

    def board_description(self) -> str:
        return self._describe(self.board) if self.board is not None else "no target"

    @staticmethod
    def _describe(board: Board) -> str:
        info = board.info
        return f"{info.name} (MicroPython {info.version})" if info.version else info.name

    # -- output to the notebook ----------------------------------------------------------------
    def _send_iopub(self, msg_type: str, content: dict[str, Any]) -> None:
        # Parent every message to the cell that runs, even when comm messages from widgets are
        # handled meanwhile (they change the kernel's current parent).
        self.session.send(
            self.iopub_socket,
            msg_type,
            content,
            parent=self._parent or self.get_parent("shell"),
            ident=self._topic(msg_type),
        )

    def send_display(self, data: dict[str, Any]) -> None:
        """Show a rich output (e.g. a widget's mimebundle) in the running cell."""
        self._send_iopub("display_data", {"data": data, "metadata": {}, "transient": {}})

    def as_cell_output(self, send: Callable[[], None]) -> None:
        """Run ``send`` so that the comm messages it sends are parented to the running (or last) cell.

        ipykernel parents a comm message to the current shell parent, a context variable: inside a
        timer or a reader callback it can be a stale one, or a widget's comm_msg handled meanwhile.
        """
        if not self._parent:
            send()
            return
        token = self._shell_parent.set(self._parent)
        try:
            send()
        finally:
            self._shell_parent.reset(token)

    @property
    def execution_count_now(self) -> int:
        """The execution count of the running (or last) cell."""
        return self._count

    def print(self, text: str, stream: str = "stdout") -> None:
        """Show text in the running cell's output."""
        self._send_iopub("stream", {"name": stream, "text": text})

    def _error(self, ename: str, evalue: str, traceback: list[str]) -> dict[str, Any]:
        content = {"ename": ename, "evalue": evalue, "traceback": traceback}
        self._send_iopub("error", content)
        return {"status": "error", "execution_count": self._count, **content}

    def _kernel_error(self, ename: str, message: str) -> dict[str, Any]:
        return self._error(ename, message, [f"\x1b[0;31m{ename}\x1b[0m: {message}"])

    # -- shell messages handled while a cell runs ----------------------------------------------
    async def dispatch_shell(
        self, msg: Any, /, subshell_id: str | None = None, *, concurrent: bool = False
    ) -> None:
        """ipykernel dispatches comm messages that arrive while a cell runs "concurrently", and then
        publishes no busy/idle for them. The ipywidgets frontend sends a widget's next update only
        after the idle of the previous one, so without them a control works once during a cell and
        never again (docs/architecture.md, "Widget messages"). Give each its own busy/idle, then say
        busy again for the running cell, so a frontend's kernel indicator does not read idle."""
        if not concurrent or self.session is None:
            return await super().dispatch_shell(msg, subshell_id, concurrent=concurrent)
        running = self.get_parent("shell")
        try:
            _, frames = self.session.feed_identities(msg, copy=False)
            request = {"header": self.session.deserialize(frames, content=False, copy=False)["header"]}
        except Exception:  # a malformed message: ipykernel logs it
            return await super().dispatch_shell(msg, subshell_id, concurrent=True)
        self._publish_status("busy", "shell", parent=request)
        try:
            await super().dispatch_shell(msg, subshell_id, concurrent=True)
        finally:
            self._publish_status("idle", "shell", parent=request)
            if running:
                self._publish_status("busy", "shell", parent=running)

    # -- execute -------------------------------------------------------------------------------
    async def do_execute(  # type: ignore[override]
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict[str, Any] | None = None,
        allow_stdin: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        self._loop = asyncio.get_running_loop()
        self._parent = self.get_parent("shell")
        if not silent:
            self._allow_stdin = allow_stdin
        # The IPython shell owns the count (as in IPythonKernel): this cell is In[count].
        self._count = self.shell.execution_count
        if store_history:
            self.shell.history_manager.store_inputs(self._count, code)
            self.shell.execution_count += 1
        ok = {"status": "ok", "execution_count": self._count, "payload": [], "user_expressions": {}}
        self._cell_task = asyncio.ensure_future(self._run_cell(code, silent))
        try:
            error = await self._cell_task
        except asyncio.CancelledError:
            error = self._kernel_error("KeyboardInterrupt", "interrupted")
        except MagicError as err:
            error = self._kernel_error("UsageError", str(err))
        except BoardError as err:
            error = self._kernel_error("BoardError", str(err))
        except Exception as err:  # the kernel must survive anything a cell or a board does
            self.log.exception("unexpected error in a cell")
            error = self._kernel_error(type(err).__name__, f"internal kernel error: {err}")
        finally:
            self._cell_task = None
            self.views.coalescer.flush()  # whatever the cell changed (magics too) is drawn before idle
        return error or ok

    async def _run_cell(self, code: str, silent: bool) -> dict[str, Any] | None:
        cell = split_cell(code)
        for name, args in cell.line_magics:
            error = await find_magic(name, cell=False).handler(self, args, None)
            if error is not None:
                return error
        if cell.cell_magic is not None:
            name, args = cell.cell_magic
            return await find_magic(name, cell=True).handler(self, args, cell.body)
        if not cell.body.strip():
            return None
        return await self.run_on_board(cell.body, cell.line_offset, silent)

    async def run_on_board(
        self, code: str, line_offset: int = 0, silent: bool = False
    ) -> dict[str, Any] | None:
        """Run MicroPython ``code`` on the target, streaming its output; return an error reply or None."""
        board = await self.ensure_board()
        if self.syntax_check or (self.syntax_check is None and board.info.kind == "serial"):
            problem = await check_syntax(code)
            if problem is not None:  # reported as the board would, without touching it
                stderr = f'Traceback (most recent call last):\n  File "<stdin>", line {problem.line}\n'
                parsed = parse_traceback(
                    stderr + f"{problem.ename}: {problem.evalue}\n", f"Cell In[{self._count}]", line_offset
                )
                assert parsed is not None
                return self._error(parsed.ename, parsed.evalue, parsed.traceback)
        last = assign_last_expression(code)
        result = await self.stream_from_board(lambda feed: board.execute(last.code, feed), silent)
        error = self._board_error(result, line_offset, silent)
        if error is None and not result.stderr and last.has_value and not silent:
            await self._show_last_value(board)
        await self.views.cell_finished(error["ename"] if error else None)
        return error

    async def stream_from_board(
        self, run: Callable[[Callable[[bytes], None]], Awaitable[T]], silent: bool = False
    ) -> T:
        """``await run(feed)`` (a board's execute, or watching a running board) with what the board
        prints fed to the cell's output, the views and the capture; the stop button reaches the board."""
        streamer = OutputStreamer(lambda text: None if silent else self.print(text))
        capture = self.recorder.cell_feed()  # %capture, %%host's data: sees every byte the board printed
        self._board_busy = True
        try:
            # The capture sees every byte; the plot's parser then takes its lines out of the output.
            return await run(capture.tee(self.views.stdout_feed(streamer)))
        finally:
            self._board_busy = False
            self.views.output_closed()  # (also when interrupted) the plot's last line, the last state drawn
            streamer.close()
            capture.close()

    def _board_error(self, result: ExecResult, line_offset: int, silent: bool) -> dict[str, Any] | None:
        """The error reply for what the board reported (sent to the notebook), or None."""
        if result.restarted_reason:
            return self._kernel_error("BoardRestarted", result.restarted_reason)
        if not result.stderr:
            return None
        parsed = parse_traceback(result.stderr, f"Cell In[{self._count}]", line_offset)
        if parsed is None:  # text written to sys.stderr, not an exception
            if not silent:
                self.print(result.stderr, "stderr")
            return None
        if parsed.preamble and not silent:
            self.print(parsed.preamble, "stderr")
        return self._error(parsed.ename, parsed.evalue, parsed.traceback)

    async def _show_last_value(self, board: Board) -> None:
        try:
            text = (await board.query(SHOW_LAST_VALUE)).rstrip("\n")
        except BoardError:
            return
        if text:
            content = {"execution_count": self._count, "data": {"text/plain": text}, "metadata": {}}
            self._send_iopub("execute_result", content)

    # -- the stop button -----------------------------------------------------------------------
    async def interrupt_request(self, stream: Any, ident: Any, parent: Any) -> None:
        # Runs on the control thread (interrupt_mode "message"): hand the stop to the shell's loop,
        # or raise KeyboardInterrupt in a running %%host cell (it holds the loop).
        if not self.host_cells.interrupt():
            self.request_interrupt()
        self.session.send(stream, "interrupt_reply", {"status": "ok"}, parent, ident=ident)

    def request_interrupt(self) -> None:
        """Stop the running cell; safe to call from any thread or a signal handler."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._interrupt_now)

    def _interrupt_now(self) -> None:
        if self._board_busy and self.board is not None:
            asyncio.ensure_future(self.board.interrupt())
        elif self._cell_task is not None and not self._cell_task.done():
            self._cell_task.cancel()  # a magic running in the kernel (a file transfer, a wait)

    def pre_handler_hook(self) -> None:
        # In signal interrupt mode ipykernel would raise KeyboardInterrupt wherever the main thread is,
        # which kills an awaiting kernel (DESIGN.md); turn SIGINT into a scheduled stop instead.
        self.saved_sigint_handler = signal.signal(signal.SIGINT, lambda *_: self.request_interrupt())

    def post_handler_hook(self) -> None:
        signal.signal(signal.SIGINT, self.saved_sigint_handler)

    # -- completion, inspection ----------------------------------------------------------------
    async def do_complete(self, code: str, cursor_pos: int | None) -> dict[str, Any]:  # type: ignore[override]
        cursor_pos = len(code) if cursor_pos is None else cursor_pos
        magic_names = [m.prefix + m.name for m in MAGICS.values()]
        try:
            board = await self.ensure_board()
            matches, start = await completion.complete(board, code, cursor_pos, magic_names)
        except (BoardError, MagicError):
            matches, start = [], cursor_pos
        return {
            "status": "ok",
            "matches": matches,
            "cursor_start": start,
            "cursor_end": cursor_pos,
            "metadata": {},
        }

    async def do_inspect(  # type: ignore[override]
        self, code: str, cursor_pos: int, detail_level: int = 0, omit_sections: Any = ()
    ) -> dict[str, Any]:
        name = completion.name_at(code, cursor_pos)
        text = None
        if name:
            try:
                text = await completion.inspect(await self.ensure_board(), name)
            except (BoardError, MagicError):
                text = None
        return {
            "status": "ok",
            "found": text is not None,
            "data": {"text/plain": text} if text else {},
            "metadata": {},
        }

    # -- shutdown ------------------------------------------------------------------------------
    async def do_shutdown(self, restart: bool) -> dict[str, Any]:  # type: ignore[override]
        if self.board is not None:
            await self.board.close()
            self.board = None
        return super().do_shutdown(restart)
