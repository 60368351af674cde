"""LivePlot: the ``%plot`` view of numeric lines the target prints (samples in ``BoardState.data``).

The ring buffer is the BoardState's bounded ``data`` deque; the chart (``chart.TimeChart``, uPlot in the
page) gets only the samples that are new at each coalesced redraw and keeps the last ``window`` of them.
Pause, zoom, pan, the cursor readout and legend toggles live in the page; clear hides what came before;
export writes CSV or PNG (matplotlib, imported only then); ``snapshot()`` is a static SVG for saved
notebooks.
"""

from __future__ import annotations

import csv
import itertools
import time
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..board.state import BOARD, SERIES, BoardState, DataSample
from .chart import TimeChart
from .svgchart import line_chart, plain_number

DEFAULT_WINDOW = 500  # samples drawn
TEXT = 'style="font-size:14px"'  # legible on a projector
# Samples sent per redraw, whatever the window: a flood is thinned to about a chart's width in points
# (the newest kept), so it costs about what the SVG chart did (benchmarks/chart_rate.py).
MAX_DRAWN = 1000


def _thinned(samples: list[DataSample]) -> list[DataSample]:
    """Every stride-th sample (the newest always among them) when there are more than MAX_DRAWN."""
    stride = max(1, -(-len(samples) // MAX_DRAWN))
    return samples[::-1][::stride][::-1] if stride > 1 else samples


def _x(sample: DataSample) -> float:
    """Where a sample is drawn: the board's time, or its smoothed arrival (board/plot_time.py)."""
    return sample.t if sample.x is None else sample.x


class LivePlot:
    def __init__(
        self,
        state: BoardState,
        window: int = DEFAULT_WINDOW,
        export_dir: Callable[[], Path] = Path.cwd,
    ) -> None:
        self.state = state
        self._export_dir = export_dir
        self._since = float("-inf")  # samples at or before this time were cleared
        self._t0: float | None = None  # x = 0 on the chart: the first sample since the clear
        self._sent_t = float("-inf")  # the newest sample the chart has
        self._names: list[str] = []  # the chart's series, in the order they first appeared
        self.chart = TimeChart(self._whole_window, window=window, y_label="value")
        self.status = w.HTML()
        self.window = w.BoundedIntText(
            value=window,
            min=2,
            max=state.max_data_samples,
            description="window",
            layout=w.Layout(width="170px"),
        )
        self.clear_button = w.Button(description="Clear", icon="eraser")
        self.csv_button = w.Button(description="CSV", icon="download", tooltip="export the samples as CSV")
        self.png_button = w.Button(description="PNG", icon="image", tooltip="export the plot as PNG")
        self.clear_button.on_click(lambda _: self.clear())
        self.csv_button.on_click(lambda _: self._export("csv"))
        self.png_button.on_click(lambda _: self._export("png"))
        self.window.observe(self._window_changed, "value")
        tools = w.HBox([self.window, self.clear_button, self.csv_button, self.png_button])
        self.widget = w.VBox([self.chart, tools, self.status])
        self.refresh({"all"})

    # -- the samples ---------------------------------------------------------------------------
    def samples(self, limit: int | None = None, after: float | None = None) -> list[DataSample]:
        """The samples since the last clear (and after ``after``), oldest first; the last ``limit``."""
        since = self._since if after is None else max(self._since, after)
        newest_first = itertools.takewhile(lambda s: s.t > since, reversed(self.state.data))
        picked = list(itertools.islice(newest_first, limit))
        picked.reverse()
        return picked

    def series_names(self, samples: list[DataSample]) -> list[str]:
        """The lines drawn (a board's time column is the axis, not a line)."""
        return list(dict.fromkeys(name for s in samples for name in s.values if name != s.time_key))

    def clear(self) -> None:
        self._since = self.state.data[-1].t if self.state.data else time.monotonic()
        self._t0, self._sent_t, self._names = None, self._since, []
        self.chart.series = []
        self.refresh({"all"})

    def start_after(self, other: LivePlot) -> None:
        """Show what ``other`` shows (the samples since its last clear): a new %plot that goes on."""
        self._since, self._t0, self._sent_t, self._names = other._since, other._t0, float("-inf"), []
        self.refresh({"all"})

    def _window_changed(self, change: dict) -> None:
        self.chart.window = change["new"]  # a smaller window: the page drops the oldest itself
        if change["new"] > change["old"]:
            self.refresh({"all"})  # a larger one: the page needs the older samples too
        else:
            self._show_status()

    # -- drawing (called by the coalescer) -----------------------------------------------------
    def redraw(self) -> None:
        self.refresh({"all"})

    def refresh(self, changed: set[str]) -> None:
        if not ({"all", SERIES, BOARD} & changed):
            return
        everything = "all" in changed
        new = self.samples(self.window.value, after=None if everything else self._sent_t)
        if not new and not everything:
            return
        if new and self._t0 is None:
            self._t0 = _x(new[0])
        names = [n for n in self.series_names(new) if n not in self._names]
        if names:
            self._names += names
            self.chart.series = list(self._names)
        if everything or names or len(new) >= self.window.value:
            self.chart.reset(*self._whole_window())
        else:
            self.chart.append(*self._columns(_thinned(new)))
        if new:
            self._sent_t = new[-1].t
        self._show_status()

    def _columns(self, samples: list[DataSample]) -> tuple[list[float], list[list[float | None]], list]:
        t0 = self._t0 or 0.0
        return (
            [_x(s) - t0 for s in samples],
            [[s.values.get(name) for s in samples] for name in self._names],
            [],
        )

    def _whole_window(self) -> tuple[list[float], list[list[float | None]], list]:
        return self._columns(_thinned(self.samples(self.window.value)))

    def _show_status(self) -> None:
        shown = min(self.window.value, sum(1 for _ in self._since_clear()))
        last = self.state.data[-1] if self.state.data and self.state.data[-1].t > self._since else None
        latest = "  ".join(f"{k}={v:.6g}" for k, v in last.values.items()) if last else ""
        self.status.value = f'<span {TEXT} class="mpk-plot-status">{shown} samples shown. {latest}</span>'

    def _since_clear(self):
        return itertools.islice(
            itertools.takewhile(lambda s: s.t > self._since, reversed(self.state.data)), self.window.value
        )

    # -- the static picture --------------------------------------------------------------------
    def snapshot(self) -> dict[str, str]:
        """What a saved notebook keeps: the window as SVG, and one line of text."""
        samples = self.samples(self.window.value)
        t0 = self._t0 if self._t0 is not None else (_x(samples[0]) if samples else 0.0)
        series: dict[str, list[tuple[float, float]]] = {}
        for sample in _thinned(samples):
            for name, value in sample.values.items():
                if name != sample.time_key:
                    series.setdefault(name, []).append((_x(sample) - t0, value))
        text = f"plot: {len(samples)} samples"
        if samples:
            text += (
                " of "
                + ", ".join(series)
                + "; last "
                + "  ".join(f"{k}={plain_number(v)}" for k, v in samples[-1].values.items())
            )
        return {
            "image/svg+xml": line_chart(series, css_class="mpk-plot", y_label="value"),
            "text/plain": text,
        }

    # -- export --------------------------------------------------------------------------------
    def to_csv(self, path: Path) -> int:
        """Write the samples since the last clear; returns how many rows."""
        samples = self.samples()
        names = self.series_names(samples)
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["t", *names])
            start = samples[0].t if samples else 0.0
            for s in samples:
                writer.writerow([f"{s.t - start:.6f}", *(s.values.get(n, "") for n in names)])
        return len(samples)

    def to_png(self, path: Path) -> int:
        """A matplotlib figure of the samples in the window; returns how many samples it shows."""
        # A bare Figure (no pyplot): no backend is chosen, so %%host's matplotlib setup is untouched.
        from matplotlib.figure import Figure

        samples = self.samples(self.window.value)
        start = _x(samples[0]) if samples else 0.0
        figure = Figure(figsize=(8, 3.5), dpi=100)
        axes = figure.subplots()
        for name in self.series_names(samples):
            points = [(_x(s) - start, s.values[name]) for s in samples if name in s.values]
            axes.plot([p[0] for p in points], [p[1] for p in points], label=name)
        axes.set_xlabel("time (s)")
        axes.grid(True, color="#e6e6e6")
        if samples:
            axes.legend(loc="upper left")
        figure.tight_layout()
        figure.savefig(path)
        return len(samples)

    def _export(self, kind: str) -> None:
        path = self._export_dir() / f"plot-{time.strftime('%Y%m%d-%H%M%S')}.{kind}"
        count = self.to_csv(path) if kind == "csv" else self.to_png(path)
        self.status.value = f"<span {TEXT}>wrote {count} samples to {path}</span>"
