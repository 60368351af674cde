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
from collections.abc import Callable
from dataclasses import dataclass

from .channel import ByteChannel
from .errors import BoardDisconnected, BoardError, BoardTimeout, ProtocolError

RAW_REPL_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
# What every port prints when it boots into its friendly REPL; seen in a cell's output, followed by
# REBOOT_QUIET seconds of silence, it means the board rebooted under the cell.
REBOOT_BANNER_END = re.compile(rb'Type "help\(\)" for more information\.\r?\n>>> $')
REBOOT_QUIET = 0.5
CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"
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
    ) -> None:
        self.channel = channel
        self.pacing = pacing
        self.response_timeout = response_timeout
        # None: not yet known; negotiated on the first execute and remembered for the connection.
        self.raw_paste: bool | None = None if try_raw_paste else False
        self.raw_paste_window = 0
        self.stray_output = bytearray()  # bytes seen outside a cell (boot messages, a main.py printing)

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
        stderr = await self.execute(code, out.extend)
        if stderr:
            raise BoardError(stderr.decode("utf-8", "replace"))
        return out.decode("utf-8", "replace")

    async def execute(
        self,
        code: str | bytes,
        on_stdout: Callable[[bytes], None],
    ) -> bytes:
        """Run ``code``; stream its stdout to ``on_stdout`` as it arrives; return its stderr."""
        data = code.encode("utf-8") if isinstance(code, str) else code
        await self._send(data)
        stdout_done = False
        stderr = bytearray()
        recent = b""  # the end of stdout so far: a reboot banner there means the board reset itself
        while True:
            rebooted = not stdout_done and REBOOT_BANNER_END.search(recent) is not None
            chunk = await self.channel.read(REBOOT_QUIET if rebooted else None)
            if not chunk:
                if rebooted:  # the banner, then silence: the board is at its friendly prompt, not ours
                    raise BoardRebooted(
                        "the board reset itself while running the cell (machine.reset(), a watchdog or a "
                        "crash): what the cell defined is gone; the next cell runs on the fresh board"
                    )
                continue
            if not stdout_done:
                end = chunk.find(CTRL_D)
                if end < 0:
                    on_stdout(chunk)
                    recent = (recent + chunk[-200:])[-200:]  # (never a copy of a whole big chunk)
                    continue
                if end:
                    on_stdout(chunk[:end])
                stdout_done = True
                chunk = chunk[end + 1 :]
            end = chunk.find(CTRL_D)
            if end < 0:
                stderr += chunk
                continue
            stderr += chunk[:end]
            self.channel.unread(chunk[end + 1 :])
            break
        await self._expect_prompt()
        return bytes(stderr)

    async def send_without_result(self, code: str) -> None:
        """Send code whose run ends the conversation (``machine.reset()``): wait until the board
        accepted it, not for a result that will never come."""
        await self._send(code.encode("utf-8"))

    async def _expect_prompt(self) -> None:
        data = await self.read_until(b">")
        if data != b">":
            self.stray_output += data[:-1]

    async def _send(self, data: bytes) -> None:
        # Bytes that arrived between cells (a main.py printing, line noise) are no answer to this code.
        self.stray_output += self.channel.take_pending()
        del self.stray_output[:-STRAY_OUTPUT_KEPT]
        if self.raw_paste is not False:
            await self.channel.write(CTRL_E + b"A" + CTRL_A)
            answer = await self.read_exactly(2)
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
            raise ProtocolError(f"the board did not accept the code (answered {answer!r})")

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
