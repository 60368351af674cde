"""The MicroPython raw REPL, spoken over any ByteChannel: the one protocol for every target.

Raw REPL (Ctrl-A): code ends with Ctrl-D; the board answers ``OK``, the program's stdout up to
``\\x04``, its stderr (the traceback) up to ``\\x04``, then ``>``. Raw-paste (``\\x05A\\x01``) adds flow
control so that big cells reach boards with small UART buffers intact; old firmware (the micro:bit's
v1.9.2) lacks it and gets the code in small paced chunks instead, as mpremote does.
This module streams stdout as it arrives, which mpremote's blocking transport cannot do.
"""

from __future__ import annotations

import asyncio
import re
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .channel import ByteChannel
from .errors import BoardDisconnected, BoardError, BoardTimeout, ProtocolError
from .frames import FrameReader

RAW_REPL_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
# What every port prints when it boots into its friendly REPL; seen in a cell's output, followed by
# REBOOT_QUIET seconds of silence, it means the board rebooted under the cell.
REBOOT_BANNER_END = re.compile(rb'Type "help\(\)" for more information\.\r?\n>>> $')
REBOOT_QUIET = 0.5
CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"
# A frame's end then the board's answer to a raw-paste request: the previous code had gone on running.
LATE_PASTE_ANSWER = re.compile(rb"\x04>(R[\x00\x01])")
LATE_OK = re.compile(rb"\x04>OK")
LATE_FRAME_END = re.compile(rb"\x04[^\x04]*\x04>")
# A frame end whose stderr is no traceback (a board's uncaught exception always starts with one) was most
# likely printed by the code (print('\x04abc\x04>')): its next bytes (the print's newline, written after
# the text) get this long to come before the frame counts as ended (seen: the pty board's came later than
# one turn of the loop under load).
NOT_A_TRACEBACK_WAIT = 0.2
TRACEBACK = b"Traceback (most recent call last):"
STRAY_OUTPUT_KEPT = 4096  # the newest bytes a board printed outside cells (a main.py may print for ever)


@dataclass
class Pacing:
    """How plain raw-REPL writes are paced for boards without raw-paste (mpremote: 256 B, 10 ms).

    With ``bytes_per_second`` (a line whose baud rate limits it, measured by the board), chunks follow
    the line's own clock instead of fixed pauses: the writes never run more than ``lead`` bytes ahead of
    what the line has carried, so the board receives at line rate and a Ctrl-C waits behind little.
    """

    chunk_size: int = 256
    pause: float = 0.01
    bytes_per_second: float | None = None
    lead: int = 256  # 22 ms of a 115200 line: late wake-ups of a loaded host do not idle it


MPREMOTE_PACING = Pacing()


class BoardRebooted(BoardError):
    """The board reset itself while code ran: it sits at its friendly prompt, its state is gone."""


# Firmware without raw-paste is old firmware, and old firmware has small receive buffers: the micro:bit's
# v1.9.2 keeps 64 bytes and silently drops the rest (source/microbit/mphalport.cpp, UART_RX_BUF_SIZE)
# when its main loop stalls (a garbage collection while the code buffer grows). Measured on it under
# QEMU on a loaded host: mpremote's 256 B / 10 ms lost bytes in 3 of 30 exchanges (a SyntaxError or a
# lost Ctrl-D); 32 B / 5 ms lost none in 90 (3 KB cells, file transfers). Chunks of 30 B: two that
# arrive together (the emulator or the USB adapter held one back) still fit the buffer.
# (Acknowledged pieces assembled in a bytearray on the board were 10x faster, but the final bytes()
# copy needs twice the cell's size in heap: a 2.9 KB cell hit MemoryError there.)
SMALL_BUFFER_PACING = Pacing(chunk_size=30, pause=0.005)  # 2 x 30 fits the 63 usable bytes


