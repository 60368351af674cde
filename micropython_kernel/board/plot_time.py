"""The x of a printed data line: the board's own time where the line carries one, else when it came.

A board that prints its time (``ms:1500 temp:21.5``) has it drawn as the axis, in seconds, and not
as a line. Otherwise a line's time is when it arrived, smoothed: the lines of one read from the board
(a burst: a loop printing faster than the host reads) are spread evenly since the read before, at
most ``MAX_SPACING`` apart, instead of all at one instant (drawn, that was a zig-zag).
See docs/architecture.md, "The plot's time axis".
"""

from __future__ import annotations

import time

# Series names that are the board's clock, and their unit in seconds.
BOARD_TIME_KEYS = {
    "t": 1.0, "time": 1.0, "t_s": 1.0, "seconds": 1.0,
    "ms": 1e-3, "t_ms": 1e-3, "time_ms": 1e-3, "millis": 1e-3, "ticks_ms": 1e-3,
    "us": 1e-6, "t_us": 1e-6, "time_us": 1e-6, "micros": 1e-6, "ticks_us": 1e-6,
}  # fmt: skip
MAX_SPACING = 0.01  # s: lines of a burst are assumed at most this far apart (100 lines a second)


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
        self._last = time.monotonic() if start is None else start  # the previous read (or the start)

    def times(self, count: int, now: float | None = None) -> list[float]:
        """Times for ``count`` lines that arrived together at ``now``: the last one at ``now``."""
        now = time.monotonic() if now is None else now
        span = min(max(0.0, now - self._last), count * MAX_SPACING)
        self._last = now
        return [now - span + span * (i + 1) / count for i in range(count)]
