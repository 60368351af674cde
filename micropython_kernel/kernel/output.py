"""Stream a target's stdout to the notebook: decoded safely, coalesced in time, bounded in size."""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import Callable

FLUSH_INTERVAL = 0.05  # seconds: at most ~20 stream messages a second per cell
MAX_CELL_OUTPUT = 1_000_000  # characters shown per cell; the rest is counted, not sent


class OutputStreamer:
    """Collects output bytes and sends them as text in batches (never one message per byte)."""

    def __init__(self, send: Callable[[str], None], limit: int = MAX_CELL_OUTPUT) -> None:
        self._send = send
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending: list[str] = []
        self._timer: asyncio.TimerHandle | None = None
        self._limit = limit
        self.shown = 0
        self.dropped = 0
        self.listeners: list[Callable[[str], None]] = []  # e.g. the live plot parses printed lines

    def feed(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        if not text:
            return
        for listener in self.listeners:
            listener(text)
        room = self._limit - self.shown
        if room <= 0:
            self.dropped += len(text)
            return
        if len(text) > room:
            self.dropped += len(text) - room
            text = text[:room]
        self.shown += len(text)
        self._pending.append(text)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(FLUSH_INTERVAL, self.flush)

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
        tail = self._decoder.decode(b"", final=True)
        if tail:
            self._pending.append(tail)
        if self.dropped:
            self._pending.append(
                f"\n[output truncated: {self.dropped:,} more characters not shown "
                f"(the limit is {self._limit:,} per cell)]\n"
            )
        self.flush()
