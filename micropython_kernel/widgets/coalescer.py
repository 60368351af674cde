"""The coalescer: one timer shared by every view, so a tight loop on the board cannot flood the page.

BoardState listeners only mark what changed; at most every ``interval`` seconds the coalescer asks each
view to redraw from the newest state (a view sends a comm message only when what it shows changed).
``flush()`` redraws at once: the kernel calls it when a cell ends so the final state is always shown.
A view whose redraw is slow (a plot with a window of 100,000 samples) is redrawn less often, so that
drawing never takes more than ~1/CPU_SHARE of the kernel's time. Nothing is queued per change, so
memory does not grow with the rate of changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Protocol

from ..board.state import BoardState

DEFAULT_INTERVAL = 1 / 30  # seconds: at most ~30 redraws a second
CPU_SHARE = 10  # a view that took d seconds to draw waits CPU_SHARE * d before its next redraw
MAX_PAUSE = 1.0  # ... but never longer than this (its cost is measured again at each redraw)
log = logging.getLogger(__name__)


class View(Protocol):
    def refresh(self, changed: set[str]) -> None:
        """Redraw from the BoardState; ``changed`` names what changed since the last redraw."""


Runner = Callable[[Callable[[], None]], None]


def _run_directly(redraw: Callable[[], None]) -> None:
    redraw()


class Coalescer:
    """Marks changes of ``state`` and redraws the registered views at most every ``interval`` seconds.

    ``runner`` wraps each redraw (the kernel uses it to parent the comm messages to the running cell).
    """

    def __init__(
        self, state: BoardState, interval: float = DEFAULT_INTERVAL, runner: Runner = _run_directly
    ) -> None:
        self.state = state
        self.interval = interval
        self._runner = runner
        self._pending: dict[View, set[str]] = {}  # view -> what changed since it last drew
        self._not_before: dict[View, float] = {}  # view -> when it may draw again (a slow view)
        self._timer: asyncio.TimerHandle | None = None
        self._timer_when = 0.0
        self._last_flush = 0.0
        self.flushes = 0  # how many redraws ran (for tests and benchmarks)
        self._stop_observing = state.observe(self._mark)

    def add(self, view: View) -> None:
        if view not in self._pending:
            self._pending[view] = {"all"}
            self._not_before[view] = 0.0
            self._schedule(0.0)

    def remove(self, view: View) -> None:
        """Stop redrawing ``view`` (a view that became a picture)."""
        self._pending.pop(view, None)
        self._not_before.pop(view, None)

    def _mark(self, what: str) -> None:
        for changed in self._pending.values():
            changed.add(what)
        soonest = self._last_flush + self.interval
        if self._pending and (self._timer is None or self._timer_when > soonest):
            self._schedule(soonest)  # (a timer set late for a slow view is brought forward)

    def _schedule(self, when: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a change made outside the kernel's loop): the next flush shows it
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_when = when
        self._timer = loop.call_later(max(0.0, when - time.monotonic()), self._timed_flush)

    def _timed_flush(self) -> None:
        self._timer = None
        self.flush(final=False)

    def flush(self, final: bool = True) -> None:
        """Redraw every view with changes from the newest state now; ``final`` ignores slow views' pauses
        (the end of a cell: its last state is always drawn)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        now = time.monotonic()
        due = [
            view
            for view, changed in self._pending.items()
            if changed and (final or self._not_before[view] <= now)
        ]
        if due:
            self._last_flush = now
            self.flushes += 1
            self._runner(lambda: self._redraw(due))
        waiting = [self._not_before[v] for v, changed in self._pending.items() if changed]
        if waiting:  # a slow view still has changes to show
            self._schedule(max(min(waiting), self._last_flush + self.interval))

    def _redraw(self, views: list[View]) -> None:
        for view in views:
            changed, self._pending[view] = self._pending[view], set()
            started = time.monotonic()
            try:
                view.refresh(changed)
            except Exception:  # one broken view must not stop the others, nor the kernel
                log.exception("a board view failed to redraw")
            took = time.monotonic() - started
            self._not_before[view] = started + min(CPU_SHARE * took, MAX_PAUSE)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._stop_observing()
