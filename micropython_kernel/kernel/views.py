"""The kernel's side of the live views: shows them, feeds BoardState from cells, flushes after each cell.

One KernelViews per kernel, over the kernel's single BoardState, so views survive ``%reset`` and a
switch of target. Widgets are created in the kernel process and shown with ``display_data``; their
updates go through one Coalescer whose redraws are parented to the running cell.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..board.datalines import LineSplitter, parse_data_line
from ..board.errors import BoardError
from ..board.state import EVENTS, HeapSample
from ..widgets.board_panel import BoardPanel, InputDriver
from ..widgets.coalescer import Coalescer
from ..widgets.heap_view import HeapView
from ..widgets.live_plot import LivePlot
from .output import OutputStreamer

if TYPE_CHECKING:
    import ipywidgets

    from .kernel import MicroPythonKernel

# Runs in a function so the user's names (their own `gc`, `sys`) are untouched. mem_info() prints
# "max free sz: N" in GC blocks; a block is 4 machine words (16 bytes on 32-bit boards, 32 on 64-bit).
# On the simulated board it also starts _heapwatch (samples while later cells wait); not on a real one.
HEAP_QUERY = """def _mpk_heap():
    import gc, micropython, sys
    try:
        import _heapwatch
    except ImportError:
        pass
    gc.collect()
    micropython.mem_info()
    print('mpk-heap', gc.mem_free(), gc.mem_alloc(), 16 if sys.maxsize < 2**32 else 32)
_mpk_heap()
del _mpk_heap"""
_HEAP_LINE = re.compile(r"mpk-heap (\d+) (\d+) (\d+)")
_MAX_FREE = re.compile(r"max free sz: (\d+)")


def parse_heap_report(text: str) -> tuple[int, int, int | None] | None:
    """(free, used, largest free block in bytes) from HEAP_QUERY's output."""
    line = _HEAP_LINE.search(text)
    if line is None:
        return None
    free, used, block = (int(g) for g in line.groups())
    max_free = _MAX_FREE.search(text)
    return free, used, int(max_free.group(1)) * block if max_free else None


class DataLineFilter:
    """Passes printed text on without the numeric data lines (``%plot --hide-data``)."""

    def __init__(self, send: Callable[[str], None]) -> None:
        self._send = send
        self._splitter = LineSplitter()

    def __call__(self, text: str) -> None:
        kept = [line + "\n" for line in self._splitter.feed(text) if parse_data_line(line) is None]
        if kept:
            self._send("".join(kept))

    def close(self) -> None:
        rest = self._splitter.feed("\n")  # a last line with no newline
        if rest and rest[0] and parse_data_line(rest[0]) is None:
            self._send(rest[0])


class KernelViews:
    def __init__(self, kernel: MicroPythonKernel) -> None:
        self.kernel = kernel
        self.state = kernel.state
        self.coalescer = Coalescer(self.state, runner=kernel.as_cell_output)
        self.panel: BoardPanel | None = None
        self.plot: LivePlot | None = None
        self.heap: HeapView | None = None
        self.hide_data = False
        self._filter: DataLineFilter | None = None
        self._heap_event_t = float("-inf")  # "heap" events up to this time became samples already
        self.state.observe(self._on_state_change)

    # -- showing -------------------------------------------------------------------------------
    def show(self, widget: ipywidgets.Widget) -> None:
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
            self.plot = LivePlot(self.state, export_dir=Path.cwd)
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
            if event.kind == "heap":
                free, used = (int(float(v)) for v in str(event.value).split(","))
                found.append(HeapSample(event.t, free, used, cell=self.kernel.execution_count_now))
        if found:
            self._heap_event_t = found[0].t
            for sample in reversed(found):
                self.state.add_heap_sample(sample)

    def _refresh_from_board(self) -> None:
        asyncio.ensure_future(self.sample_heap())

    # -- around each cell ----------------------------------------------------------------------
    def wrap_stdout(self, send: Callable[[str], None]) -> Callable[[str], None]:
        """The function that shows a cell's stdout: without data lines when the plot hides them."""
        self._filter = DataLineFilter(send) if self.hide_data and self.plot is not None else None
        return self._filter or send

    def cell_started(self, streamer: OutputStreamer) -> None:
        if self.plot is not None:
            splitter = LineSplitter()

            def to_samples(text: str) -> None:
                for line in splitter.feed(text):
                    values = parse_data_line(line)
                    if values is not None:
                        self.state.add_data(values)

            streamer.listeners.append(to_samples)

    def output_closed(self) -> None:
        """The cell's output ended (normally or not): the rest of it, and the newest state drawn."""
        if self._filter is not None:
            self._filter.close()
            self._filter = None
        self.coalescer.flush()

    async def cell_finished(self, error_name: str | None) -> None:
        """After a cell ran: a heap sample, and the final state drawn."""
        await asyncio.sleep(0)  # let events already read from the board reach the state
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
            report = parse_heap_report(await board.query(HEAP_QUERY))
        except BoardError:
            return  # a board busy or gone: no sample this time
        if report is not None:
            free, used, largest = report
            cell = self.kernel.execution_count_now
            self.state.add_heap_sample(HeapSample(time.monotonic(), free, used, largest, memory_error, cell))
