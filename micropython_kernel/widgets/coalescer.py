"""The coalescer: one timer shared by every view, so a tight loop on the board cannot flood the page.

BoardState listeners only mark what changed; at most every ``interval`` seconds the coalescer asks each
view to redraw from the newest state (a view sends a comm message only when what it shows changed).
``flush()`` redraws at once: the kernel calls it when a cell ends so the final state is always shown.
Nothing is queued per change, so memory does not grow with the rate of changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Protocol

from ..board.state import BoardState

DEFAULT_INTERVAL = 1 / 30  # seconds: at most ~30 redraws a second
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
        self._views: list[View] = []
        self._changed: set[str] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._last_flush = 0.0
        self.flushes = 0  # how many redraws ran (for tests and benchmarks)
        self._stop_observing = state.observe(self._mark)

    def add(self, view: View) -> None:
        if view not in self._views:
            self._views.append(view)
            self._changed.add("all")
            self._schedule()

    def _mark(self, what: str) -> None:
        self._changed.add(what)
        if self._timer is None and self._views:
            self._schedule()

    def _schedule(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a change made outside the kernel's loop): the next flush shows it
            return
        delay = max(0.0, self._last_flush + self.interval - time.monotonic())
        self._timer = loop.call_later(delay, self.flush)

    def flush(self) -> None:
        """Redraw every view from the newest state now (if anything changed)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._changed:
            return
        changed, self._changed = self._changed, set()
        self._last_flush = time.monotonic()
        self.flushes += 1
        self._runner(lambda: self._redraw(changed))

    def _redraw(self, changed: set[str]) -> None:
        for view in self._views:
            try:
                view.refresh(changed)
            except Exception:  # one broken view must not stop the others, nor the kernel
                log.exception("a board view failed to redraw")

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._stop_observing()
