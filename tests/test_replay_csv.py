"""A CSV written by %export (one column per series, empty cells where a series had no value) replays."""

from __future__ import annotations

from micropython_kernel.board.signals import Replay


def test_empty_cells_are_skipped_not_errors(tmp_path) -> None:
    path = tmp_path / "two-series.csv"
    path.write_text("host_time,temp,hum\n0.0,20.5,\n0.5,,40\n1.0,21.0,41\n")
    assert [value for _, value in Replay.from_csv(path, column="temp").steps] == [20.5, 21.0]
    assert [value for _, value in Replay.from_csv(path, column="hum").steps] == [40.0, 41.0]
