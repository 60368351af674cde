"""HeapView: the ``%heap`` view. Free, used and largest free block over time, the GC block map, what each
cell allocated, MemoryErrors.

The chart is a ``chart.TimeChart`` (uPlot in the page) fed with the heap samples that are new at each
redraw; a MemoryError is a marker line. The block map (heap_map.py) is the board's newest
``micropython.mem_info(1)``. ``snapshot()`` is the static SVG a saved notebook keeps.
"""

from __future__ import annotations

import itertools

import ipywidgets as w

from ..board.state import BOARD, HEAP, BoardState, HeapMap, HeapSample
from .chart import TimeChart
from .heap_map import HeapMapWidget, block_map_svg, cell_allocations_html
from .svgchart import line_chart, plain_bytes

DEFAULT_WINDOW = 200  # samples drawn
CHART_WIDTH, CHART_HEIGHT = 720, 300  # the picture's chart (svgchart.line_chart's size)
SERIES_NAMES = ("free", "used", "largest free")
TEXT = 'style="font-size:14px"'  # legible on a projector


def _kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


class HeapView:
    def __init__(self, state: BoardState, window: int = DEFAULT_WINDOW) -> None:
        self.state = state
        self._window = window
        self._t0: float | None = None
        self._sent_t = float("-inf")
        self._series = -1  # the board whose samples the chart shows (a new board: a new chart)
        self.chart = TimeChart(
            self._whole_window, series=list(SERIES_NAMES), window=window, y_label="heap", y_format="bytes"
        )
        self.summary = w.HTML()
        self.block_map = HeapMapWidget()
        self.cells = w.HTML()
        self._shown_map: object = None
        self.widget = w.VBox([self.summary, self.chart, self.cells, self.block_map])
        self.refresh({"all"})

    @property
    def window(self) -> int:
        return self._window

    @window.setter
    def window(self, value: int) -> None:
        self._window = self.chart.window = value
        self.refresh({"all"})

    def samples(self, after: float = float("-inf")) -> list[HeapSample]:
        """The newest samples of the current board (a new board's heap is not one line with the old)."""
        series = self.state.heap_series
        newest_first = itertools.takewhile(
            lambda s: s.t > after and s.series == series, reversed(self.state.heap)
        )
        return list(itertools.islice(newest_first, self._window))[::-1]

    def _columns(self, samples: list[HeapSample]) -> tuple[list[float], list[list], list[tuple[float, str]]]:
        if samples and self._t0 is None:
            self._t0 = samples[0].t
        t0 = self._t0 or 0.0
        t = [s.t - t0 for s in samples]
        columns = [[s.free for s in samples], [s.used for s in samples], [s.largest_free for s in samples]]
        markers = [(s.t - t0, f"MemoryError in cell {s.cell}") for s in samples if s.memory_error]
        return t, columns, markers

    def _whole_window(self) -> tuple[list[float], list[list], list[tuple[float, str]]]:
        return self._columns(self.samples())

    def redraw(self) -> None:
        self.refresh({"all"})

    def refresh(self, changed: set[str]) -> None:
        if not ({"all", HEAP, BOARD} & changed):
            return
        everything = "all" in changed or self.state.heap_series != self._series
        if self.state.heap_series != self._series:
            self._series, self._t0 = self.state.heap_series, None
        heap_map = self._current_map()  # (None: the map of a board before this one)
        if everything or heap_map is not self._shown_map:
            self._shown_map = heap_map
            self.block_map.show(heap_map)
        new = self.samples() if everything else self.samples(after=self._sent_t)
        if new:
            self._sent_t = new[-1].t
            self.cells.value = cell_allocations_html(self.samples())
        if everything or len(new) >= self._window:
            self.chart.reset(*self._columns(new))
        elif new:
            self.chart.append(*self._columns(new))
        else:
            return
        samples = self.samples()
        if not samples:
            self.summary.value = f'<span {TEXT} class="mpk-heap-summary">no heap samples yet</span>'
            return
        self.summary.value = self._summary(samples)

    def snapshot(self) -> dict[str, str]:
        samples = self.samples()
        t, columns, markers = self._columns(samples)
        series = {
            name: [(x, y) for x, y in zip(t, column, strict=True) if y is not None]
            for name, column in zip(SERIES_NAMES, columns, strict=True)
        }
        text = "heap: no samples yet"
        if samples:
            last = samples[-1]
            text = f"heap: {len(samples)} samples; free {_kb(last.free)}, used {_kb(last.used)}"
        svg = line_chart(series, markers=markers, css_class="mpk-heap", y_label="heap", y_format=plain_bytes)
        heap_map = self._current_map()
        if heap_map is not None:  # the chart, and the block map under it, in one picture
            block_map, map_height = block_map_svg(heap_map, CHART_WIDTH, y=CHART_HEIGHT)
            svg = (
                f'<svg class="mpk-heap" xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" '
                f'height="{CHART_HEIGHT + map_height}">{svg}{block_map}</svg>'
            )
            text += f"; block map of {len(heap_map.blocks):,} blocks"
        return {"image/svg+xml": svg, "text/plain": text}

    def _current_map(self) -> HeapMap | None:
        """The newest block map, if it is of the board this view draws."""
        heap_map = self.state.heap_map
        return heap_map if heap_map is not None and heap_map.series == self.state.heap_series else None

    def _summary(self, samples: list[HeapSample]) -> str:
        last = samples[-1]
        text = f"{len(samples)} samples; free {_kb(last.free)}, used {_kb(last.used)}"
        if last.largest_free is not None:
            text += f", largest free block {_kb(last.largest_free)}"
        if len(samples) > 1:
            delta = last.used - samples[-2].used
            text += f"; used {'+' if delta >= 0 else ''}{delta:,} bytes since the previous sample"
        if last.cell is not None:
            text += f" (after cell {last.cell})"
        errors = sum(s.memory_error for s in samples)
        if errors:
            text += f'; <span style="color:#d62728">MemoryError in {errors} cell(s)</span>'
        return f'<span {TEXT} class="mpk-heap-summary">{text}</span>'