class RawRepl:
    """Runs code on a target in raw REPL mode and streams what it prints."""

    def __init__(
        self,
        channel: ByteChannel,
        *,
        pacing: Pacing | None = MPREMOTE_PACING,
        response_timeout: float = 5.0,
        try_raw_paste: bool = True,
        stop_hook: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.channel = channel
        self.pacing = pacing
        self.response_timeout = response_timeout
        # None: not yet known; negotiated on the first execute and remembered for the connection.
        self.raw_paste: bool | None = None if try_raw_paste else False
        self.raw_paste_window = 0
        self.stray_output = bytearray()  # bytes seen outside a cell (boot messages, a main.py printing)
        self.in_sync = True  # False while a frame is unread: the next execute resynchronises first
        self.late_output = bytearray()  # what code printed after its frame seemed to end
        self.notices: list[str] = []  # what the user should be told (a resynchronisation)
        self._stop_hook = stop_hook

    # -- reading helpers -----------------------------------------------------------------------
    async def read_until(self, ending: bytes, timeout: float | None = None) -> bytes:
        """Read until ``ending`` has arrived; return everything up to and including it."""
        timeout = self.response_timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        data = bytearray()
        while True:
            index = data.find(ending)
            if index >= 0:
                self.channel.unread(bytes(data[index + len(ending) :]))
                return bytes(data[: index + len(ending)])
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise BoardTimeout(
                    f"the board did not answer within {timeout:g} s "
                    f"(waiting for {ending!r}, got {bytes(data[-80:])!r})"
                )
            data += await self.channel.read(remaining)

    async def read_exactly(self, count: int, timeout: float | None = None) -> bytes:
        timeout = self.response_timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        data = bytearray()
        while len(data) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise BoardTimeout(f"the board did not answer within {timeout:g} s (got {bytes(data)!r})")
            data += await self.channel.read(remaining)
        self.channel.unread(bytes(data[count:]))
        return bytes(data[:count])

    # -- entering and leaving ------------------------------------------------------------------
    async def enter(self, *, interrupt: bool = True, timeout: float | None = None) -> None:
        """Get the board to the raw REPL prompt, stopping whatever it runs if ``interrupt``."""
        if interrupt:
            await self.channel.write(b"\r" + CTRL_C)
            await asyncio.sleep(0.05)
            await self.channel.write(CTRL_C)
            await asyncio.sleep(0.05)
        self.stray_output += self.channel.take_pending()
        await self.channel.write(b"\r" + CTRL_A)
        data = await self.read_until(RAW_REPL_BANNER, timeout)
        self.stray_output += data[: -len(RAW_REPL_BANNER)]
        self.in_sync = True

    async def soft_reset(self, timeout: float | None = None) -> bytes:
        """Ctrl-D at the raw prompt: a fresh interpreter; returns what the board printed meanwhile."""
        await self.channel.write(CTRL_D)
        data = await self.read_until(b"soft reboot\r\n", timeout)
        data += await self.read_until(RAW_REPL_BANNER, timeout)
        return data

    async def interrupt(self) -> None:
        """Ctrl-C: a KeyboardInterrupt in whatever the board is running."""
        await self.channel.write(CTRL_C)

    # -- running code --------------------------------------------------------------------------
    async def query(self, code: str) -> str:
        """Run helper code and return its stdout; BoardError with the traceback if it raised."""
        out = bytearray()
        stderr = await self.execute(code, out.extend, show_late=False)
        if stderr:
            raise BoardError(stderr.decode("utf-8", "replace"))
        return out.decode("utf-8", "replace")

    async def execute(
        self,
        code: str | bytes,
        on_stdout: Callable[[bytes], None],
        *,
        show_late: bool = True,
    ) -> bytes:
        """Run ``code``; stream its stdout to ``on_stdout`` as it arrives; return its stderr.

        Code that prints ``\\x04`` cannot end the frame early (``frames.FrameReader``). A frame left
        unread (a stop during a transfer cancelled this coroutine) is caught up with before the next
        code is sent (``resync``). What the previous code printed after its frame seemed to end goes
        to ``on_stdout`` first if ``show_late`` (a user's cell), else waits for the next such call.
        """
        data = code.encode("utf-8") if isinstance(code, str) else code
        if not self.in_sync:
            await self.resync()
        self.in_sync = False  # until this frame's end has been read
        await self._send(data)
        if show_late and self.late_output:  # the previous code's, printed after its frame seemed to end
            on_stdout(self.take_late_output())
        recent = b""  # the end of stdout so far: a reboot banner there means the board reset itself

        def stdout(chunk: bytes) -> None:
            nonlocal recent
            on_stdout(chunk)
            recent = (recent + chunk[-200:])[-200:]  # (never a copy of a whole big chunk)

        reader = FrameReader(stdout)
        while not reader.done:
            rebooted = not reader.holding and REBOOT_BANNER_END.search(recent) is not None
            chunk = await self.channel.read(REBOOT_QUIET if rebooted else None)
            if not chunk:
                if rebooted:  # the banner, then silence: the board is at its friendly prompt, not ours
                    self.in_sync = True  # (the board's own prompt: the next enter() finds it)
                    raise BoardRebooted(
                        "the board reset itself while running the cell (machine.reset(), a watchdog or a "
                        "crash): what the cell defined is gone; the next cell runs on the fresh board"
                    )
                continue
            rest = reader.feed(chunk)
            if reader.done and not rest:
                await asyncio.sleep(0)  # bytes already on their way after the prompt?
                rest = self.channel.take_pending()
                if not rest and reader.stderr and not reader.stderr.startswith(TRACEBACK):
                    try:
                        rest = await self.channel.read(NOT_A_TRACEBACK_WAIT)
                    except BoardDisconnected:
                        rest = b""
            if rest:
                reader.reopen(rest)  # the code printed that frame end itself
        self.in_sync = True
        return reader.stderr or b""

    async def send_without_result(self, code: str) -> None:
        """Send code whose run ends the conversation (``machine.reset()``): wait until the board
        accepted it, not for a result that will never come."""
        await self._send(code.encode("utf-8"))

    async def _send(self, data: bytes) -> None:
        # Bytes that arrived between cells (a main.py printing, line noise) are no answer to this code;
        # with a frame end among them, they are what the previous code printed after it seemed done.
        between = self.channel.take_pending()
        if LATE_FRAME_END.search(between):
            self._late(between)
        else:
            self.stray_output += between
            del self.stray_output[:-STRAY_OUTPUT_KEPT]
        if self.raw_paste is not False:
            await self.channel.write(CTRL_E + b"A" + CTRL_A)
            answer = await self.read_exactly(2)
            if answer not in (b"R\x01", b"R\x00", b"ra") and self.raw_paste:
                answer = await self._late_answer(answer)
            if answer == b"R\x01":
                self.raw_paste = True
                await self._send_raw_paste(data)
                return
            if answer != b"R\x00":
                # Firmware older than raw-paste took the bytes as a Ctrl-E/Ctrl-A: back at the raw prompt.
                rest = await self.read_until(b"w REPL; CTRL-B to exit\r\n>")
                if not (answer + rest).endswith(RAW_REPL_BANNER[-len(b"w REPL; CTRL-B to exit\r\n>") :]):
                    raise ProtocolError(f"unexpected answer to raw-paste request: {answer + rest!r}")
            self.raw_paste = False
        await self._send_paced(data)
        answer = await self.read_exactly(2)
        if answer != b"OK":
            # The previous code still ran (it printed a frame end of its own): the board reads this
            # code when it ends, and answers then. Wait for that; if it never comes (the code runs on,
            # or bytes were lost meanwhile), resynchronise and send the code again.
            self.channel.unread(answer)
            try:
                late = await self._read_match(LATE_OK, self.response_timeout)
            except BoardTimeout:
                await self.resync()
                await self._send_paced(data)
                answer = await self.read_exactly(2)
                if answer != b"OK":
                    raise ProtocolError(f"the board did not accept the code (answered {answer!r})") from None
            else:
                self._late(late[:-2])

    async def _late_answer(self, answer: bytes) -> bytes:
        """The answer to a raw-paste request came after other bytes: the previous code was still
        running (it had printed a frame end of its own). Wait for it to end (stopping it after
        ``response_timeout``), keep what it printed as ``late_output``, return the real answer."""
        self.channel.unread(answer)
        try:
            data = await self._read_match(LATE_PASTE_ANSWER, self.response_timeout)
        except BoardTimeout:
            await self.stop_running_code()
            data = await self._read_match(LATE_PASTE_ANSWER, self.response_timeout)
        match = LATE_PASTE_ANSWER.search(data)
        assert match is not None
        self._late(data[: match.start() + 2])
        return match.group(1)

    async def _read_match(self, pattern: re.Pattern[bytes], timeout: float) -> bytes:
        """Read until ``pattern`` matches; return everything up to the end of the match."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        data = bytearray()
        while True:
            match = pattern.search(data)
            if match:
                self.channel.unread(bytes(data[match.end() :]))
                return bytes(data[: match.end()])
            remaining = deadline - loop.time()
            if remaining <= 0:
                self.channel.unread(bytes(data))
                raise BoardTimeout(
                    f"the board did not answer within {timeout:g} s (got {bytes(data[-80:])!r})"
                )
            data += await self.channel.read(remaining)

    def _late(self, data: bytes) -> None:
        """Output of the previous code that came after its frame seemed to end (kept for the user)."""
        text = data.replace(CTRL_D + b">", b"").replace(CTRL_D, b"")
        self.late_output += text
        del self.late_output[:-STRAY_OUTPUT_KEPT]
        self.notices.append(
            "the code printed what looked like the end of its output (a \\x04 byte) and went on "
            f"running; the kernel waited for its real end, and kept the board's state ({len(text)} bytes "
            "printed after that are shown with this cell)"
        )

    async def stop_running_code(self) -> None:
        """Stop code the board runs (the hook the board gave, else Ctrl-C on the line)."""
        if self._stop_hook is not None:
            await self._stop_hook()
        else:
            await self.channel.write(CTRL_C)

    async def resync(self) -> None:
        """Back to a known raw prompt after a frame was left unread (a cancelled transfer) or an
        unexpected answer: stop what runs, abort a paste in progress (Ctrl-C), re-enter the raw REPL
        (Ctrl-A: the banner again). The interpreter's state is kept; what arrived meanwhile is kept as
        ``stray_output``."""
        await self.stop_running_code()
        await self.channel.write(CTRL_C)  # ends a raw paste the board was still reading; clears a line
        await asyncio.sleep(0.02)
        await self.channel.write(b"\r" + CTRL_A)
        data = await self.read_until(RAW_REPL_BANNER)
        junk = data[: -len(RAW_REPL_BANNER)]
        self.in_sync = True
        self.raw_paste_window = 0
        # (Not shown: what comes before the banner may be line noise as well as the rest of a frame.)
        self.stray_output += junk
        del self.stray_output[:-STRAY_OUTPUT_KEPT]
        self.notices.append(
            "the kernel lost track of the board's answers (a stop during a transfer, or output that "
            "looked like the protocol) and resynchronised: the board's state was kept"
        )

    def take_late_output(self) -> bytes:
        """What code printed after its frame seemed to end, not yet shown."""
        late, self.late_output = bytes(self.late_output), bytearray()
        return late

    def take_notices(self) -> list[str]:
        """What the user should be told since the last call (resynchronisations)."""
        notices, self.notices = self.notices, []
        return notices

    async def _send_paced(self, data: bytes) -> None:
        payload = data + CTRL_D
        pacing = self.pacing
        step = pacing.chunk_size if pacing else len(payload)
        loop = asyncio.get_running_loop()
        started = loop.time()
        for start in range(0, len(payload), step):
            if start and pacing and pacing.bytes_per_second:  # keep in step with the line
                delay = started + (start - pacing.lead) / pacing.bytes_per_second - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            elif start and pacing:  # a pause between chunks, none after the last
                await asyncio.sleep(pacing.pause)
            await self.channel.write(payload[start : start + step])

    async def _send_raw_paste(self, data: bytes) -> None:
        (window,) = struct.unpack("<H", await self.read_exactly(2))
        self.raw_paste_window = window
        remaining_window = window
        sent = 0
        while sent < len(data):
            while remaining_window == 0 or self.channel.pending():
                flag = await self.read_exactly(1)
                if flag == CTRL_A:
                    remaining_window += window
                elif flag == CTRL_D:  # the board ended the paste early (e.g. a syntax error)
                    await self.channel.write(CTRL_D)
                    return
                else:
                    raise ProtocolError(f"unexpected byte during raw paste: {flag!r}")
            piece = data[sent : sent + remaining_window]
            await self.channel.write(piece)
            sent += len(piece)
            remaining_window -= len(piece)
        await self.channel.write(CTRL_D)
        await self.read_until(CTRL_D)  # the board acknowledges the end of the code; output follows


__all__ = ["RawRepl", "Pacing", "BoardDisconnected"]
