"""A small SVG line chart as text: what the live plot and the heap view draw at the coalesced rate.

An HTML widget holding this SVG is a standard ipywidget (JupyterLab, Notebook 7, VS Code need nothing
else), and redrawing it costs one comm message of a few KB: far lighter than a matplotlib figure a frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
Point = tuple[float, float]


def _thin(points: Sequence[Point], buckets: int) -> list[Point]:
    """At most ~2 points per bucket (its min and max), so spikes survive and the SVG stays small."""
    if len(points) <= 2 * buckets:
        return list(points)
    size = len(points) / buckets
    thinned: list[Point] = []
    for b in range(buckets):
        chunk = points[int(b * size) : int((b + 1) * size)]
        if chunk:
            low = min(chunk, key=lambda p: p[1])
            high = max(chunk, key=lambda p: p[1])
            thinned.extend(sorted({low, high}))
    return thinned


def _label(value: float) -> str:
    return f"{value:.4g}"


def line_chart(
    series: dict[str, Sequence[Point]],
    width: int = 640,
    height: int = 220,
    markers: Sequence[tuple[float, str]] = (),
    css_class: str = "mpk-chart",
) -> str:
    """SVG text: one polyline per series (x = seconds, y = value), a legend, y range and time span.

    ``markers`` are vertical lines at x positions with a title (e.g. a MemoryError).
    """
    left, right, top, bottom = 56, 8, 18, 18
    plot_w, plot_h = width - left - right, height - top - bottom
    finite = [
        (x, y) for points in series.values() for x, y in points if math.isfinite(x) and math.isfinite(y)
    ]
    parts = [
        f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="font: 11px sans-serif; background: #fff">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#ccc"/>',
    ]
    if finite:
        xs = [p[0] for p in finite] + [x for x, _ in markers]
        ys = [p[1] for p in finite]
        x0, x1 = min(xs), max(xs)
        y0, y1 = min(ys), max(ys)
        if x1 == x0:
            x1 = x0 + 1.0
        if y1 == y0:
            y0, y1 = y0 - 1.0, y1 + 1.0

        def sx(x: float) -> float:
            return left + (x - x0) / (x1 - x0) * plot_w

        def sy(y: float) -> float:
            return top + (y1 - y) / (y1 - y0) * plot_h

        parts.append(f'<text x="{left - 4}" y="{top + 9}" text-anchor="end">{_label(y1)}</text>')
        parts.append(f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">{_label(y0)}</text>')
        parts.append(
            f'<text x="{left + plot_w}" y="{height - 4}" text-anchor="end">{_label(x1 - x0)} s</text>'
        )
        for x, title in markers:
            parts.append(
                f'<line class="mpk-marker" x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{top}" '
                f'y2="{top + plot_h}" stroke="#d62728" stroke-dasharray="3,2">'
                f"<title>{escape(title)}</title></line>"
            )
        for index, (name, points) in enumerate(series.items()):
            color = PALETTE[index % len(PALETTE)]
            usable = [(x, y) for x, y in points if math.isfinite(x) and math.isfinite(y)]
            coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in _thin(usable, plot_w))
            parts.append(
                f'<polyline data-series="{escape(name)}" points="{coords}" fill="none" '
                f'stroke="{color}" stroke-width="1.5"/>'
            )
    legend_x = left
    for index, name in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        parts.append(f'<text x="{legend_x}" y="12" fill="{color}">\u25a0 {escape(name)}</text>')
        legend_x += 14 + 7 * len(name) + 10
    parts.append("</svg>")
    return "".join(parts)
