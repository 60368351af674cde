"""HardwareModel: the host side of the simulated board's hardware channel.

The VM's ``_simhw`` module writes hardware events to a pipe (framed, batched: see ``mpy/_simhw.py`` for
the wire format); this model reads it with ``loop.add_reader`` (never blocking the kernel), turns the
frames into ``HardwareEvent``s on the ``BoardState``, and writes host-driven inputs (pin levels, ADC
values, sensor quantities, signal generators) to a second pipe that the VM polls.

The model outlives the VM: inputs set before a reset are sent again to the fresh VM.
A flood (a tight loop toggling a pin) is coalesced: at most ``max_events_per_batch`` events of each
batch go into the history, and the rest only update the final state, so the kernel keeps up with the
VM and its memory stays bounded whatever the loop does.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from array import array
from typing import TYPE_CHECKING, Any

from ..board.state import TIMELINE, BoardState, HardwareEvent
from .signals import Replay, Signal

if TYPE_CHECKING:
    from .timeline_feed import TimelineFeed

log = logging.getLogger(__name__)
EVENTS_FD_ENV = "MPK_EVENTS_FD"
INPUTS_FD_ENV = "MPK_INPUTS_FD"
_TICKS_MASK = (1 << 30) - 1  # the VM's ticks_us wrap at 2**30
_VALUE_MASK = (1 << 20) - 1  # fast-path records: code << 20 | value
_PIPE_BYTES = 1 << 20  # a larger event pipe lets the VM run ahead of the kernel in a flood
_BATCH_EVERY = 0.02  # seconds between processing what arrived: ~50 state updates a second at most

Decoded = tuple[int, str, str, Any]  # (ticks_us, kind, target, value)


def _finite(text: str) -> float:
    """A finite number from the wire; ValueError for anything else (inf, nan, junk)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def _decode_value(kind: str, text: str) -> Any:
    """The Python value of an event from its text form on the wire.

    The VM's code writes these (user code can call ``_simhw.emit`` itself): anything that is not a
    value of the kind's shape raises ValueError, and the event is dropped (HardwareModel.dropped).
    """
    if kind in ("pin", "adc"):
        return int(_finite(text))
    if kind == "pwm":  # "duty,freq": duty as 0..1
        duty, _, freq = text.partition(",")
        return (_finite(duty), int(_finite(freq)) if freq else None)
    if kind == "mode":  # "mode,pull"
        mode, _, pull = text.partition(",")
        return (mode, pull or None)
    if kind == "display":  # "00000:09090:..." rows of brightness digits
        rows = [[int(c) for c in row] for row in text.split(":")]
        if len({len(row) for row in rows}) != 1 or not all(0 <= v <= 9 for row in rows for v in row):
            raise ValueError(f"not rows of brightness digits: {text[:40]!r}")
        return rows
    if kind == "neopixel":  # "rrggbb,rrggbb,...": one (r, g, b) a pixel
        return [tuple(bytes.fromhex(colour)) for colour in text.split(",") if len(colour) == 6]
    try:
        return _finite(text)
    except ValueError:
        return text


def _plausible_frame(raw: bytearray, pos: int) -> bool:
    """Does a frame start at ``pos``? (Only asked after bytes that were not one.)"""
    kind = raw[pos : pos + 1]
    if kind not in (b"D", b"B", b"T") or len(raw) - pos < 6:
        return kind in (b"D", b"B", b"T") and len(raw) - pos < 6  # too short to tell: wait for more
    size = int.from_bytes(raw[pos + 1 : pos + 5], "little")
    if size > _PIPE_BYTES:
        return False
    first = raw[pos + 5]
    if kind == b"B":
        return size % 8 == 0
    return 48 <= first <= 57  # D and T payloads start with a number (a code, the ticks)


