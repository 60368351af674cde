"""LivePlot: the ``%plot`` view of numeric lines the target prints (samples in ``BoardState.data``).

The ring buffer is the BoardState's bounded ``data`` deque; the plot draws its last ``window`` samples
as SVG polylines at the coalesced rate. Pause freezes the drawing (samples still arrive), clear hides
what came before, export writes CSV or PNG (matplotlib, imported only then).
"""

from __future__ import annotations

import csv
import itertools
import time
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..board.state import BOARD, SERIES, BoardState, DataSample
from .svgchart import line_chart

DEFAULT_WINDOW = 500  # samples drawn
MAX_DRAWN = 4000  # samples looked at per frame, whatever the window: a frame stays a few ms


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
        self.chart = w.HTML()
        self.status = w.HTML()
        self.window = w.BoundedIntText(
            value=window,
            min=2,
            max=state.max_data_samples,
            description="window",
            layout=w.Layout(width="170px"),
        )
        self.pause = w.ToggleButton(description="Pause", icon="pause", tooltip="freeze the drawing")
        self.clear_button = w.Button(description="Clear", icon="eraser")
        self.csv_button = w.Button(description="CSV", icon="download", tooltip="export the samples as CSV")
        self.png_button = w.Button(description="PNG", icon="image", tooltip="export the plot as PNG")
        self.clear_button.on_click(lambda _: self.clear())
        self.csv_button.on_click(lambda _: self._export("csv"))
        self.png_button.on_click(lambda _: self._export("png"))
        self.window.observe(lambda _: self.refresh({"all"}), "value")
        self.pause.observe(lambda _: self.refresh({"all"}), "value")
        tools = w.HBox([self.window, self.pause, self.clear_button, self.csv_button, self.png_button])
        self.widget = w.VBox([self.chart, tools, self.status])
        self.refresh({"all"})

    # -- the samples ---------------------------------------------------------------------------
    def samples(self, limit: int | None = None) -> list[DataSample]:
        """The samples since the last clear, oldest first (the last ``limit`` of them)."""
        newest_first = itertools.takewhile(lambda s: s.t > self._since, reversed(self.state.data))
        picked = list(itertools.islice(newest_first, limit))
        picked.reverse()
        return picked

    def series_names(self, samples: list[DataSample]) -> list[str]:
        return list(dict.fromkeys(name for s in samples for name in s.values))

    def clear(self) -> None:
        self._since = self.state.data[-1].t if self.state.data else time.monotonic()
        self.refresh({"all"})

    # -- drawing (called by the coalescer) -----------------------------------------------------
    def refresh(self, changed: set[str]) -> None:
        if self.pause.value or not ({"all", SERIES, BOARD} & changed):
            return
        samples = self.samples(self.window.value)
        start = samples[0].t if samples else 0.0
        series: dict[str, list[tuple[float, float]]] = {}
        stride = max(1, -(-len(samples) // MAX_DRAWN))  # a huge window: every stride-th sample
        for sample in samples[::-1][::stride][::-1]:  # (the newest is always among them)
            for name, value in sample.values.items():
                series.setdefault(name, []).append((sample.t - start, value))
        self.chart.value = line_chart(series, css_class="mpk-plot")
        latest = "  ".join(f"{k}={v:.6g}" for k, v in samples[-1].values.items()) if samples else ""
        self.status.value = f'<small class="mpk-plot-status">{len(samples)} samples shown. {latest}</small>'

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
        start = samples[0].t if samples else 0.0
        figure = Figure(figsize=(8, 3.5), dpi=100)
        axes = figure.subplots()
        for name in self.series_names(samples):
            points = [(s.t - start, s.values[name]) for s in samples if name in s.values]
            axes.plot([p[0] for p in points], [p[1] for p in points], label=name)
        axes.set_xlabel("seconds")
        if samples:
            axes.legend(loc="upper left")
        figure.tight_layout()
        figure.savefig(path)
        return len(samples)

    def _export(self, kind: str) -> None:
        path = self._export_dir() / f"plot-{time.strftime('%Y%m%d-%H%M%S')}.{kind}"
        count = self.to_csv(path) if kind == "csv" else self.to_png(path)
        self.status.value = f"<small>wrote {count} samples to {path}</small>"
