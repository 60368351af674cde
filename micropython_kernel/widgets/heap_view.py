"""HeapView: the ``%heap`` view. Free, used and largest free block over time, per-cell delta, MemoryErrors."""

from __future__ import annotations

import ipywidgets as w

from ..board.state import BOARD, HEAP, BoardState, HeapSample
from .svgchart import line_chart

DEFAULT_WINDOW = 200  # samples drawn


def _kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


class HeapView:
    def __init__(self, state: BoardState, window: int = DEFAULT_WINDOW) -> None:
        self.state = state
        self.window = window
        self.chart = w.HTML()
        self.summary = w.HTML()
        self.widget = w.VBox([self.summary, self.chart])
        self.refresh({"all"})

    def refresh(self, changed: set[str]) -> None:
        if not ({"all", HEAP, BOARD} & changed):
            return
        samples: list[HeapSample] = self.state.current_heap()[-self.window :]  # this board's only
        if not samples:
            self.summary.value = "<small>no heap samples yet: run a cell</small>"
            self.chart.value = line_chart({}, css_class="mpk-heap")
            return
        start = samples[0].t
        series: dict[str, list[tuple[float, float]]] = {"free": [], "used": [], "largest free": []}
        for s in samples:
            series["free"].append((s.t - start, s.free))
            series["used"].append((s.t - start, s.used))
            if s.largest_free is not None:
                series["largest free"].append((s.t - start, s.largest_free))
        markers = [(s.t - start, f"MemoryError in cell {s.cell}") for s in samples if s.memory_error]
        self.chart.value = line_chart(series, markers=markers, css_class="mpk-heap")
        self.summary.value = self._summary(samples)

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
        return f'<small class="mpk-heap-summary">{text}</small>'
