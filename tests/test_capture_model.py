"""The capture data model (kernel/capture.py) on its own: bounds, gaps, CSV, DataFrame; fed as the
kernel feeds it, through a cell's output pipeline (kernel/cell_output.py)."""

from __future__ import annotations

import asyncio
import csv
import math
from pathlib import Path

from micropython_kernel.kernel.capture import Capture, DataRecorder, LineRing, SampleColumns
from micropython_kernel.kernel.cell_output import CellOutput
from micropython_kernel.kernel.output import OutputStreamer


def run_cell(recorder: DataRecorder, *chunks: bytes, between=lambda index: None) -> str:
    """Feed ``chunks`` as one cell's stdout through the kernel's pipeline; returns the text shown."""
    shown: list[str] = []

    async def cell() -> None:
        output = CellOutput(OutputStreamer(shown.append), recorder.cell_recording())
        for index, chunk in enumerate(chunks):
            between(index)
            output.feed(chunk)
        output.close()

    asyncio.run(cell())
    return "".join(shown)


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_cell_feeds_lines_and_samples_split_across_chunks() -> None:
    clock = ManualClock()
    recorder = DataRecorder(clock)

    def tick(index: int) -> None:
        if index == 1:
            clock.now = 101.5

    # A chunk can end inside a UTF-8 character; the last line had no newline: it still counts.
    shown = run_cell(recorder, b"temp:21.5 hu", b"m:40\nh\xc3", b"\xa9llo\n(1, 2)", between=tick)
    assert shown == "temp:21.5 hum:40\nh\u00e9llo\n(1, 2)"
    assert recorder.lines.to_list() == ["temp:21.5 hum:40", "h\u00e9llo", "(1, 2)"]
    times, series = recorder.session.samples.newest()
    assert list(times) == [1.5, 1.5]
    assert list(series["temp"])[0] == 21.5
    assert math.isnan(series["temp"][1]) and series["0"][1] == 1.0  # a gap where a series is missing
    assert math.isnan(series["0"][0])


def test_named_capture_records_only_while_started() -> None:
    recorder = DataRecorder(ManualClock())
    run_cell(recorder, b"1\n")
    recorder.start("run")
    run_cell(recorder, b"2\n3\n")
    recorder.stop()
    run_cell(recorder, b"4\n")
    assert list(recorder.captures["run"].samples.newest()[1]["0"]) == [2.0, 3.0]
    assert len(recorder.session.samples) == 4
    assert recorder.captures["run"].cells == 1


def test_samples_are_bounded_and_the_newest_kept() -> None:
    columns = SampleColumns(max_samples=1000)
    for index in range(5000):
        columns.append(float(index), {"x": float(index)})
        assert len(columns.times) <= 1000 + 1000 // 8
    times, series = columns.newest()
    assert len(columns) == 1000 and columns.dropped == 4000
    assert times[0] == 4000.0 and series["x"][-1] == 4999.0


def test_series_beyond_the_bound_are_counted_not_kept() -> None:
    columns = SampleColumns(max_samples=10, max_series=2)
    columns.append(0.0, {"a": 1.0, "b": 2.0, "c": 3.0})
    assert list(columns.series) == ["a", "b"] and columns.ignored_values == 1


def test_lines_are_bounded_in_count_and_characters() -> None:
    ring = LineRing(max_lines=3, max_chars=10)
    ring.extend(["aaaa", "bbbb"])
    ring.extend(["cccc", "dd"])
    assert ring.to_list() == ["bbbb", "cccc", "dd"]
    ring.extend(["e" * 9])
    assert ring.to_list() == ["e" * 9]


def test_csv_has_time_then_series_and_empty_gaps(tmp_path: Path) -> None:
    capture = Capture("c", origin=10.0)
    capture.add(10.5, [{"a": 1.0}])
    capture.add(11.0, [{"a": 2.0, "b": -3.5e-3}])
    assert capture.write_csv(tmp_path / "c.csv") == 2
    with open(tmp_path / "c.csv", newline="") as file:
        assert list(csv.reader(file)) == [
            ["host_time", "a", "b"],
            ["0.5", "1.0", ""],
            ["1.0", "2.0", "-0.0035"],
        ]


def test_dataframe_is_indexed_by_time_with_a_column_per_series() -> None:
    capture = Capture("c", origin=0.0)
    for index in range(3):
        capture.add(index * 0.5, [{"temp": 20.0 + index, "hum": 40.0}])
    frame = capture.to_dataframe()
    assert frame.index.name == "host_time" and list(frame.index) == [0.0, 0.5, 1.0]
    assert list(frame.columns) == ["temp", "hum"]
    assert frame["temp"].mean() == 21.0
    frame.loc[0.0, "temp"] = 99.0  # the frame is the user's to change
    assert capture.to_dataframe()["temp"].iloc[0] == 20.0


def test_with_the_session_off_only_a_running_capture_records() -> None:
    recorder = DataRecorder(ManualClock())
    recorder.session_on = False
    run_cell(recorder, b"1\n")
    recorder.start("named")
    run_cell(recorder, b"2\n")
    assert len(recorder.session.samples) == 0 and len(recorder.lines) == 0
    assert len(recorder.captures["named"].samples) == 1


def test_a_batch_with_a_new_series_keeps_columns_aligned() -> None:
    columns = SampleColumns(max_samples=100)
    columns.extend(1.0, [{"a": 1.0}, {"a": 2.0}])
    columns.extend(2.0, [{"a": 3.0}, {"a": 4.0, "b": 5.0}, {"b": 6.0}])
    times, series = columns.newest()
    assert list(times) == [1.0, 1.0, 2.0, 2.0, 2.0]
    assert list(series["a"])[:4] == [1.0, 2.0, 3.0, 4.0] and math.isnan(series["a"][4])
    assert all(math.isnan(v) for v in series["b"][:3]) and list(series["b"])[3:] == [5.0, 6.0]
    columns.extend(3.0, [{"a": 7.0, "b": 8.0}] * 200)  # a batch past the bound
    assert len(columns) == 100 and columns.dropped == 105 and len(columns.series["b"]) == len(columns.times)
