"""Byte channels: the wire under the raw REPL, read and written without blocking the event loop.

A channel keeps reading in the background into a buffer, so bytes a target sends between cells are
not lost, and a reader waits with ``await`` (the kernel stays responsive to interrupts and widgets).
"""

from __future__ import annotations

import asyncio
import os
from abc import ABC, abstractmethod

from .errors import BoardDisconnected


class ByteChannel(ABC):
    """A full-duplex byte stream to a MicroPython target.

    Subclasses append what arrives to ``_buffer``, set ``_closed_reason`` when the other end goes, and
    set the event of ``_ready_event`` on either; the protocol takes the bytes with ``read``.
    """

    def __init__(self, description: str = "board") -> None:
        self._buffer = bytearray()
        self._description = description
        self._closed_reason: str | None = None

    @abstractmethod
    def _ready_event(self) -> asyncio.Event:
        """Start watching the line if needed; return the event set when bytes or a hang-up arrive."""

    async def read(self, timeout: float | None) -> bytes:
        """Return the bytes available (waiting up to ``timeout`` s for some); b"" on timeout.

        Raises BoardDisconnected once the other end is gone and every byte it sent was read.
        """
        if not self._buffer and self._closed_reason is None:
            ready = self._ready_event()
            ready.clear()
            try:
                await asyncio.wait_for(ready.wait(), timeout)
            except asyncio.TimeoutError:
                return b""
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            return data
        raise BoardDisconnected(self._closed_reason or f"{self._description} is closed")

    @abstractmethod
    async def write(self, data: bytes) -> None:
        """Write all of ``data``; raises BoardDisconnected if the other end is gone."""

    @abstractmethod
    def close(self) -> None:
        """Release the channel; further reads and writes raise BoardDisconnected."""

    @property
    def closed_reason(self) -> str | None:
        """Why the other end is gone, once it is known to be gone (None while the line is up)."""
        return self._closed_reason

    def unread(self, data: bytes) -> None:
        """Put bytes back at the front of the buffer (the protocol read a little too far)."""
        self._buffer[:0] = data

    def pending(self) -> int:
        """How many received bytes wait to be read."""
        return len(self._buffer)

    def take_pending(self) -> bytes:
        """Everything received and not yet read, without waiting."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


class FdChannel(ByteChannel):
    """A channel over a file descriptor that the event loop can watch (a pty master, a tty).

    Reads are driven by ``loop.add_reader``: no thread, no blocking read.
    """

    def __init__(self, fd: int, description: str = "board") -> None:
        super().__init__(description)
        os.set_blocking(fd, False)
        self._fd: int | None = fd
        self._data_ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- reading -------------------------------------------------------------------------------
    def _ready_event(self) -> asyncio.Event:
        self._attach()
        assert self._data_ready is not None
        return self._data_ready

    def _attach(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is loop or self._fd is None:
            return
        if self._loop is not None:
            self._loop.remove_reader(self._fd)
        self._loop = loop
        self._data_ready = asyncio.Event()
        loop.add_reader(self._fd, self._on_readable)

    def _on_readable(self) -> None:
        assert self._fd is not None
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            return
        except OSError as err:  # EIO on a pty whose other side closed
            data = b""
            self._closed_reason = f"{self._description} closed the line ({err.strerror})"
        if data:
            self._buffer += data
        else:
            self._closed_reason = self._closed_reason or f"{self._description} closed the line"
            self._stop_watching()
        if self._data_ready is not None:
            self._data_ready.set()

    def _stop_watching(self) -> None:
        if self._loop is not None and self._fd is not None:
            self._loop.remove_reader(self._fd)
            self._loop = None

    # -- writing -------------------------------------------------------------------------------
    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._fd is None or self._closed_reason is not None:
                raise BoardDisconnected(self._closed_reason or f"{self._description} is closed")
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                await asyncio.sleep(0.001)  # the pty buffer is full: let the target drain it
                continue
            except OSError as err:
                self._closed_reason = f"{self._description} closed the line ({err.strerror})"
                raise BoardDisconnected(self._closed_reason) from err
            view = view[written:]

    def close(self) -> None:
        self._stop_watching()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            self._release(fd)
        self._closed_reason = self._closed_reason or f"{self._description} was closed"
        if self._data_ready is not None:
            self._data_ready.set()

    def _release(self, fd: int) -> None:
        """Give the descriptor back (a subclass whose fd belongs to another object closes that instead)."""
        try:
            os.close(fd)
        except OSError:
            pass
