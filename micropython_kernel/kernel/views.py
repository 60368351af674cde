"""The kernel's side of the live views: shows them, feeds BoardState from cells, flushes after each cell.

One KernelViews per kernel, over the kernel's single BoardState, so views survive ``%reset`` and a
switch of target. Widgets are created in the kernel process and shown with ``display_data``; their
updates go through one Coalescer whose redraws are parented to the running cell.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..board.errors import BoardError
from ..board.inputs import BoardInputs
from ..board.state import BOARD, EVENTS, PINS, TIMELINE, HeapMap, HeapSample, PinState
from ..widgets.board_panel import BoardPanel
from ..widgets.coalescer import Coalescer
from ..widgets.heap_view import DEFAULT_WINDOW as DEFAULT_HEAP_WINDOW
from ..widgets.heap_view import HeapView
from ..widgets.live_plot import LivePlot
from ..widgets.timeline_view import TimelineView
from .board_queries import PINS_QUERY, parse_pins_report
from .magics.files import notebook_folder
from .saved_views import PictureStore

if TYPE_CHECKING:
    import ipywidgets

    from .session import Session


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_TARGETS = ("jupyter.widget", "jupyter.widget.control")  # what a page that renders widgets asks for


class View(Protocol):
    """What every view kind offers (board panel, plot, heap, timeline): docs/architecture.md, "Views"."""

    widget: ipywidgets.Widget

    def refresh(self, changed: set[str]) -> None: ...
    def redraw(self) -> None: ...
    def snapshot(self) -> dict[str, str]: ...


@dataclass
class ShownView:
    """A view in one output: live until a newer view of its kind is shown, then its picture."""

    kind: str  # "board", "plot", "heap", "timeline"
    view: View
    display_id: str
    picture: dict[str, str]  # its snapshot at the end of the last cell (what its output carries)
    board: str = ""  # the board a board panel shows (a panel never turns into another board's)


def close_widgets(view: View) -> None:
    """Close a view's widgets and their children (their comms go too)."""
    close = getattr(view, "close", None)
    if close is not None:
        close()
        return
    stack = [view.widget]
    while stack:
        widget = stack.pop()
        stack.extend(getattr(widget, "children", ()))
        widget.close()


