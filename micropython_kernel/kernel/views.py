"""The kernel's side of the live views: shows them, feeds BoardState from cells, flushes after each cell.

One KernelViews per kernel, over the kernel's single BoardState, so views survive ``%reset`` and a
switch of target. Widgets are created in the kernel process and shown with ``display_data``; their
updates go through one Coalescer whose redraws are parented to the running cell.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import TYPE_CHECKING

from ..board.errors import BoardError
from ..board.inputs import BoardInputs
from ..board.state import EVENTS, PINS, TIMELINE, HeapMap, HeapSample, PinState
from ..widgets.board_panel import BoardPanel
from ..widgets.coalescer import Coalescer
from ..widgets.heap_view import HeapView
from ..widgets.live_plot import LivePlot
from ..widgets.timeline_view import TimelineView
from .board_queries import PINS_QUERY, parse_pins_report
from .magics.files import notebook_folder

if TYPE_CHECKING:
    import ipywidgets

    from .session import Session


class KernelViews:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.state = session.state
        self.coalescer = Coalescer(self.state, runner=session.output.as_cell_output)
        self.panel: BoardPanel | None = None
        self.plot: LivePlot | None = None
        self.heap: HeapView | None = None
        self.hide_data = False  # %plot --hide-data: data lines go to the plot only (cell_output.py)
        self.watched: list[str] = []  # pins read after each cell (%board --watch)
        self._heap_event_t = float("-inf")  # "heap" events up to this time became samples already
        self.state.observe(self._on_state_change)

    # -- showing -------------------------------------------------------------------------------
    def show(self, widget: ipywidgets.Widget) -> None:
        self.coalescer.flush()  # drawn from the newest state before it is shown
        self.session.output.display({**widget._repr_mimebundle_()})

    def _inputs(self) -> BoardInputs | None:
        board = self.session.target.board
        return board.inputs if board is not None else None

    def board_panel(self) -> BoardPanel:
        if self.panel is None:
            self.panel = BoardPanel(self.state, self._inputs, self._refresh_from_board)
            self.coalescer.add(self.panel)
        return self.panel

    def live_plot(self) -> LivePlot:
        if self.plot is None:
            self.plot = LivePlot(self.state, export_dir=notebook_folder)
            self.coalescer.add(self.plot)
        return self.plot

    def heap_view(self) -> HeapView:
        if self.heap is None:
            self.heap = HeapView(self.state)
            self.coalescer.add(self.heap)
        return self.heap

    def timeline_view(self, pins: list[str] | None, window: float | None) -> TimelineView:
        """A new logic-analyzer view (each %timeline shows its own lanes and zoom)."""
        view = TimelineView(self.state, pins, window)
        self.coalescer.add(view)
        return view

    def _on_state_change(self, what: str) -> None:
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
