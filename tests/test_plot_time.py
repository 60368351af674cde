"""The plot's x axis (the data side): the board's own time column where it prints one, else arrival
times smoothed so a burst of lines (one read from the board) does not stack up at one x."""

from __future__ import annotations

import pytest

from micropython_kernel.board.plot_time import MAX_AHEAD, ArrivalClock
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


def _steps(xs: list[float]) -> list[float]:
    return [b - a for a, b in zip(xs, xs[1:], strict=False)]


def test_a_burst_split_over_two_reads_is_one_straight_line():
    # 20 lines of a loop with no sleep: 11 read 5 ms after the cell began, the 9 others 0.1 ms later.
    clock = ArrivalClock(start=100.0)
    xs = clock.times(11, now=100.005) + clock.times(9, now=100.0051)
    steps = _steps(xs)
    assert max(steps) <= 1.01 * min(steps)  # (before: 0.45 ms steps, then 0.01 ms ones: a bend)


def test_lines_slower_than_the_reads_keep_their_arrival_times():
    clock = ArrivalClock(start=0.0)
    slow = [clock.times(1, now=0.1 * i)[0] for i in range(1, 11)]  # a line every 100 ms
    assert slow == pytest.approx([0.1 * i for i in range(1, 11)])
    clock = ArrivalClock(start=0.0)
    steady = [clock.times(1, now=0.01 * i)[0] for i in range(1, 51)]  # every 10 ms
    assert steady == pytest.approx([0.01 * i for i in range(1, 51)])


def test_a_long_burst_stays_near_its_arrival_times_and_never_goes_back():
    clock = ArrivalClock(start=0.0)
    xs: list[float] = []
    for read in range(1, 201):  # 200 reads of 15 lines, 1 ms apart: 15,000 lines a second
        now = read * 0.001
        xs += clock.times(15, now=now)
        assert xs[-1] <= now + MAX_AHEAD
    assert all(step > 0 for step in _steps(xs))
    assert xs[-1] >= 0.2  # it followed the arrivals
    clock.times(1, now=1.0)  # after a pause: at its arrival
    assert clock.times(1, now=2.0) == pytest.approx([2.0])
