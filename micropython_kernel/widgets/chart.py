"""TimeChart: a time-series chart widget (anywidget + uPlot) that the plot and heap views draw with.

The browser side is ``static/chart.js``, bundled from ``js/src/chart.js`` by the package's build (see
docs/architecture.md, "The views' JavaScript"). Data goes as custom messages, not synced state: an update
carries only the samples that are new (``append``), and the page keeps its own bounded window, so a
10,000-point window at 30 updates a second costs the samples, not the window. A view rendered later
(a second output, a reloaded page) asks for the whole window (``ready``) and gets a ``reset``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

STATIC = Path(__file__).parent / "static"

Column = Sequence[float | None]
Marker = tuple[float, str]
Window = Callable[[], tuple[list[float], list[list[float | None]], list[Marker]]]


def _clean(value: float | None) -> float | None:
    """JSON has no NaN or infinity: those become gaps."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, 6)


def _columns(columns: Sequence[Column]) -> list[list[float | None]]:
    return [[_clean(v) for v in column] for column in columns]


class TimeChart(anywidget.AnyWidget):
    """x: seconds (a float per sample); one y column per name in ``series``."""

    _esm = STATIC / "chart.js"
    _css = STATIC / "chart.css"
    series = traitlets.List(traitlets.Unicode()).tag(sync=True)
    window = traitlets.Int(500).tag(sync=True)  # points the page keeps
    height = traitlets.Int(300).tag(sync=True)
    x_label = traitlets.Unicode("time (s)").tag(sync=True)
    y_label = traitlets.Unicode("").tag(sync=True)
    y_format = traitlets.Unicode("plain").tag(sync=True)  # "plain" numbers or "bytes" (B/KB)

    def __init__(self, whole_window: Window, **kwargs: Any) -> None:
        """``whole_window()`` gives (t, columns, markers) of what the chart shows now: sent to a view
        that asks for it (one rendered after the first, a reloaded page)."""
        super().__init__(**kwargs)
        self._whole_window = whole_window
        self.sent_bytes = 0  # payload bytes sent (for benchmarks)
        self.sent_messages = 0
        self.on_msg(self._on_page_message)

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "ready":
            self.reset(*self._whole_window())

    def _send_data(self, message: dict[str, Any]) -> None:
        self.sent_messages += 1
        self.sent_bytes += len(str(message))  # close to the JSON size; counted without encoding twice
        self.send(message)

    def reset(self, t: Sequence[float], columns: Sequence[Column], markers: Sequence[Marker] = ()) -> None:
        """Replace what every view of this chart shows."""
        self._send_data(
            {"kind": "reset", "t": [round(x, 6) for x in t], "columns": _columns(columns),
             "markers": [list(m) for m in markers]}
        )  # fmt: skip

    def append(self, t: Sequence[float], columns: Sequence[Column], markers: Sequence[Marker] = ()) -> None:
        """Add samples at the end (the page drops the oldest beyond ``window``)."""
        if not t and not markers:
            return
        self._send_data(
            {"kind": "append", "t": [round(x, 6) for x in t], "columns": _columns(columns),
             "markers": [list(m) for m in markers]}
        )  # fmt: skip
