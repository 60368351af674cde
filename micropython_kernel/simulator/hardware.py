"""HardwareModel: the host side of the simulated board's hardware channel: its pipes, and what goes through
them.

The VM writes hardware events to one pipe (the format: wire.py); this model reads it with
``loop.add_reader`` (never blocking the kernel), decodes the frames (``EventReader``), feeds the timeline
every event, and puts the rest, coalesced in floods (coalesce.py), on the ``BoardState``. It writes
host-driven inputs (pin levels, ADC values, sensor quantities, signal generators; which signal drives what
is SimulatedInputs' business, inputs.py) to a second pipe that the VM polls. The model outlives the VM:
inputs set before a reset are sent again to the fresh VM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..board.state import TIMELINE, BoardState, HardwareEvent
from .coalesce import coalesce
from .wire import (
    EVENTS_FD_ENV,
    INPUTS_FD_ENV,
    PIPE_BYTES,
    REDECLARE,
    WAKE,
    Decoded,
    EventReader,
    host_seconds,
    input_line,
)

if TYPE_CHECKING:
    from .timeline_feed import TimelineFeed

log = logging.getLogger(__name__)
_BATCH_EVERY = 0.02  # seconds between processing what arrived: ~50 state updates a second at most


class HardwareModel:
    """Pipes to one VM at a time, and the inputs the host drives (kept across VMs)."""

    def __init__(self, state: BoardState, max_events_per_batch: int = 500) -> None:
        self.state = state
        self.max_events_per_batch = max_events_per_batch
        self.inputs: dict[str, str] = {}  # name -> its wire form ("1.0", "~sine 1 ..."): resent on restart
        #: "reset"/"soft_reset"/"deepsleep" when code rebooted the board
        self.reset_request: str | None = None
        self.background = False  # the VM has irq handlers or timers to run between cells
        #: called when a KeyboardInterrupt ended a handler that had preempted running code
        self.on_handler_interrupted: Callable[[], None] | None = None
        self.coalesced = 0  # events that only updated the final state (counted for the curious)
        self.received = 0
        self.timeline: TimelineFeed | None = None  # every event, before floods are coalesced
        self._reader = EventReader()
        self._events_fd: int | None = None
        self._inputs_fd: int | None = None
        self._child_fds: tuple[int, int] | None = None
        self._unsent: dict[str, str] = {}  # inputs waiting for room in the pipe (newest value wins)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flush_handle: asyncio.TimerHandle | None = None

    # -- life cycle: one pair of pipes per VM -------------------------------------------------
    def open(self) -> tuple[tuple[int, ...], dict[str, str]]:
        """New pipes for a VM about to start: returns (pass_fds, extra_env) for VmProcess."""
        self.close()
        events_r, events_w = os.pipe()
        inputs_r, inputs_w = os.pipe()
        try:
            import fcntl  # (not on Windows, where the simulator does not run: keep the import here)

            fcntl.fcntl(events_w, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (ImportError, AttributeError, OSError):  # not Linux, or over the system's limit
            pass
        os.set_blocking(events_r, False)
        os.set_blocking(inputs_w, False)
        self._events_fd, self._inputs_fd = events_r, inputs_w
        self._child_fds = (events_w, inputs_r)
        self._reader.reset()
        self.reset_request = None
        self.background = False
        self._unsent = dict(self.inputs)
        env = {EVENTS_FD_ENV: str(events_w), INPUTS_FD_ENV: str(inputs_r)}
        return (events_w, inputs_r), env

    def started(self) -> None:
        """The VM runs (it has its ends of the pipes): close ours, start reading, send the inputs."""
        if self._child_fds is not None:
            for fd in self._child_fds:
                os.close(fd)
            self._child_fds = None
        self._loop = asyncio.get_running_loop()
        if self._events_fd is not None:
            self._loop.add_reader(self._events_fd, self._on_readable)
        self._send_unsent()

    def close(self) -> None:
        """The VM is gone: process what it sent, release the pipes."""
        if self._events_fd is not None:
            self._read_available()
            self._process()
        if self._loop is not None:
            if self._events_fd is not None:
                self._loop.remove_reader(self._events_fd)
            if self._inputs_fd is not None:
                self._loop.remove_writer(self._inputs_fd)
        for fd in (self._events_fd, self._inputs_fd, *(self._child_fds or ())):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._events_fd = self._inputs_fd = self._child_fds = None
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None

    # -- inputs: host -> VM --------------------------------------------------------------------
    def send_input(self, name: str, wire: str | None) -> None:
        """Set input ``name`` to ``wire`` (a number, or "~kind rate amplitude offset"); None removes it."""
        if wire is None:
            self.inputs.pop(name, None)
            self._unsent[name] = ""
        else:
            self.inputs[name] = wire
            self._unsent[name] = wire
        self._send_unsent()

    def _send_unsent(self) -> None:
        if self._inputs_fd is None or self._child_fds is not None:
            return  # no VM yet: sent when it starts
        while self._unsent:
            name, wire = next(iter(self._unsent.items()))
            try:
                os.write(self._inputs_fd, input_line(name, wire))  # < PIPE_BUF: written whole or not at all
            except BlockingIOError:  # the VM is not reading now: retry when there is room
                if self._loop is not None:
                    self._loop.add_writer(self._inputs_fd, self._on_writable)
                return
            except OSError:  # the VM is gone
                return
            del self._unsent[name]

    def _on_writable(self) -> None:
        assert self._loop is not None and self._inputs_fd is not None
        self._loop.remove_writer(self._inputs_fd)
        self._send_unsent()

    # -- events: VM -> host --------------------------------------------------------------------
    def _on_readable(self) -> None:
        if not self._read_available() and self._loop is not None and self._events_fd is not None:
            self._loop.remove_reader(self._events_fd)  # the VM closed its end (it exited)
        if self._flush_handle is None and self._loop is not None:
            self._flush_handle = self._loop.call_later(_BATCH_EVERY, self._process_later)

    def _read_available(self) -> bool:
        """Append what the pipe holds to the raw buffer; False once the VM closed its end."""
        assert self._events_fd is not None
        while True:
            try:
                data = os.read(self._events_fd, PIPE_BYTES)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not data:
                return False
            self._reader.raw += data

    def _process_later(self) -> None:
        self._flush_handle = None
        self._process()

    def drain(self) -> None:
        """Process every event the VM has sent so far (call after the VM flushed, e.g. after a cell)."""
        if self._events_fd is not None:
            self._read_available()
        self._process()

    @property
    def dropped(self) -> int:
        """Malformed events from the VM (untrusted input: dropped, never fatal)."""
        return self._reader.dropped

    def _process(self) -> None:
        if not self._reader.raw:
            return
        try:
            self._process_frames()
        except Exception:  # events are untrusted input: whatever slipped past the checks is dropped
            log.exception("hardware events dropped")
            self._reader.dropped += 1
            self._reader.raw.clear()

    def _process_frames(self) -> None:
        segments = self._reader.segments()
        if self._reader.junk:  # the VM declares its codes again at its next poll
            self._reader.junk = False
            self._write_control(REDECLARE)
        feed = self._timeline_feed()
        now_us = time.monotonic_ns() // 1000
        recorded = feed.timeline.total
        for segment in segments:
            if isinstance(segment, array):
                feed.fast(segment, self._reader.codes, now_us)
            else:
                feed.text(segment, now_us)
        events, folded = coalesce(segments, self._reader, self.max_events_per_batch)
        self.coalesced += folded
        events = [e for e in events if not self._control(e)]
        self.received += sum(len(s) // 2 if isinstance(s, array) else len(s) for s in segments)
        if events:
            self.state.record_events(self._timestamped(events))
        if feed.timeline.total != recorded:
            self.state.notify(TIMELINE)

    def _timeline_feed(self) -> TimelineFeed:
        if self.timeline is None:  # (numpy is imported with the first events, not at kernel start)
            from .timeline_feed import TimelineFeed

            self.timeline = TimelineFeed(self.state.timeline)
        return self.timeline

    def _control(self, event: Decoded) -> bool:
        """Handle the VM's messages to the host itself (not hardware): True if ``event`` was one."""
        _, kind, _, value = event
        if kind == "reset":
            self.reset_request = {"hard": "reset", "deepsleep": "deepsleep"}.get(str(value), "soft_reset")
        elif kind == "background":
            self.background = isinstance(value, float) and value > 0
        elif kind == "interrupted":  # the stop button ended a handler that preempted the cell's code
            if self.on_handler_interrupted is not None:
                self.on_handler_interrupted()
        elif kind != "bus":  # (a bus transfer's bits: for the timeline only)
            return False
        return True

    def wake(self) -> None:
        """Ask the VM's idle() to return now (a cell waits for the prompt)."""
        self._write_control(WAKE)

    def _write_control(self, line: bytes) -> None:
        if self._inputs_fd is not None and self._child_fds is None:
            try:
                os.write(self._inputs_fd, line)
            except OSError:  # full (the VM reads the rest first) or gone
                pass

    @staticmethod
    def _timestamped(events: list[Decoded]) -> list[HardwareEvent]:
        """Events with the VM's ticks as HardwareEvents at host ``time.monotonic()`` seconds."""
        now = time.monotonic_ns() // 1000
        return [
            HardwareEvent(host_seconds(ticks, now), kind, target, value)
            for ticks, kind, target, value in events
        ]
