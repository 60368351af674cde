"""A static SVG line chart as text: the snapshot a plot or heap view leaves in a saved notebook.

The live chart is ``chart.TimeChart`` (uPlot in the page); this is what GitHub, nbviewer, nbconvert and a
reopened notebook show once no kernel is there: the same axes (time in seconds, nice ticks, grid, plain
numbers, series names), drawn in the kernel without any browser or matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
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


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def plain_number(value: float) -> str:
    """33870 -> "33,870", 0.0021 -> "0.0021": never scientific notation."""
    size = abs(value)
    digits = 0 if size >= 1000 else 2 if size >= 10 else 3 if size >= 1 else 4
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def plain_bytes(value: float) -> str:
    return f"{plain_number(value / 1024)} KB" if abs(value) >= 1024 else f"{plain_number(value)} B"


def line_chart(
    series: dict[str, Sequence[Point]],
    width: int = 720,
    height: int = 300,
    markers: Sequence[tuple[float, str]] = (),
    css_class: str = "mpk-chart",
    y_label: str = "",
    y_format: Callable[[float], str] = plain_number,
    title: str = "",
) -> str:
    """SVG text: one polyline per series (x = seconds, y = value), a legend, ticks and a grid.

    ``markers`` are vertical lines at x positions with a title (e.g. a MemoryError).
    """
    left, right, top, bottom = 86, 14, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    finite = [
        (x, y) for points in series.values() for x, y in points if math.isfinite(x) and math.isfinite(y)
    ]
    parts = [
        f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="font: 14px sans-serif; background: #fff">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle" font-weight="bold">'
        "time (s)</text>",
    ]
    if y_label:
        parts.append(
            f'<text transform="translate(16 {top + plot_h / 2}) rotate(-90)" text-anchor="middle" '
            f'font-weight="bold">{escape(y_label)}</text>'
        )
    if finite:
        xs = [p[0] for p in finite] + [x for x, _ in markers]
        ys = [p[1] for p in finite]
        x0, x1 = min(xs), max(xs)
        y0, y1 = min(ys), max(ys)
        if x1 == x0:
            x1 = x0 + 1.0
        if y1 == y0:
            y0, y1 = y0 - 1.0, y1 + 1.0
        pad = (y1 - y0) * 0.05
        y0, y1 = y0 - pad, y1 + pad

        def sx(x: float) -> float:
            return left + (x - x0) / (x1 - x0) * plot_w

        def sy(y: float) -> float:
            return top + (y1 - y) / (y1 - y0) * plot_h

        for tick in nice_ticks(x0, x1, 8):
            x = sx(tick)
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>')
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{plain_number(tick)}</text>'
            )
        for tick in nice_ticks(y0, y1, 6):
            y = sy(tick)
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
            parts.append(f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end">{y_format(tick)}</text>')
        for x, label in markers:
            parts.append(
                f'<line class="mpk-marker" x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{top}" '
                f'y2="{top + plot_h}" stroke="#d62728" stroke-dasharray="5,4" stroke-width="1.5">'
                f"<title>{escape(label)}</title></line>"
            )
        for index, (name, points) in enumerate(series.items()):
            color = PALETTE[index % len(PALETTE)]
            usable = [(x, y) for x, y in points if math.isfinite(x) and math.isfinite(y)]
            coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in _thin(usable, plot_w))
            parts.append(
                f'<polyline data-series="{escape(name)}" points="{coords}" fill="none" '
                f'stroke="{color}" stroke-width="2"/>'
            )
    else:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" fill="#888">'
            "no samples yet</text>"
        )
    legend_x = left
    if title:
        parts.append(f'<text x="{left}" y="20" font-weight="bold">{escape(title)}</text>')
        legend_x += 16 + 8 * len(title)
    for index, name in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        parts.append(f'<text x="{legend_x}" y="20" fill="{color}">\u25a0 {escape(name)}</text>')
        legend_x += 24 + 8 * len(name)
    parts.append("</svg>")
    return "".join(parts)