class HardwareModel:
    """Pipes to one VM at a time, and the inputs the host drives (kept across VMs)."""

    def __init__(self, state: BoardState, max_events_per_batch: int = 500) -> None:
        self.state = state
        self.max_events_per_batch = max_events_per_batch
        self.inputs: dict[str, str] = {}  # name -> its wire form ("1.0", "~sine 1 ..."): resent on restart
        self.signals: dict[str, Signal] = {}  # name -> the signal driving it (for views and %signal)
        #: sensor quantities the host can drive, name -> (low, high) of their usual range
        self.quantities: dict[str, tuple[float, float]] = {}
        self._replays: dict[str, asyncio.Task[None]] = {}
        self.reset_request: str | None = None  # "reset"/"soft_reset" when code rebooted the board
        self.background = False  # the VM has irq handlers or timers to run between cells
        self.coalesced = 0  # events that only updated the final state (counted for the curious)
        self.received = 0
        self.timeline: TimelineFeed | None = None  # every event, before floods are coalesced
        self.dropped = 0  # malformed events from the VM (untrusted input: dropped, never fatal)
        self._codes: dict[int, tuple[str, str]] = {}
        self._raw = bytearray()
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

            fcntl.fcntl(events_w, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        except (ImportError, AttributeError, OSError):  # not Linux, or over the system's limit
            pass
        os.set_blocking(events_r, False)
        os.set_blocking(inputs_w, False)
        self._events_fd, self._inputs_fd = events_r, inputs_w
        self._child_fds = (events_w, inputs_r)
        self._codes.clear()
        self._raw.clear()
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
    def register_quantity(self, name: str, low: float, high: float) -> None:
        """Make a sensor quantity (e.g. "aht20.temperature") drivable, with its usual range."""
        self.quantities[name] = (low, high)

    def set_signal(self, name: str, signal: Signal | None) -> None:
        """Drive ``name`` with ``signal`` (None: release it, so the VM sees its default again)."""
        replay = self._replays.pop(name, None)
        if replay is not None:
            replay.cancel()
        if signal is None:
            self.signals.pop(name, None)
            self.send_input(name, None)
            return
        self.signals[name] = signal
        wire = signal.wire()
        if wire is not None:
            self.send_input(name, wire)
        elif isinstance(signal, Replay):
            self.send_input(name, repr(float(signal.steps[0][1])))
            self._replays[name] = asyncio.ensure_future(self._replay(name, signal))

    async def _replay(self, name: str, signal: Replay) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            for when, value in signal.steps:
                await asyncio.sleep(max(0.0, start + when - loop.time()))
                self.send_input(name, repr(float(value)))
            if not signal.loop or signal.duration <= 0:
                return

    def stop_signals(self) -> None:
        """Stop every replay (the board is going away)."""
        for task in self._replays.values():
            task.cancel()
        self._replays.clear()

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
            line = f"{name} {wire}\n".replace(" \n", "\n").encode()
            try:
                os.write(self._inputs_fd, line)  # < PIPE_BUF: written whole or not at all
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
                data = os.read(self._events_fd, _PIPE_BYTES)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not data:
                return False
            self._raw += data

    def _process_later(self) -> None:
        self._flush_handle = None
        self._process()

    def drain(self) -> None:
        """Process every event the VM has sent so far (call after the VM flushed, e.g. after a cell)."""
        if self._events_fd is not None:
            self._read_available()
        self._process()

    def _frames(self) -> tuple[list[tuple[bytes, bytes]], int]:
        """Complete frames from the raw buffer and the bytes they used (a partial one stays)."""
        frames = []
        raw = self._raw
        pos = 0
        while len(raw) - pos >= 5:
            if not _plausible_frame(raw, pos):  # code wrote to the pipe itself: skip to a frame
                start = pos
                pos += 1
                while pos < len(raw) and not _plausible_frame(raw, pos):
                    pos += 1
                log.warning("unreadable hardware events dropped (%d bytes)", pos - start)
                self._write_control(b"?\n")  # and the VM declares its codes again at its next poll
                continue
            size = int.from_bytes(raw[pos + 1 : pos + 5], "little")
            if len(raw) - pos - 5 < size:
                break
            frames.append((bytes(raw[pos : pos + 1]), bytes(raw[pos + 5 : pos + 5 + size])))
            pos += 5 + size
        return frames, pos

    def _process(self) -> None:
        if not self._raw:
            return
        try:
            self._process_frames()
        except Exception:  # events are untrusted input: whatever slipped past the checks is dropped
            log.exception("hardware events dropped")
            self.dropped += 1
            self._raw.clear()

    def _process_frames(self) -> None:
        frames, used = self._frames()
        segments: list[list[Decoded] | array[int]] = []
        for kind, payload in frames:
            if kind == b"D":
                code, _, rest = payload.decode("utf-8", "replace").partition(" ")
                kind_name, _, target = rest.partition(" ")
                if code.isdigit():
                    self._codes[int(code)] = (kind_name, target)
            elif kind == b"B":
                segments.append(array("i", payload))
            elif kind == b"T":
                segments.append(self._decode_text(payload))
        del frames
        del self._raw[:used]
        feed = self._timeline_feed()
        now_us = time.monotonic_ns() // 1000
        recorded = feed.timeline.total
        for segment in segments:
            if isinstance(segment, array):
                feed.fast(segment, self._codes, now_us)
            else:
                feed.text(segment, now_us)
        events = [e for e in self._coalesce(segments) if not self._control(e)]
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
            self.reset_request = "reset" if value == "hard" else "soft_reset"
        elif kind == "background":
            self.background = isinstance(value, float) and value > 0
        elif kind != "bus":  # (a bus transfer's bits: for the timeline only)
            return False
        return True

    def wake(self) -> None:
        """Ask the VM's idle() to return now (a cell waits for the prompt)."""
        self._write_control(b"!\n")

    def _write_control(self, line: bytes) -> None:
        if self._inputs_fd is not None and self._child_fds is None:
            try:
                os.write(self._inputs_fd, line)
            except OSError:  # full (the VM reads the rest first) or gone
                pass

    def _decode_text(self, payload: bytes) -> list[Decoded]:
        decoded = []
        for line in payload.decode("utf-8", "replace").splitlines():
            parts = line.split(" ", 3)
            try:
                if len(parts) != 4:
                    raise ValueError("not 'ticks kind target value'")
                decoded.append((int(parts[0]), parts[1], parts[2], _decode_value(parts[1], parts[3])))
            except (ValueError, OverflowError, TypeError):
                self.dropped += 1
        return decoded

    def _fast_records(self, records: array[int], start: int = 0) -> list[Decoded]:
        codes = self._codes
        out = []
        for i in range(start, len(records), 2):
            code = records[i]
            named = codes.get(code >> 20)
            if named is not None:  # (unknown after junk on the pipe, until the VM declares again)
                out.append((records[i + 1], named[0], named[1], code & _VALUE_MASK))
        return out

    def _coalesce(self, segments: list[list[Decoded] | array[int]]) -> list[Decoded]:
        """All events if few; else the last ``max_events_per_batch`` preceded by the final value of
        every (kind, target) whose earlier events were dropped."""
        sizes = [len(s) // 2 if isinstance(s, array) else len(s) for s in segments]
        skip = sum(sizes) - self.max_events_per_batch
        if skip <= 0:
            return [e for s in segments for e in (self._fast_records(s) if isinstance(s, array) else s)]
        latest: dict[Any, Any] = {}  # (kind, target) or code -> the last dropped record
        kept: list[Decoded] = []
        for segment, size in zip(segments, sizes, strict=True):
            drop = min(size, skip)
            skip -= drop
            if isinstance(segment, array):
                codes = segment[0 : 2 * drop : 2]
                ticks = segment[1 : 2 * drop : 2]
                latest.update(zip(map((20).__rrshift__, codes), zip(ticks, codes, strict=True), strict=True))
                kept += self._fast_records(segment, 2 * drop)
            else:
                latest.update(((e[1], e[2]), e) for e in segment[:drop])
                kept += segment[drop:]
            self.coalesced += drop
        finals: list[Decoded] = []
        for key, record in latest.items():
            if isinstance(key, int):
                if key in self._codes:
                    kind, target = self._codes[key]
                    finals.append((record[0], kind, target, record[1] & _VALUE_MASK))
            else:
                finals.append(record)
        return finals + kept

    @staticmethod
    def _timestamped(events: list[Decoded]) -> list[HardwareEvent]:
        """VM ticks (CLOCK_MONOTONIC us mod 2**30) -> host time.monotonic() seconds."""
        now = time.monotonic_ns() // 1000
        out = []
        for ticks, kind, target, value in events:
            age = (now - ticks) & _TICKS_MASK
            t = (now - age) / 1e6 if age < 60_000_000 else now / 1e6  # a clock we cannot map: now
            out.append(HardwareEvent(t, kind, target, value))
        return out
