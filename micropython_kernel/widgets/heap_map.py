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
MAP_COLUMNS = 128  # blocks a row, as static/heapmap.js draws them
FREE, USED = "#e3efe3", "#1f5fa8"  # the colours of free blocks and of objects in static/heapmap.js


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


def block_map_svg(heap_map: HeapMap, width: int = 720, y: int = 0) -> tuple[str, int]:
    """The block map for a saved notebook's picture: (SVG text, its height). Free and used blocks only
    (the page's map tells object types apart), a rectangle a run of one kind in a row, so that a
    heap of 8,192 blocks stays a few kilobytes. ``y``: where it goes inside a larger picture."""
    blocks = heap_map.blocks
    side = max(2, (width - 20) // MAP_COLUMNS)
    rows = -(-len(blocks) // MAP_COLUMNS)
    top = 26
    height = top + rows * side + 30
    free = blocks.count(".")
    runs = [len(run) for run in "".join("." if b == "." else " " for b in blocks).split(" ") if run]
    largest = max(runs, default=0)
    fragmentation = round(100 * (1 - largest / free)) if free else 0
    parts = [
        f'<svg class="mpk-heapmap" xmlns="http://www.w3.org/2000/svg" y="{y}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" style="font: 14px sans-serif; background: #fff">',
        f'<text x="10" y="18" font-weight="bold">GC block map: one square a {heap_map.block_bytes}-byte '
        "block (light: free, dark: used)</text>",
    ]
    for row in range(rows):
        line = blocks[row * MAP_COLUMNS : (row + 1) * MAP_COLUMNS]
        start = 0
        while start < len(line):
            end = start
            while end < len(line) and (line[end] == ".") == (line[start] == "."):
                end += 1
            colour = FREE if line[start] == "." else USED
            parts.append(
                f'<rect x="{10 + start * side}" y="{top + row * side}" width="{(end - start) * side}" '
                f'height="{side}" fill="{colour}"/>'
            )
            start = end
    used = len(blocks) - free
    size = heap_map.block_bytes
    parts.append(
        f'<text x="10" y="{height - 8}">{len(blocks):,} blocks: used {used * size:,} B, '
        f"free {free * size:,} B in {len(runs)} runs, largest free run {largest * size:,} B "
        f"(fragmentation {fragmentation}%)</text>"
    )
    parts.append("</svg>")
    return "".join(parts), height
