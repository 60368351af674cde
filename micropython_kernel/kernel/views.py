"""The kernel's side of the live views: shows them, feeds BoardState from cells, flushes after each cell.

One KernelViews per kernel, over the kernel's single BoardState, so views survive ``%reset`` and a
switch of target. Widgets are created in the kernel process and shown with ``display_data``; their
updates go through one Coalescer whose redraws are parented to the running cell.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..board.errors import BoardError
from ..board.state import EVENTS, PINS, HeapMap, HeapSample, PinState
from ..widgets.board_panel import BoardPanel, InputDriver
from ..widgets.coalescer import Coalescer
from ..widgets.heap_view import HeapView
from ..widgets.live_plot import LivePlot
from .board_queries import PINS_QUERY, parse_pins_report
from .magics.files import notebook_folder
from .output import OutputStreamer
from .plot_feed import PlotFeed

if TYPE_CHECKING:
    import ipywidgets

    from .kernel import MicroPythonKernel


class KernelViews:
    def __init__(self, kernel: MicroPythonKernel) -> None:
        self.kernel = kernel
        self.state = kernel.state
        self.coalescer = Coalescer(self.state, runner=kernel.as_cell_output)
        self.panel: BoardPanel | None = None
        self.plot: LivePlot | None = None
        self.heap: HeapView | None = None
        self.hide_data = False
        self.watched: list[str] = []  # pins read after each cell (%board --watch)
        self._feed: PlotFeed | None = None
        self._heap_event_t = float("-inf")  # "heap" events up to this time became samples already
        self.state.observe(self._on_state_change)

    # -- showing -------------------------------------------------------------------------------
    def show(self, widget: ipywidgets.Widget) -> None:
        self.coalescer.flush()  # drawn from the newest state before it is shown
        self.kernel.send_display({**widget._repr_mimebundle_()})

    def _driver(self) -> InputDriver | None:
        board = self.kernel.board
        return board if board is not None and hasattr(board, "set_input") else None  # type: ignore[return-value]

    def board_panel(self) -> BoardPanel:
        if self.panel is None:
            self.panel = BoardPanel(self.state, self._driver, self._refresh_from_board)
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
        total = getattr(getattr(self.kernel.board, "profile", None), "heap_bytes", None)
        return max(0, total - free) if isinstance(total, int) else 0

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
        board = self.kernel.board
        if board is None or not self.watched:
            return
        ids = [int(name) if name.isdigit() else name for name in self.watched]
        try:
            reply = await board.query(PINS_QUERY.format(ids=ids))
        except BoardError:
            return
        for name, level in zip(self.watched, parse_pins_report(reply), strict=False):
            self.state.pins.setdefault(name, PinState(name, mode="watched")).value = level
        self.state.notify(PINS)

    # -- around each cell ----------------------------------------------------------------------
    def stdout_feed(self, streamer: OutputStreamer) -> Callable[[bytes], None]:
        """Where the board's stdout bytes go for this cell: through the plot's parser when it is shown."""
        if self.plot is None:
            self._feed = None
            return streamer.feed
        self._feed = PlotFeed(streamer, self.state, self.hide_data)
        return self._feed.feed

    def output_closed(self) -> None:
        """The cell's output ended (normally or not): the rest of it, and the newest state drawn."""
        if self._feed is not None:
            self._feed.close()
            self._feed = None
        self.coalescer.flush()

    async def cell_finished(self, error_name: str | None) -> None:
        """After a cell ran: a heap sample, and the final state drawn."""
        await asyncio.sleep(0)  # let events already read from the board reach the state
        if self.panel is not None:
            await self.read_watched_pins()
        if self.heap is not None:
            await self.sample_heap(memory_error=error_name == "MemoryError")
        self.coalescer.flush()
        if self.panel is not None:
            self.kernel.as_cell_output(self.panel.settle)

    async def sample_heap(self, memory_error: bool = False) -> None:
        board = self.kernel.board
        if board is None:
            return
        try:
            reading = await board.read_heap(with_map=True)
        except BoardError:
            return  # a board busy or gone: no sample this time
        if reading is None:
            return
        now, cell = time.monotonic(), self.kernel.execution_count_now
        if reading.blocks and reading.block_bytes:
            self.state.set_heap_map(HeapMap(now, reading.blocks, reading.block_bytes, cell))
        sample = HeapSample(now, reading.free, reading.used, reading.largest_free, memory_error, cell)
        self.state.add_heap_sample(sample)
