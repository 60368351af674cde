"""The x of a printed data line: the board's own time where the line carries one, else when it came.

A board that prints its time (``ms:1500 temp:21.5``) has it drawn as the axis, in seconds, and not
as a line. Otherwise a line's time is when it arrived, smoothed: several lines come in one read when the
board prints faster than the host reads, and drawn at one instant they were a zig-zag. So the lines are
a stream: a read soon after the one before goes on from the last line at the stream's pace (a burst that
is split over two reads stays one straight line; it may run ``MAX_AHEAD`` ahead of the arrivals), or
spread up to now when the arrivals are slower; after a pause the lines end at their arrival, at the
stream's pace. See docs/architecture.md, "The plot's time axis".
"""

from __future__ import annotations

import time

# Series names that are the board's clock, and their unit in seconds.
BOARD_TIME_KEYS = {
    "t": 1.0, "time": 1.0, "t_s": 1.0, "seconds": 1.0,
    "ms": 1e-3, "t_ms": 1e-3, "time_ms": 1e-3, "millis": 1e-3, "ticks_ms": 1e-3,
    "us": 1e-6, "t_us": 1e-6, "time_us": 1e-6, "micros": 1e-6, "ticks_us": 1e-6,
}  # fmt: skip
FIRST_SPACING = 0.0005  # s: the pace of a stream that just began (lines read together came close)
STREAM_GAP = 0.02  # s: a read this soon after the one before goes on with the same stream
MAX_AHEAD = 0.05  # s: how far a fast burst's times may run ahead of the arrivals
MIN_STEP = 1e-6  # s: lines are never drawn at one x


def board_time(values: dict[str, float]) -> tuple[str, float] | None:
    """(the series that is the board's clock, its value in seconds), or None."""
    for name, value in values.items():
        scale = BOARD_TIME_KEYS.get(name.lower())
        if scale is not None:
            return name, value * scale
    return None


class ArrivalClock:
    """Times for the data lines of each read, smoothed (see the module's docstring)."""

    def __init__(self, start: float | None = None) -> None:
        self._last_read = time.monotonic() if start is None else start  # the previous read (or the start)
        self._last_x = self._last_read  # the time given to the last line
        self._spacing = FIRST_SPACING  # between lines, in the stream going on

    def times(self, count: int, now: float | None = None) -> list[float]:
        """Times for ``count`` lines that arrived together at ``now``."""
        if count <= 0:
            return []
        now = time.monotonic() if now is None else now
        gap = max(0.0, now - self._last_read)
        self._last_read = now
        start = self._last_x
        if gap <= STREAM_GAP:  # the stream goes on: at its pace, or up to now if the arrivals are slower
            end = min(max(now, start + count * self._spacing), now + MAX_AHEAD)
        else:  # after a pause: ending now, at the stream's pace
            start = max(start, now - count * self._spacing)
            end = now
        end = max(end, start + count * MIN_STEP)
        step = (end - start) / count
        self._spacing = max(step, MIN_STEP)
        times = [start + step * (i + 1) for i in range(count)]
        self._last_x = times[-1]
        return times
