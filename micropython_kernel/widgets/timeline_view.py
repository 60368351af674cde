"""TimelineView: the ``%timeline`` view, a logic analyzer over the board's Timeline.

One lane per pin (and per bus, sensor, display): digital pins as square waves, PWM as its duty, ADC and
sensors as analog traces, I2C/SPI transfers as labelled blocks. The page (``static/timeline.js``, an
anywidget module on a canvas) asks for the span it shows and its width in pixels; the kernel answers with
each lane reduced to what the pixels can show (``lane_data``), so a million events cost a few KB a redraw.
Live while a cell runs (the view follows the newest events unless the user zoomed or panned), kept after
it; ``snapshot()`` is a static SVG of the same lanes for saved notebooks.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import anywidget
import ipywidgets as w
import numpy as np
import traitlets

from ..board.state import BOARD, TIMELINE, BoardState
from ..board.timeline import (
    BusTransfer,
    Rows,
    Timeline,
    duty,
    frequency,
    period,
    pulse_width,
)
from .chart import STATIC

LANE_KINDS = ("pin", "pwm", "adc", "sensor", "i2c", "spi", "display", "neopixel")
DEFAULT_WIDTH = 900  # pixels, until the page says how wide it is
MAX_BLOCKS = 400  # labelled bus blocks a lane sends; more become a dense span


def transfer_seconds(transfer: BusTransfer) -> float:
    """How long a transfer holds its bus: I2C 9 clocks a byte plus start/stop, SPI 8 a byte."""
    if transfer.bus == "spi":
        clocks = 8 * max(0, len(transfer.tokens) - 1)
    else:
        clocks = sum(9 if token[0] in "rw" else 1.5 for token in transfer.tokens)
    return clocks / max(transfer.rate_hz, 1)


MEASURES = (("period", period), ("frequency", frequency), ("duty", duty), ("pulse_width", pulse_width))


def _span(t0: Any, t1: Any) -> tuple[float | None, float | None]:
    if isinstance(t0, (int, float)) and isinstance(t1, (int, float)) and t0 < t1:
        return float(t0), float(t1)
    return None, None


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 9)


def lane_data(
    timeline: Timeline, rows: Rows, kind: str, target: str, t0: float, t1: float, width: int
) -> dict[str, Any]:
    """One lane over [t0, t1] s for ``width`` pixels: steps [[t, v]] (the value in force at t0 first),
    dense spans [[a, b]] where changes outnumber pixels, blocks [[a, b, label]] (bus transfers)."""
    lane: dict[str, Any] = {"name": target, "kind": kind, "steps": [], "dense": [], "blocks": []}
    mine = timeline.of(kind, target, rows)
    times = timeline.seconds(mine["t"])
    values = mine["value"]
    first = int(np.searchsorted(times, t0, side="right"))
    last = int(np.searchsorted(times, t1, side="right"))
    before = max(first - 1, 0)
    if kind in ("i2c", "spi", "display", "neopixel"):
        starts = times[first:last]
        if len(starts) > MAX_BLOCKS:
            lane["dense"] = [[_finite(starts[0]), _finite(starts[-1])]]
            return lane
        for index in range(first, last):
            detail = timeline.detail(int(mine["aux"][index]))
            if isinstance(detail, BusTransfer):
                end = times[index] + transfer_seconds(detail)
                lane["blocks"].append([_finite(times[index]), _finite(end), detail.describe()])
            else:
                lane["blocks"].append([_finite(times[index]), _finite(times[index]), kind])
        return lane
    if kind == "pwm" and len(mine):
        lane["unit"] = f"@ {int(mine['aux'][max(last - 1, 0)])} Hz"
    span_t, span_v = times[before:last], values[before:last]
    if kind in ("adc", "sensor"):
        low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        lane["low"], lane["high"] = low, high if high > low else low + 1
    else:
        lane["low"], lane["high"] = 0.0, 1.0
    if len(span_t) <= 2 * width:
        lane["steps"] = [[_finite(max(t, t0)), _finite(v)] for t, v in zip(span_t, span_v, strict=True)]
        return lane
    # More changes than pixels: per pixel, one step where a pixel has one change, a dense span where it
    # has several (analog lanes: the pixel's mean, so the trace keeps its shape).
    pixel = np.clip(((span_t - t0) / (t1 - t0) * width).astype(np.int64), 0, width - 1)
    counts = np.bincount(pixel, minlength=width)
    if kind in ("adc", "sensor"):
        sums = np.bincount(pixel, weights=span_v, minlength=width)
        used = np.flatnonzero(counts)
        lane["steps"] = [
            [_finite(t0 + (p + 0.5) * (t1 - t0) / width), _finite(sums[p] / counts[p])] for p in used
        ]
        return lane
    busy = counts > 1
    edges = np.flatnonzero(np.diff(np.concatenate(([0], busy.astype(np.int8), [0]))))
    pixel_t = (t1 - t0) / width
    lane["dense"] = [[_finite(t0 + a * pixel_t), _finite(t0 + b * pixel_t)] for a, b in edges.reshape(-1, 2)]
    last_in_pixel = np.flatnonzero(np.diff(np.concatenate((pixel, [width]))))  # the last event of each pixel
    lane["steps"] = [[_finite(max(span_t[i], t0)), _finite(span_v[i])] for i in last_in_pixel]
    return lane


class TimelineWidget(anywidget.AnyWidget):
    """The page's side; data comes as custom messages (see static/timeline.js)."""

    _esm = STATIC / "timeline.js"
    _css = STATIC / "timeline.css"
    note = traitlets.Unicode("").tag(sync=True)


