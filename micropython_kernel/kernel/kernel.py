"""MicroPythonKernel: a Jupyter kernel whose cells run as MicroPython on a board.

The kernel class adapts Jupyter messages (execute, complete, inspect, interrupt, shutdown) to the
``Session`` (session.py), which holds everything cells and magics work with. It subclasses
IPythonKernel so that widgets, ``display()`` and CPython host cells have a real IPython shell to use;
MicroPython cells never touch that shell: they go to the Board. Waiting on the board is always
``await``-ed, so interrupts, comm messages from widgets and inputs keep flowing while a cell runs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipykernel.iostream import OutStream
from ipykernel.ipkernel import IPythonKernel
from traitlets import Bool

from .. import __version__
from ..board.errors import BoardError
from . import completion
from .host import HostCells
from .magics import MAGICS, MagicError
from .magics.data import HOST_ENV
from .magics.files import fix_notebook_folder
from .saved_views import notebook_path, restore_pictures
from .session import Session
from .views import WIDGET_TARGETS

HISTORY_WRITE_BATCH = 50  # inputs kept in memory between writes of IPython's history database


def quiet_debug_logging(log: logging.Logger | logging.LoggerAdapter[logging.Logger]) -> None:
    """traitlets leaves the kernel's logger at DEBUG and filters in its handlers (at --log-level, WARN
    by default), so each of ipykernel's debug calls per message (3 an execute, one with the whole
    reply) builds a LogRecord that is then dropped. Let the logger drop them at once: its level is the
    lowest of its handlers' (``--debug`` still logs everything)."""
    logger = log.logger if isinstance(log, logging.LoggerAdapter) else log
    levels = [handler.level for handler in logger.handlers]
    if levels and logger.level < min(levels):
        logger.setLevel(min(levels))


