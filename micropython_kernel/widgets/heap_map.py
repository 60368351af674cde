"""HeapMap: the GC block map of the ``%heap`` view (anywidget; ``static/heapmap.js``), one cell a block as
``micropython.mem_info(1)`` prints it, and the allocation of the last cells as bars (plain HTML)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import anywidget
import traitlets

from ..board.state import HeapMap, HeapSample
from .chart import STATIC

CELLS_SHOWN = 8  # the newest cells whose allocation is listed


class HeapMapWidget(anywidget.AnyWidget):
    _esm = STATIC / "heapmap.js"
    _css = STATIC / "heapmap.css"
    blocks = traitlets.Unicode("").tag(sync=True)
    block_bytes = traitlets.Int(16).tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)

    def show(self, heap_map: HeapMap | None) -> None:
        if heap_map is None:
            self.blocks, self.caption = "", "GC block map"
            return
        after = f" after cell {heap_map.cell}" if heap_map.cell is not None else ""
        self.block_bytes = heap_map.block_bytes
        self.caption = f"GC block map{after}: one square a {heap_map.block_bytes}-byte block"
        self.blocks = heap_map.blocks


def cell_allocations_html(samples: Iterable[HeapSample]) -> str:
    """The bytes each of the last cells allocated (used at its end minus at the end of the one before)."""
    cells = [s for s in samples if s.cell is not None and s.allocated is not None][-CELLS_SHOWN:]
    if not cells:
        return ""
    widest = max(abs(s.allocated or 0) for s in cells) or 1
    rows = []
    for s in cells:
        size = s.allocated or 0
        colour = "#d62728" if size > 0 else "#2ca02c"
        bar = f'<span style="display:inline-block;height:12px;width:{max(1, 260 * abs(size) // widest)}px;'
        bar += f'background:{colour}"></span>'
        rows.append(
            f'<tr data-cell="{s.cell}"><td>In [{s.cell}]</td><td style="text-align:right">{size:+,} B</td>'
            f"<td>{bar}</td></tr>"
        )
    return (
        '<table class="mpk-heap-cells" style="font:14px sans-serif;border-collapse:collapse">'
        f'<caption style="text-align:left;font-weight:bold">{escape("allocated by each cell")}</caption>'
        + "".join(rows)
        + "</table>"
    )