class TimelineView:
    def __init__(self, state: BoardState, pins: list[str] | None = None, window: float | None = None) -> None:
        self.state = state
        self.pins = pins or None  # None: every channel that changed
        self.window = window  # seconds shown while following (None: the whole run)
        self.viewport: tuple[float, float] | None = None  # the page's zoom/pan, None while following
        self.width = DEFAULT_WIDTH
        self.sent_version = -1
        self.sent_messages = 0
        self.chart = TimelineWidget(note=self._note())
        self.chart.on_msg(self._on_page_message)
        self.widget = w.VBox([self.chart])

    @property
    def timeline(self) -> Timeline:
        return self.state.timeline

    def lanes(self) -> list[tuple[str, str]]:
        channels = [(k, t) for k, t in self.timeline.channels() if k in LANE_KINDS]
        if self.pins is None:
            return channels
        return [(k, t) for name in self.pins for k, t in channels if t == name]

    def span(self, rows: Rows | None = None) -> tuple[float, float, float, float]:
        """(t0, t1) to draw and (start, end) of the record, in seconds."""
        rows = self.timeline.events() if rows is None else rows
        if len(rows):
            start, end = (float(v) for v in self.timeline.seconds(rows["t"][[0, -1]]))
        else:
            start = end = 0.0
        end = max(end, start + 1e-3)
        if self.viewport is not None:
            return (*self.viewport, start, end)
        t0 = start if self.window is None else max(start, end - self.window)
        return t0, end, start, end

    def data(self) -> dict[str, Any]:
        rows = self.timeline.events()
        t0, t1, start, end = self.span(rows)
        lanes = [lane_data(self.timeline, rows, k, t, t0, t1, self.width) for k, t in self.lanes()]
        return {"kind": "data", "t0": t0, "t1": t1, "start": start, "end": end,
                "follow": self.viewport is None, "lanes": lanes}  # fmt: skip

    def _send(self) -> None:
        self.sent_version = self.timeline.version
        self.sent_messages += 1
        self.chart.send(self.data())

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("kind") == "view":
            width = content.get("width")
            if isinstance(width, int) and 50 <= width <= 10_000:
                self.width = width
            t0, t1 = content.get("t0"), content.get("t1")
            if content.get("follow") or not all(isinstance(v, (int, float)) for v in (t0, t1)) or t1 <= t0:
                self.viewport = None
            else:
                self.viewport = (float(t0), float(t1))
            self._send()
        elif content.get("kind") == "measure":
            self.chart.send(self.measure(content))

    def measure(self, request: dict[str, Any]) -> dict[str, Any]:
        """Period, frequency, duty, pulse width of a lane's pin between the cursors (``t0``, ``t1``), or
        over the span shown (``view_t0``, ``view_t1``) when the cursors hold less than two cycles."""
        name = str(request.get("lane", ""))
        spans = [("between the cursors", "t0", "t1")] if request.get("cursors") else []
        spans.append(("over the span shown", "view_t0", "view_t1"))
        figures: dict[str, Any] = {"kind": "measured", "lane": name}
        for words, start, end in spans:
            span = _span(request.get(start), request.get(end))
            try:
                for key, function in MEASURES:
                    figures[key] = _finite(function(self.timeline, name, *span))
            except ValueError:  # not a pin (a bus, a sensor): nothing to measure
                figures.update(dict.fromkeys(dict(MEASURES)))
                break
            figures["over"] = words
            if figures["period"] is not None:
                break
        return figures

    def _note(self) -> str:
        """What the view says above the lanes: a real board's record is sampled; recording is off."""
        if self.timeline.sampled:
            return f"A real board: this timeline is sampled, not exact. {self.timeline.sample_note}".strip()
        if not self.timeline.on:
            return "Recording is off (%timeline on resumes it)."
        return ""

    # -- the view interface (see HELPERS: .widget, .redraw(), .snapshot()) -------------------
    def refresh(self, changed: set[str]) -> None:
        if {"all", TIMELINE, BOARD} & changed:
            self.redraw()

    def redraw(self) -> None:
        self.chart.note = self._note()
        if self.timeline.version != self.sent_version:
            self._send()

    def snapshot(self) -> dict[str, str]:
        data = self.data()
        lanes = data["lanes"]
        shown = f"{data['t0']:.6f}..{data['t1']:.6f} s"
        text = f"timeline: {len(self.timeline):,} events, {len(lanes)} lanes, {shown}"
        if self.timeline.sampled:
            text += " (a real board: sampled, not exact)"
        return {"image/svg+xml": lanes_svg(data), "text/plain": text}


