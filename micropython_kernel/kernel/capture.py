"""Captured data: the numbers and lines a target printed, kept bounded, for analysis on the host.

Every cell's printed output (through its output pipeline, cell_output.py) feeds the session recording
(``DataRecorder.session``, the newest ``MAX_SAMPLES`` samples) and the ring of raw lines;
``DataRecorder.start(name)`` also records into a named capture until ``stop()``. Samples are stored
in columns of C doubles (``array('d')``), not as a dict per sample: 1,000,000 samples of 2 series
take ~26 MB instead of ~400 MB.
Nothing here imports Jupyter; pandas is imported only when a DataFrame is asked for.
"""

from __future__ import annotations

import csv
import math
import time
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas

MAX_SAMPLES = 1_000_000  # newest samples kept per recording (the session's and each named capture)
MAX_SERIES = 16  # series (columns) per recording; values of further series are counted, not kept
MAX_LINES = 100_000  # newest printed lines kept ...
MAX_LINE_CHARS = 10_000_000  # ... and at most this many characters in all (a line is at most 4,096)
# Seconds since the recording started, when a line reached the kernel: the DataFrame's index and the CSV's
# first column. Not "t": boards often print a "t:" series of their own.
TIME_COLUMN = "host_time"


class SampleColumns:
    """Numeric samples as columns (time + one per series) keeping the newest ``max_samples``.

    Old samples are dropped in batches of ``max_samples // 8`` so that appending stays O(1) amortised;
    reads return only the newest ``max_samples``.
    """

    def __init__(self, max_samples: int = MAX_SAMPLES, max_series: int = MAX_SERIES) -> None:
        self.max_samples = max_samples
        self.max_series = max_series
        self._slack = max(1, max_samples // 8)
        self.times = array("d")
        self.series: dict[str, array[float]] = {}
        self.total = 0  # samples ever appended
        self.ignored_values = 0  # values of series beyond max_series

    def __len__(self) -> int:
        return min(len(self.times), self.max_samples)

    @property
    def dropped(self) -> int:
        """Samples no longer kept because of the bound."""
        return self.total - len(self)

    def extend(self, t: float, rows: list[dict[str, float]]) -> None:
        """Add ``rows`` (one dict of series values per printed line) that arrived at time ``t``."""
        keys = self.series.keys()
        if rows and all(row.keys() == keys for row in rows):  # the usual case: the same series throughout
            self.total += len(rows)
            self.times.extend(repeat(t, len(rows)))
            for name, column in self.series.items():
                column.extend([row[name] for row in rows])
        else:
            for row in rows:
                self.append(t, row)
        self._bound()

    def append(self, t: float, values: dict[str, float]) -> None:
        self.total += 1
        self.times.append(t)
        if values.keys() == self.series.keys():
            for name, value in values.items():
                self.series[name].append(value)
        else:
            self._append_changed(values)
        self._bound()

    def _bound(self) -> None:
        if len(self.times) > self.max_samples + self._slack:
            self._drop_front(len(self.times) - self.max_samples)

    def _append_changed(self, values: dict[str, float]) -> None:
        count = len(self.times) - 1  # rows before this one
        for name, value in values.items():
            column = self.series.get(name)
            if column is None:
                if len(self.series) >= self.max_series:
                    self.ignored_values += 1
                    continue
                column = self.series[name] = array("d", [math.nan]) * count
            column.append(value)
        for column in self.series.values():  # series this line did not mention: a gap
            if len(column) == count:
                column.append(math.nan)

    def _drop_front(self, count: int) -> None:
        del self.times[:count]
        for column in self.series.values():
            del column[:count]

    def newest(self) -> tuple[array[float], dict[str, array[float]]]:
        """Copies of the kept time column and series columns (at most ``max_samples`` rows)."""
        start = max(0, len(self.times) - self.max_samples)
        return self.times[start:], {name: column[start:] for name, column in self.series.items()}


@dataclass
class Capture:
    """One recording: samples with times in seconds since ``origin`` (host monotonic clock)."""

    name: str
    origin: float
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    samples: SampleColumns = field(default_factory=SampleColumns)
    cells: int = 0  # MicroPython cells that fed it

    def add(self, now: float, rows: list[dict[str, float]]) -> None:
        """Samples (series -> value, one dict a line) that reached the host at ``now``."""
        self.samples.extend(now - self.origin, rows)

    def summary(self) -> str:
        samples = self.samples
        text = f"{self.name or 'session'}: {len(samples):,} samples"
        if samples.series:
            text += f" of {', '.join(samples.series)}"
        text += f" from {self.cells} cell{'s' if self.cells != 1 else ''}"
        if samples.dropped:
            text += f" ({samples.dropped:,} oldest dropped: the bound is {samples.max_samples:,})"
        if samples.ignored_values:
            text += (
                f" ({samples.ignored_values:,} values of series beyond the first "
                f"{samples.max_series} ignored)"
            )
        return text

    def to_dataframe(self) -> pandas.DataFrame:
        """A DataFrame indexed by ``host_time`` (seconds since the recording started), a column per series."""
        import numpy
        import pandas

        times, series = self.samples.newest()
        frame = pandas.DataFrame(
            {name: numpy.frombuffer(column, dtype=float) for name, column in series.items()},
            index=pandas.Index(numpy.frombuffer(times, dtype=float), name=TIME_COLUMN),
        )
        frame.attrs["capture"] = self.name or "session"
        frame.attrs["started"] = self.started.isoformat()
        return frame

    def write_csv(self, path: Path) -> int:
        """Write ``host_time,<series>...`` rows (empty where a series had no value); returns the row count."""
        times, series = self.samples.newest()
        columns = [times, *series.values()]
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow([TIME_COLUMN, *series])
            writer.writerows(
                ["" if math.isnan(value) else repr(value) for value in row]
                for row in zip(*columns, strict=True)
            )
        return len(times)


class LineRing:
    """The newest printed lines, bounded in count and in characters."""

    def __init__(self, max_lines: int = MAX_LINES, max_chars: int = MAX_LINE_CHARS) -> None:
        self.max_chars = max_chars
        self._lines: deque[str] = deque(maxlen=max_lines)
        self._chars = 0

    def extend(self, lines: list[str]) -> None:
        if len(self._lines) + len(lines) <= (self._lines.maxlen or 0):
            self._lines.extend(lines)
            self._chars += sum(map(len, lines))
        else:
            for line in lines:
                if len(self._lines) == self._lines.maxlen:
                    self._chars -= len(self._lines.popleft())
                self._lines.append(line)
                self._chars += len(line)
        while self._chars > self.max_chars:
            self._chars -= len(self._lines.popleft())

    def __len__(self) -> int:
        return len(self._lines)

    def to_list(self) -> list[str]:
        return list(self._lines)

    def clear(self) -> None:
        self._lines.clear()
        self._chars = 0


class CellRecording:
    """What one cell's output adds to the recordings: its lines, and the samples on them.

    The cell's output pipeline (cell_output.py) decodes, splits and parses once, and hands each batch
    of lines here with their parsed values, ahead of any view that hides data lines (``%plot
    --hide-data`` never hides them from the recording).
    """

    def __init__(self, recorder: DataRecorder) -> None:
        self._recorder = recorder
        self._keep_lines = recorder.session_on
        self._targets = [recorder.session] if recorder.session_on else []
        if recorder.active is not None:
            self._targets.append(recorder.active)
        for target in self._targets:
            target.cells += 1

    @property
    def active(self) -> bool:
        """False with the session recording off and no capture running: nothing to record."""
        return bool(self._targets)

    def add(self, lines: list[str], values: list[dict[str, float] | None]) -> None:
        """Whole printed ``lines`` and the data each holds (None for a text line), as they arrive."""
        if not lines or not self._targets:
            return
        now = self._recorder.clock()
        if self._keep_lines:
            self._recorder.lines.extend(lines)
        rows = [row for row in values if row is not None]
        if rows:
            for target in self._targets:
                target.add(now, rows)


class DataRecorder:
    """The session recording, the raw lines, and the named captures of one kernel."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.session = Capture("", clock())
        self.lines = LineRing()
        self.captures: dict[str, Capture] = {}
        self.active: Capture | None = None
        self.session_on = True  # False: cells feed only a running named capture (no data, no lines)

    def start(self, name: str, append: bool = False) -> Capture:
        """Record the following cells' numbers under ``name`` (a fresh capture unless ``append``)."""
        capture = self.captures.get(name) if append else None
        if capture is None:
            capture = self.captures[name] = Capture(name, self.clock())
        self.active = capture
        return capture

    def stop(self) -> Capture | None:
        capture, self.active = self.active, None
        return capture

    def cell_recording(self) -> CellRecording:
        """What one MicroPython cell's output adds (see CellRecording)."""
        return CellRecording(self)

    def clear(self) -> None:
        """Forget the session recording and the lines (named captures are kept)."""
        self.session = Capture("", self.clock())
        self.lines.clear()
