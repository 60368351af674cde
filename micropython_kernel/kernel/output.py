"""Stream a cell's text to the notebook: coalesced in time, bounded in size (the text comes decoded
from the cell's output pipeline, cell_output.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

FLUSH_INTERVAL = 0.05  # seconds: at most ~20 stream messages a second per cell
# Characters sent per cell. A browser tab slows down with megabytes of text; past the limit the output is
# counted, and its last TAIL_CHARS characters are shown at the end of the cell (the newest lines matter).
MAX_CELL_OUTPUT = 200_000
TAIL_CHARS = 2_000


class OutputStreamer:
    """Collects output bytes and sends them as text in batches (never one message per byte)."""

    def __init__(self, send: Callable[[str], None], limit: int = MAX_CELL_OUTPUT) -> None:
        self._send = send
        self._pending: list[str] = []
        self._timer: asyncio.TimerHandle | None = None
        self._limit = limit
        self.shown = 0
        self.dropped = 0
        self._tail = ""  # the newest dropped text, bounded by TAIL_CHARS

    def feed_text(self, text: str) -> None:
        room = self._limit - self.shown
        if len(text) > room:
            self._drop(text[max(room, 0) :])
            if room <= 0:
                return
            text = text[:room]
        self.shown += len(text)
        self._pending.append(text)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(FLUSH_INTERVAL, self.flush)

    def _drop(self, text: str) -> None:
        self.dropped += len(text)
        self._tail = (self._tail + text)[-TAIL_CHARS:]

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pending:
            text = "".join(self._pending)
            self._pending.clear()
            self._send(text)

    def close(self) -> None:
        """Send what is left, and say how much was cut."""
        if self.dropped:
            hidden = self.dropped - len(self._tail)
            self._pending.append(
                f"\n[... {hidden:,} characters of output not shown: a cell shows at most "
                f"{self._limit:,}; the last {len(self._tail):,} follow ...]\n{self._tail}"
            )
        self.flush()