def flush_only_when_written(stream: Any) -> None:
    """After every execute ipykernel flushes sys.stdout, then sys.stderr: each flush hands a task to its
    IOPub thread and waits for it, also when nothing was written (a MicroPython cell writes neither:
    its output goes out as iopub messages). One such barrier is enough to send the output before the
    reply: let stderr's flush do nothing when nothing was written to it since its last one (measured:
    0.5-0.7 ms CPU of a trivial cell's 5 on a slow host)."""
    if not isinstance(stream, OutStream) or not hasattr(stream, "_flush_pending"):
        return  # (another ipykernel's streams: leave them as they are)
    flush = stream.flush

    def flush_if_written() -> None:
        if stream._flush_pending:  # (set by write until the IOPub thread sent the text)
            flush()

    stream.flush = flush_if_written  # type: ignore[method-assign]


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
        # IPython's history writes each input to SQLite from a thread that holds the cache lock while it
        # commits; the next cell's store_inputs then waits for the disk (measured: 17 ms a cell on
        # average on a busy host, more than a whole cell on a board). Write in batches instead; IPython
        # still writes what is left when the kernel ends.
        self.shell.history_manager.db_cache_size = HISTORY_WRITE_BATCH
        quiet_debug_logging(self.log)
        flush_only_when_written(sys.stderr)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._parent: dict[str, Any] | None = None
        self._stdin_ident = b""
        self._pictures_restored = False
        self._restored_views: list[Any] = []  # picture widgets of a saved notebook's views (saved_views.py)
        # What cells and magics work with (``self.session`` is ipykernel's, for messages).
        self.micropython = Session(IopubOutput(self))
        self._open_comm = self.shell_handlers["comm_open"]
        self.shell_handlers["comm_open"] = self._comm_open
        if self.host_allowed:
            self.micropython.host = HostCells(self._run_host_cell, self.shell.user_ns, self.micropython)
        # Host paths of the magics resolve against the folder the kernel started in (the notebook's):
        # an os.chdir in a %%host cell must not move what they may read and write.
        fix_notebook_folder(Path.cwd())

    @property
    def host_allowed(self) -> bool:
        """May %%host cells run? Off when the setting or the environment variable says so."""
        switched_off = os.environ.get(HOST_ENV, "").strip().lower() in ("off", "0", "no", "false")
        return bool(self.allow_host) and not switched_off

    @property
    def language_info(self) -> dict[str, Any]:  # type: ignore[override]
        return {
            "name": "micropython",
            "version": self.micropython.target.language_version(),
            "mimetype": "text/x-python",
            "file_extension": ".py",
            "pygments_lexer": "python3",
            "codemirror_mode": {"name": "python", "version": 3},
        }

    async def _run_host_cell(self, code: str, silent: bool) -> dict[str, Any]:
        reply = await IPythonKernel.do_execute(self, code, silent, store_history=False)
        reply["execution_count"] = self.micropython.execution_count  # Out[n] matches In[n]
        return reply

    # -- output to the notebook ----------------------------------------------------------------
    def send_iopub(self, msg_type: str, content: dict[str, Any]) -> None:
        # Parent every message to the cell that runs, even when comm messages from widgets are
        # handled meanwhile (they change the kernel's current parent).
        self.session.send(
            self.iopub_socket,
            msg_type,
            content,
            parent=self._parent or self.get_parent("shell"),
            ident=self._topic(msg_type),
        )

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

    # -- input() -------------------------------------------------------------------------------
    async def ask_frontend(self, prompt: str) -> str:
        """Send an input_request on the stdin channel and wait for the reply without blocking the loop
        (ipykernel's own _input_request blocks it: no stop button, no widgets meanwhile)."""
        import zmq

        while True:  # replies to an earlier request (answered after a stop) are stale
            try:
                self.stdin_socket.recv_multipart(zmq.NOBLOCK)
            except zmq.ZMQError:
                break
        content = {"prompt": prompt, "password": False}
        self.session.send(self.stdin_socket, "input_request", content, self._parent, ident=self._stdin_ident)
        while True:
            try:
                _, reply = self.session.recv(self.stdin_socket, zmq.NOBLOCK)
            except Exception:  # a malformed message: wait for the real reply
                self.log.warning("invalid input_reply", exc_info=True)
                reply = None
            if reply is not None:
                value = reply.get("content", {}).get("value", "")
                return value if isinstance(value, str) else str(value)
            await asyncio.sleep(0.01)

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
        self._stdin_ident = self._parent_ident["shell"]  # where this cell's input requests go
        # The IPython shell owns the count (as in IPythonKernel): this cell is In[count].
        count = self.shell.execution_count
        if store_history:
            self.shell.history_manager.store_inputs(count, code)
            self.shell.execution_count += 1
        try:
            error = await self.micropython.execute(code, silent, count, allow_stdin)
        except Exception as err:  # the kernel must survive anything a cell or a board does
            self.log.exception("unexpected error in a cell")
            error = self.micropython.kernel_error(type(err).__name__, f"internal kernel error: {err}")
        return error or {"status": "ok", "execution_count": count, "payload": [], "user_expressions": {}}

    # -- the stop button -----------------------------------------------------------------------
    async def interrupt_request(self, stream: Any, ident: Any, parent: Any) -> None:
        # Runs on the control thread (interrupt_mode "message"): hand the stop to the shell's loop,
        # or raise KeyboardInterrupt in a running %%host cell (it holds the loop).
        if not self.micropython.host or not self.micropython.host.interrupt():
            self.request_interrupt()
        self.session.send(stream, "interrupt_reply", {"status": "ok"}, parent, ident=ident)

    def request_interrupt(self) -> None:
        """Stop the running cell; safe to call from any thread or a signal handler."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.micropython.interrupt)

    def pre_handler_hook(self) -> None:
        # In signal interrupt mode ipykernel would raise KeyboardInterrupt wherever the main thread is,
        # which kills an awaiting kernel (docs/architecture.md, "The stop button"); turn SIGINT into a
        # scheduled stop instead.
        self.saved_sigint_handler = signal.signal(signal.SIGINT, lambda *_: self.request_interrupt())

    def post_handler_hook(self) -> None:
        signal.signal(signal.SIGINT, self.saved_sigint_handler)

    # -- completion, inspection ----------------------------------------------------------------
    async def do_complete(self, code: str, cursor_pos: int | None) -> dict[str, Any]:  # type: ignore[override]
        cursor_pos = len(code) if cursor_pos is None else cursor_pos
        magic_names = [m.prefix + m.name for m in MAGICS.values()]
        try:
            board = await self.micropython.target.ensure()
            found = await completion.complete(board, code, cursor_pos, magic_names)
        except (BoardError, MagicError):
            found = completion.Completion([], cursor_pos)
        return {
            "status": "ok",
            "matches": found.matches,
            "cursor_start": found.start,
            "cursor_end": cursor_pos,
            # Each match's kind and signature (from the stubs), in ipykernel's format for JupyterLab.
            "metadata": {"_jupyter_types_experimental": found.types} if found.types else {},
        }

    async def do_inspect(  # type: ignore[override]
        self, code: str, cursor_pos: int, detail_level: int = 0, omit_sections: Any = ()
    ) -> dict[str, Any]:
        name = completion.name_at(code, cursor_pos)
        text = None
        if name:
            try:
                text = await completion.inspect(await self.micropython.target.ensure(), name)
            except (BoardError, MagicError):
                text = None
        return {
            "status": "ok",
            "found": text is not None,
            "data": {"text/plain": text} if text else {},
            "metadata": {},
        }

    # -- a page that renders widgets ------------------------------------------------------------
    # It asks for the widget comms when it connects (ipywidgets' manager opens a
    # "jupyter.widget.control" comm, or sends a comm_info_request for "jupyter.widget"): then the
    # views' outputs are not sent again after each cell (views.py, cell_done).
    # The first such request of a kernel is also when the views of a notebook saved while they were
    # live get their models back, as pictures (saved_views.py), so that it lists them.
    async def comm_info_request(self, stream: Any, ident: Any, parent: Any) -> None:
        if parent.get("content", {}).get("target_name") in WIDGET_TARGETS:
            self.micropython.views.widget_page = True
            if not self._pictures_restored:
                self._pictures_restored = True
                self._restore_saved_views()
        await super().comm_info_request(stream, ident, parent)

    def _restore_saved_views(self) -> None:
        from comm import get_comm_manager

        notebook = notebook_path()
        if notebook is None:
            return
        alive = set(get_comm_manager().comms)
        self._restored_views = restore_pictures(notebook, alive, self.micropython.views.pictures)

    def _comm_open(self, stream: Any, ident: Any, msg: Any) -> Any:
        if msg.get("content", {}).get("target_name") in WIDGET_TARGETS:
            self.micropython.views.widget_page = True
        return self._open_comm(stream, ident, msg)

    # -- shutdown ------------------------------------------------------------------------------
    async def do_shutdown(self, restart: bool) -> dict[str, Any]:  # type: ignore[override]
        await self.micropython.close()
        return super().do_shutdown(restart)


class IopubOutput:
    """The session's NotebookOutput: iopub messages parented to the running cell."""

    def __init__(self, kernel: MicroPythonKernel) -> None:
        self._kernel = kernel

    def print(self, text: str, stream: str = "stdout") -> None:
        self._kernel.send_iopub("stream", {"name": stream, "text": text})

    def display(self, data: dict[str, Any], display_id: str | None = None) -> None:
        transient = {"display_id": display_id} if display_id else {}
        self._kernel.send_iopub("display_data", {"data": data, "metadata": {}, "transient": transient})

    def update_display(self, display_id: str, data: dict[str, Any]) -> None:
        content = {"data": data, "metadata": {}, "transient": {"display_id": display_id}}
        self._kernel.send_iopub("update_display_data", content)

    def result(self, data: dict[str, Any], execution_count: int) -> None:
        content = {"execution_count": execution_count, "data": data, "metadata": {}}
        self._kernel.send_iopub("execute_result", content)

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self._kernel.send_iopub("error", {"ename": ename, "evalue": evalue, "traceback": traceback})

    def as_cell_output(self, send: Callable[[], None]) -> None:
        self._kernel.as_cell_output(send)

    async def ask_input(self, prompt: str) -> str:
        return await self._kernel.ask_frontend(prompt)