_LABEL, _LANE, _AXIS = 130, 34, 26  # px: lane names, a lane, the time axis (as in timeline.js)


def _lane_svg(lane: dict[str, Any], top: int, x: Any, end: float) -> list[str]:
    hi, lo = top + 6, top + _LANE - 6
    low, high = lane.get("low", 0.0), lane.get("high", 1.0)
    square = lane["kind"] in ("pin", "pwm")

    def y(v: float) -> float:
        if lane["kind"] == "pin":
            return hi if v >= 0.5 else lo
        return round(lo - (v - low) / ((high - low) or 1) * (lo - hi), 1)

    parts = [f'<text x="6" y="{top + _LANE / 2 + 4}">{escape(lane["name"])}</text>']
    points: list[tuple[float, float]] = []
    for t, v in lane["steps"]:
        if v is None:
            continue
        if points and square:
            points.append((x(t), points[-1][1]))
        points.append((x(t), y(v)))
    if points and square:
        points.append((x(end), points[-1][1]))
    if points:
        line = " ".join(f"{a},{b}" for a, b in points)
        parts.append(f'<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="{line}"/>')
    for a, b in lane["dense"]:
        parts.append(
            f'<rect x="{x(a)}" y="{hi}" width="{max(1, x(b) - x(a))}" height="{lo - hi}" '
            'fill="#1f77b4" fill-opacity="0.55"/>'
        )
    for a, b, text in lane["blocks"]:
        parts.append(
            f'<rect x="{x(a)}" y="{hi}" width="{max(2, x(b) - x(a))}" height="{lo - hi}" '
            f'fill="#ffe9b3" stroke="#b8860b"><title>{escape(text)}</title></rect>'
        )
    return parts


def lanes_svg(data: dict[str, Any], width: int = DEFAULT_WIDTH) -> str:
    """The lanes of a ``data`` message as a static SVG (what a saved notebook shows)."""
    t0, t1 = data["t0"], data["t1"]
    span = (t1 - t0) or 1.0

    def x(t: float) -> float:
        return round(_LABEL + (min(max(t, t0), t1) - t0) / span * width, 1)

    parts = []
    for i, lane in enumerate(data["lanes"]):
        shade = "#fafafa" if i % 2 else "#f2f2f2"
        parts.append(
            f'<rect x="0" y="{i * _LANE}" width="{_LABEL + width}" height="{_LANE}" fill="{shade}"/>'
        )
        parts += _lane_svg(lane, i * _LANE, x, data["end"])
    axis = len(data["lanes"]) * _LANE
    parts.append(f'<line x1="{_LABEL}" y1="{axis + 1}" x2="{_LABEL + width}" y2="{axis + 1}" stroke="#999"/>')
    parts.append(f'<text x="{_LABEL}" y="{axis + 18}">{t0:.6f} s</text>')
    parts.append(f'<text x="{_LABEL + width - 90}" y="{axis + 18}">{t1:.6f} s</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mpk-timeline" width="{_LABEL + width + 10}" '
        f'height="{axis + _AXIS}" font-family="sans-serif" font-size="12">{"".join(parts)}</svg>'
    )
