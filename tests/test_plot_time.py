"""The plot's x axis (the data side): the board's own time column where it prints one, else arrival
times smoothed so a burst of lines (one read from the board) does not stack up at one x."""

from __future__ import annotations

import pytest

from tests.kernel_driver import KernelSession
from tests.widget_messages import chart_messages, chart_series


@pytest.fixture()
def fresh_kernel():
    session = KernelSession()
    yield session
    session.close()


def _drawn_x(run) -> list[float]:
    """The x of every sample the chart holds at the end (replaying its reset/append messages)."""
    xs: list[float] = []
    for message in chart_messages(run):
        if message["kind"] == "reset":
            xs = list(message["t"])
        else:
            xs += message["t"]
    return xs


def test_the_boards_own_time_column_is_the_x_axis(fresh_kernel):
    fresh_kernel.execute("%plot --hide-data")
    run = fresh_kernel.execute("for i in range(30):\n    print('ms:%d level:%d' % (1000 + i * 100, i % 3))")
    assert run.status == "ok", run.error
    assert _drawn_x(run) == pytest.approx([i * 0.1 for i in range(30)])  # seconds from the first
    assert chart_series(run)[-1] == ["level"]  # the time column is the axis, not a line


def test_a_burst_of_lines_does_not_stack_up(fresh_kernel):
    fresh_kernel.execute("%plot --hide-data")
    run = fresh_kernel.execute("for i in range(3000):\n    print('v:%d' % (i % 7))")
    assert run.status == "ok", run.error
    xs = _drawn_x(run)
    assert len(xs) >= 500
    steps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert all(step > 0 for step in steps), "samples drawn at the same x, or going back"