class KernelViews:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.state = session.state
        self.coalescer = Coalescer(self.state, runner=session.output.as_cell_output)
        self.live: dict[str, ShownView] = {}  # kind -> the one live view of that kind
        #: a page that renders widgets is connected (it asked for the widget comms): it gets no live
        #: output again at the end of a cell (it would render a second view of the same widget each time)
        self.widget_page = False
        self.hide_data = False  # %plot --hide-data: data lines go to the plot only (cell_output.py)
        self.watched: list[str] = []  # pins read after each cell (%board --watch)
        self._heap_event_t = float("-inf")  # "heap" events up to this time became samples already
        self.pictures = PictureStore()  # each live view's newest picture, for a notebook saved live
        self.state.observe(self._on_state_change)

    # -- the live views ------------------------------------------------------------------------
    def _live(self, kind: str) -> Any:
        shown = self.live.get(kind)
        return shown.view if shown else None

    @property
    def panel(self) -> BoardPanel | None:
        return self._live("board")

    @property
    def plot(self) -> LivePlot | None:
        return self._live("plot")

    @property
    def heap(self) -> HeapView | None:
        return self._live("heap")

    def _inputs(self) -> BoardInputs | None:
        board = self.session.target.board
        return board.inputs if board is not None else None

    def new_board_panel(self) -> BoardPanel:
        return BoardPanel(self.state, self._inputs, self._refresh_from_board)

    def new_plot(self, clear: bool = False) -> LivePlot:
        """A plot of the samples so far (``clear``: of those printed from now on)."""
        plot = LivePlot(self.state, export_dir=notebook_folder)
        old = self.plot
        if old is not None:
            plot.window.value = old.window.value
        if clear:
            plot.clear()
        elif old is not None:
            plot.start_after(old)  # (what the old plot forgot with --clear stays forgotten)
        return plot

    def new_heap(self) -> HeapView:
        return HeapView(self.state, window=self.heap.window if self.heap else DEFAULT_HEAP_WINDOW)

    def new_timeline(self, pins: list[str] | None, window: float | None) -> TimelineView:
        """A new logic-analyzer view (each %timeline shows its own lanes and zoom)."""
        return TimelineView(self.state, pins, window)

    def show(self, kind: str, view: View) -> None:
        """Show ``view`` as the live view of its kind; the one it replaces keeps its last picture."""
        self._board_switched()  # (a switch just before, in this cell: the old panel keeps its board)
        old = self.live.pop(kind, None)
        if old is not None:
            self._to_picture(old)
        self.coalescer.add(view)
        self.coalescer.flush()  # drawn from the newest state before it is shown
        picture = view.snapshot()
        display_id = f"mpk-{kind}-{uuid.uuid4().hex}"
        self.session.output.display({**view.widget._repr_mimebundle_(), **picture}, display_id)
        self.live[kind] = ShownView(kind, view, display_id, picture, self.state.name)

    def _to_picture(self, shown: ShownView, picture: dict[str, str] | None = None) -> None:
        """The output becomes the view's picture (no widget in it: a saved notebook shows it without a
        kernel); then the view's widgets close (their comms go: nothing draws them any more)."""
        self.coalescer.remove(shown.view)
        self.session.output.update_display(shown.display_id, picture or shown.view.snapshot())
        self.session.output.as_cell_output(lambda: close_widgets(shown.view))

    def _board_switched(self) -> None:
        """Another board is the target now: the live panel keeps the last picture of its own board
        (from the end of the last cell); the next %board shows the new one."""
        shown = self.live.get("board")
        if shown is None or shown.board == self.state.name:
            return
        if not shown.board:  # (shown before any board started: it is this board's)
            shown.board = self.state.name
            return
        del self.live["board"]
        self._to_picture(shown, shown.picture)

    def to_pictures(self) -> None:
        """Every live view becomes its picture (the kernel is shutting down)."""
        for shown in list(self.live.values()):
            self._to_picture(shown)
        self.live.clear()

    def cell_done(self) -> None:
        """After every cell: the live views' pictures of now. Their outputs carry them for a notebook
        saved by a frontend that does not render widgets (nbclient, ``micropython_kernel run``). A page
        that renders widgets keeps its output: a new one would render a second view of each widget
        (JupyterLab 4.6 reuses the renderer; docs/architecture.md, "Views in saved notebooks"): the
        picture is kept in the PictureStore instead, for when that notebook is reopened."""
        for shown in self.live.values():
            picture = shown.view.snapshot()
            if picture != shown.picture:
                shown.picture = picture
                self.pictures.put(shown.view.widget.model_id, picture)
                if not self.widget_page:
                    live = shown.view.widget._repr_mimebundle_()
                    self.session.output.update_display(shown.display_id, {**live, **picture})

    def _on_state_change(self, what: str) -> None:
        if what == BOARD and "board" in self.live:
            try:  # later, not inside BoardState's notify
                asyncio.get_running_loop().call_soon(self._board_switched)
            except RuntimeError:
                self._board_switched()
        if what == EVENTS and self.heap is not None:
            try:  # later, not inside BoardState's notify
                asyncio.get_running_loop().call_soon(self._samples_from_events)
            except RuntimeError:  # no loop running: the sample after the cell still comes
                pass

    def _samples_from_events(self) -> None:
        """Heap samples that the simulated board's _heapwatch sent while a cell ran."""
        found = []
        for event in itertools.islice(reversed(self.state.events), 512):
            if event.t <= self._heap_event_t:
                break
            if event.kind == "heap":  # (free bytes, from _heapwatch)
                free = int(event.value)
                found.append(HeapSample(event.t, free, self._board_used(free)))
        if found:
            self._heap_event_t = found[0].t
            for sample in reversed(found):
                self.state.add_heap_sample(sample)

    def _board_used(self, free: int) -> int:
        """Bytes in use as the simulated board counts them: its VM has a larger heap (its hardware
        modules, C in a real firmware, live there) with all but the profile's heap held back."""
        board = self.session.target.board
        total = board.info.heap_bytes if board is not None else None
        return max(0, total - free) if total is not None else 0

    def _refresh_from_board(self) -> None:
        async def refresh() -> None:
            await self.read_watched_pins()
            if self.heap is not None:
                await self.sample_heap()
            self.coalescer.flush()

        asyncio.ensure_future(refresh())

    def watch(self, names: list[str]) -> None:
        for name in names:
            if name not in self.watched:
                self.watched.append(name)
            self.state.pins.setdefault(name, PinState(name, mode="watched"))
        self.state.notify(PINS)

    async def read_watched_pins(self) -> None:
        board = self.session.target.board
        if board is None or not self.watched:
            return
        ids = [int(name) if name.isdigit() else name for name in self.watched]
        try:
            reply = await board.query(PINS_QUERY.format(ids=ids))
        except BoardError:
            return
        levels = parse_pins_report(reply)
        for name, level in zip(self.watched, levels, strict=False):
            self.state.pins.setdefault(name, PinState(name, mode="watched")).value = level
        self.state.notify(PINS)
        self._sample_into_timeline(levels)

    def _sample_into_timeline(self, levels: list[int | None]) -> None:
        """A real board's watched pins go into the timeline as samples: read between cells (and with the
        panel's Refresh), timed by the kernel's clock when the answer came. Not every change: a pin that
        toggles during a cell shows only its level after it (the view says so)."""
        board = self.session.target.board
        if board is None or board.info.kind == "simulated":  # (it records every change itself)
            return
        timeline = self.state.timeline
        timeline.sampled = True
        timeline.sample_note = (
            "The pins given to %board --watch are read after each cell and with Refresh "
            "(machine.Pin(id).value()), timed by the kernel's clock when the answer arrives."
        )
        now_us = time.monotonic_ns() // 1000
        for name, level in zip(self.watched, levels, strict=False):
            if level is not None:
                timeline.append_one(now_us, "pin", name, float(level))
        self.state.notify(TIMELINE)

    # -- around each cell ----------------------------------------------------------------------
    async def cell_finished(self, error_name: str | None) -> None:
        """After a cell ran: a heap sample, and the pins' final levels (the session then draws all)."""
        await asyncio.sleep(0)  # let events already read from the board reach the state
        if self.panel is not None:
            await self.read_watched_pins()
        if self.heap is not None:
            await self.sample_heap(memory_error=error_name == "MemoryError")
        if self.panel is not None:
            self.session.output.as_cell_output(self.panel.settle)

    async def sample_heap(self, memory_error: bool = False) -> None:
        board = self.session.target.board
        if board is None:
            return
        try:
            reading = await board.read_heap(with_map=True)
        except BoardError:
            return  # a board busy or gone: no sample this time
        if reading is None:
            return
        now, cell = time.monotonic(), self.session.execution_count
        if reading.blocks and reading.block_bytes:
            self.state.set_heap_map(HeapMap(now, reading.blocks, reading.block_bytes, cell))
        sample = HeapSample(now, reading.free, reading.used, reading.largest_free, memory_error, cell)
        self.state.add_heap_sample(sample)
