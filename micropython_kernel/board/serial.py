"""SerialBoard: a real MicroPython board on a serial port, spoken to in raw REPL.

What comes from mpremote and what is written here:
- Opening the port is mpremote's ``SerialTransport`` (pyserial, exclusive access, the DTR/RTS order
  that keeps ESP32 boards from resetting on Windows, pty detection for QEMU).
- Everything after that is ``RawRepl`` over a ``SerialChannel``, written by hand because mpremote's
  transport blocks the calling thread until a command ends: the kernel must stream output while a
  cell runs, send Ctrl-C from the stop button meanwhile, and keep serving widgets. File operations go
  through the same raw REPL (``board/files.py``) so that they work on the simulated board too, and on
  the micro:bit's v1.9.2 whose ``os`` lacks the ``stat``/``ilistdir`` that mpremote's fs commands use.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import serial
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

from .channel import ByteChannel, FdChannel
from .errors import BoardDisconnected, BoardError, BoardTimeout, ProtocolError
from .protocol import Board, BoardInfo, ExecResult
from .rawrepl import REBOOT_BANNER_END, REBOOT_QUIET, SMALL_BUFFER_PACING, Pacing, RawRepl
from .state import BoardState

DEFAULT_BAUD = 115200
# The stop button: Ctrl-C at once, again after INTERRUPT_AGAIN_AFTER; a board still busy after
# INTERRUPT_GIVE_UP (stuck in C code, e.g. a peripheral that never answers) gets the cell ended with a
# clear error instead of a kernel waiting for ever.
INTERRUPT_AGAIN_AFTER = 1.0
INTERRUPT_GIVE_UP = 5.0
RETRY_AFTER = 2.0  # taking over an attached board: Ctrl-C again after this long without a raw prompt
WATCH_POLL = 0.1  # an attached board's output is read in this rhythm (the stop button's delay)
# Where a stopped program's traceback ends: the friendly REPL's banner or prompt.
_FRIENDLY_PROMPT = re.compile(rb"(?:MicroPython [^\n]*\n)?Type \"help\(\)\"|>>> ")
# Output the board prints at connect when it lacks raw-paste (1,000 bytes in lines, no big allocation):
# arriving at the baud rate's bytes a second (within LINE_LIMITED), the line limits it.
LINE_PROBE = "for i in range(20):\n    print('x' * 48)"
LINE_PROBES = 2
LINE_LIMITED = (0.7, 1.1)  # measured over the 115200 relay: 0.86-0.95 of the line's rate
# After machine.reset() a USB board drops off the bus and comes back: wait this long for its port.
HARD_RESET_REOPEN_TIMEOUT = 15.0
# A board stuck in C code answers nothing, not even machine.reset(): wait this long for its reset button.
BUTTON_RESET_TIMEOUT = 60.0

_INFO_QUERY = """\
def _mpk_info():
    import sys
    try:
        import os
        u = os.uname()
        v = u.version if 'MicroPython' in u.version else 'MicroPython ' + u.version
        fw = v + '; ' + u.machine
    except Exception:
        fw = 'MicroPython ' + sys.version
    print(repr((fw, sys.platform, '%d.%d.%d' % sys.implementation.version[:3])))
try:
    _mpk_info()
finally:
    del _mpk_info
"""

_HARD_RESET = """\
try:
    import machine as _mpk_reset
except ImportError:
    import microbit as _mpk_reset
_mpk_reset.reset()
"""


class LineEndings:
    """Boards print "\r\n"; notebooks (and the simulated board) use "\n". Converts a byte stream whose
    chunks may split a "\r\n" in two."""

    def __init__(self, sink: Callable[[bytes], None]) -> None:
        self._sink = sink
        self._held_cr = False

    def feed(self, data: bytes) -> None:
        if self._held_cr:
            data = b"\r" + data
            self._held_cr = False
        if data.endswith(b"\r"):
            data, self._held_cr = data[:-1], True
        if data:
            self._sink(data.replace(b"\r\n", b"\n"))

    def close(self) -> None:
        if self._held_cr:
            self._held_cr = False
            self._sink(b"\r")


class SerialChannel(FdChannel):
    """The port's file descriptor watched by the event loop (``loop.add_reader``).

    Chosen over a reader thread where it can be (POSIX) because it is the same code path as the
    simulated board's pty (one channel class to trust), needs no locking, and a vanished device shows
    up at once as a readable fd that reads EOF or EIO. Windows serial handles cannot be watched by the
    event loop: there ``ThreadedSerialChannel`` does the reading.
    """

    def __init__(self, transport: SerialTransport, description: str) -> None:
        self._transport = transport
        super().__init__(transport.serial.fileno(), description)

    def _release(self, fd: int) -> None:
        try:
            self._transport.close()  # pyserial owns the fd
        except (OSError, serial.SerialException):
            pass


class ThreadedSerialChannel(ByteChannel):
    """For ports the event loop cannot watch (Windows COM ports): a thread blocks in pyserial's read
    and hands the bytes to the loop with ``call_soon_threadsafe``; writes go through one more thread,
    so they keep their order and never block the loop."""

    def __init__(self, transport: SerialTransport, description: str) -> None:
        super().__init__(description)
        self._transport = transport
        self._serial = transport.serial
        self._serial.timeout = 0.1  # the reader checks for close() this often
        self._loop = asyncio.get_running_loop()
        self._data_ready = asyncio.Event()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="serial-write")
        self._stopping = False
        self._reader = threading.Thread(target=self._read_forever, name="serial-read", daemon=True)
        self._reader.start()

    def _read_forever(self) -> None:
        while not self._stopping:
            try:
                data = self._serial.read(max(1, self._serial.in_waiting))
            except (serial.SerialException, OSError, TypeError, AttributeError) as err:
                # TypeError/AttributeError: pyserial's port object after close() on some platforms
                if not self._stopping:
                    self._loop.call_soon_threadsafe(
                        self._hang_up, f"{self._description} closed the line ({err})"
                    )
                return
            if data:
                self._loop.call_soon_threadsafe(self._arrived, data)

    def _arrived(self, data: bytes) -> None:
        self._buffer += data
        self._data_ready.set()

    def _hang_up(self, reason: str) -> None:
        self._closed_reason = self._closed_reason or reason
        self._data_ready.set()

    def _ready_event(self) -> asyncio.Event:
        return self._data_ready

    async def write(self, data: bytes) -> None:
        if self._closed_reason is not None:
            raise BoardDisconnected(self._closed_reason)
        try:
            await self._loop.run_in_executor(self._writer, self._serial.write, data)
        except (serial.SerialException, OSError) as err:
            self._hang_up(f"{self._description} closed the line ({err})")
            raise BoardDisconnected(self._closed_reason or str(err)) from err

    def close(self) -> None:
        self._stopping = True
        try:
            self._transport.close()
        except (OSError, serial.SerialException):
            pass
        self._writer.shutdown(wait=False)
        self._hang_up(f"{self._description} was closed")


def open_port(port: str, baudrate: int) -> SerialTransport:
    """Open ``port`` with mpremote's transport; a BoardError that says why when it cannot."""
    try:
        return SerialTransport(port, baudrate=baudrate)
    except (TransportError, serial.SerialException, OSError) as err:
        raise BoardDisconnected(
            f"cannot open {port}: {err}. Is the board plugged in? %ports lists ports."
        ) from err


class SerialBoard(Board):
    """A MicroPython board on ``port``: cells, interrupts, resets and files over the raw REPL."""

    def __init__(
        self,
        port: str,
        baudrate: int = DEFAULT_BAUD,
        state: BoardState | None = None,
        pacing: Pacing = SMALL_BUFFER_PACING,  # used only where raw-paste is missing
        response_timeout: float = 5.0,
        reader_thread: bool = os.name == "nt",  # Windows: its COM ports cannot be watched by the loop
        notify: Callable[[str], None] = lambda text: None,  # progress for the user (the running cell)
        attach: bool = False,  # start() leaves what the board runs running; watch() follows it
    ) -> None:
        self.notify = notify
        self.attach = attach
        self._stop_watching: asyncio.Event | None = None
        self._transport: SerialTransport | None = None
        self.reader_thread = reader_thread
        self.port = port
        self.baudrate = baudrate
        self.state = state if state is not None else BoardState()
        self.pacing = pacing
        self.response_timeout = response_timeout
        self.repl: RawRepl | None = None
        self.info = BoardInfo(kind="serial", name=port)
        self._lock = asyncio.Lock()
        self._exec_task: asyncio.Task[bytes] | None = None
        self._interrupt_task: asyncio.Task[None] | None = None
        self._gave_up = False
        self._in_sync = False  # False after a timeout or garbage: re-enter raw REPL before the next cell

    # -- connecting ----------------------------------------------------------------------------
    async def start(self) -> None:
        async with self._lock:
            await self._connect(take_over=not self.attach)

    async def _connect(self, take_over: bool = True) -> None:
        transport = await asyncio.get_running_loop().run_in_executor(
            None, open_port, self.port, self.baudrate
        )
        self._transport = transport
        description = f"the board on {self.port}"
        channel: ByteChannel = (
            ThreadedSerialChannel(transport, description)
            if self.reader_thread
            else SerialChannel(transport, description)
        )
        self.repl = RawRepl(channel, pacing=self.pacing, response_timeout=self.response_timeout)
        if take_over:
            await self._take_over()

    async def _take_over(self, show: Callable[[bytes], None] | None = None, attempts: int = 1) -> None:
        """Stop what the board runs, reach the raw prompt, learn what board it is."""
        try:
            await self._sync(show, attempts)
            await self._read_info()
            if not self.repl.raw_paste:
                await self._pace_by_the_line()
        except BoardError:
            self._drop_connection()
            raise
        self.state.reset(self.info.name, self.info.platform)

    async def _sync(self, show: Callable[[bytes], None] | None = None, attempts: int = 1) -> None:
        """Stop whatever the board runs (a main.py, a cell left running) and reach the raw prompt;
        ``show`` gets what the board printed meanwhile (the traceback of the program it stopped).
        ``attempts`` > 1: Ctrl-C again after RETRY_AFTER s where a busy board may have missed it."""
        assert self.repl is not None
        try:
            for _ in range(attempts - 1):
                try:
                    await self.repl.enter(interrupt=True, timeout=RETRY_AFTER)
                    break
                except BoardTimeout:
                    continue
            else:
                await self.repl.enter(interrupt=True)
        except BoardTimeout as err:
            raise BoardTimeout(
                f"no MicroPython raw REPL on {self.port} ({err}). Is it a MicroPython board, at "
                f"{self.baudrate} baud (%connect {self.port} --baud N)?"
            ) from err
        if show is not None:
            show(_FRIENDLY_PROMPT.split(bytes(self.repl.stray_output), 1)[0])
        self.repl.stray_output.clear()
        self._in_sync = True

    async def _read_info(self) -> None:
        import ast

        assert self.repl is not None
        out = bytearray()
        stderr = await self.repl.execute(_INFO_QUERY, out.extend)
        try:
            firmware, platform, version = ast.literal_eval(out.decode("utf-8", "replace").strip())
        except (ValueError, SyntaxError) as err:
            raise ProtocolError(
                f"unexpected answer from {self.port}: {bytes(out[:200])!r} {stderr[:200]!r}"
            ) from err
        self.info = BoardInfo(
            kind="serial",
            name=self.port,
            firmware=firmware,
            platform=platform,
            version=version,
            details={
                "port": f"{self.port} at {self.baudrate} baud",
                "raw-paste": "yes" if self.repl.raw_paste else "no (old firmware: paced writes)",
            },
        )

    async def _pace_by_the_line(self) -> None:
        """Old firmware gets code in paced chunks. A line with a real baud rate (a USB-serial adapter)
        is itself slow enough for the board's buffer, so the writes follow the line at its full rate;
        a line without one (QEMU's pty, USB CDC) delivers at once, so the small-buffer pacing stays.
        Which it is shows in how fast the board's own output arrives (docs/architecture.md)."""
        line_rate = self.baudrate / 10  # 8N1: ten bits a byte
        # The fastest of two probes: an emulator slowed once by a busy host is not taken for a line.
        measured = max([await self._output_rate() for _ in range(LINE_PROBES)])
        pacing = "paced for a 64-byte buffer (the line has no baud rate)"
        if LINE_LIMITED[0] * line_rate <= measured <= LINE_LIMITED[1] * line_rate:
            assert self.repl is not None
            self.repl.pacing = Pacing(chunk_size=32, bytes_per_second=line_rate)
            rates = f"{line_rate / 1024:.1f} KB/s, measured {measured / 1024:.1f}"
            pacing = f"sent at the line's rate ({rates})"
        self.info.details["raw-paste"] = f"no (old firmware): {pacing}"

    async def _output_rate(self) -> float:
        """Bytes a second at which LINE_PROBE's output arrives (infinite when it comes in one piece)."""
        assert self.repl is not None
        arrivals: list[tuple[float, int]] = []
        clock = asyncio.get_running_loop().time
        await self.repl.execute(LINE_PROBE, lambda data: arrivals.append((clock(), len(data))))
        if len(arrivals) < 2 or arrivals[-1][0] <= arrivals[0][0]:
            return float("inf")
        return sum(size for _, size in arrivals[1:]) / (arrivals[-1][0] - arrivals[0][0])

    def _drop_connection(self) -> None:
        if self.repl is not None:
            self.repl.channel.close()
        self.repl = None
        self._in_sync = False

    async def close(self) -> None:
        self._drop_connection()

    # -- running code --------------------------------------------------------------------------
    async def execute(self, code: str, on_stdout: Callable[[bytes], None]) -> ExecResult:
        return await self._execute(code, on_stdout, show_late=True)

    async def execute_quietly(self, code: str, on_stdout: Callable[[bytes], None]) -> ExecResult:
        # Output a user's cell printed late (after a frame end of its own) waits for the next cell.
        return await self._execute(code, on_stdout, show_late=False)

    async def _execute(self, code: str, on_stdout: Callable[[bytes], None], show_late: bool) -> ExecResult:
        async with self._lock:
            if self.repl is not None and self.repl.channel.closed_reason is not None:
                self._drop_connection()  # unplugged between cells
            if self.repl is None:  # vanished earlier: the same port may be back (replugged)
                try:
                    await self._connect()
                except BoardError as err:
                    raise BoardDisconnected(
                        f"not connected to {self.port}: {err}\n"
                        "Plug the board back in, then run the cell again or %connect PORT."
                    ) from err
            elif not self._in_sync:  # (attached and never watched: take it over now)
                await (self._sync() if self.info.version else self._take_over())
            assert self.repl is not None
            self._gave_up = False
            stdout = LineEndings(on_stdout)
            self._exec_task = asyncio.ensure_future(self.repl.execute(code, stdout.feed, show_late=show_late))
            try:
                stderr = await self._exec_task
            except asyncio.CancelledError:
                if not self._gave_up:
                    raise
                self._in_sync = False
                raise BoardTimeout(
                    f"the board on {self.port} did not stop after Ctrl-C for {INTERRUPT_GIVE_UP:g} s "
                    "(stuck in C code?). Its state is unknown: try %reset --hard or press its reset button."
                ) from None
            except BoardDisconnected as err:
                self._drop_connection()
                raise BoardDisconnected(
                    f"the board on {self.port} went away while running the cell ({err}).\n"
                    f"Plug it back in, then run a cell (it reconnects to {self.port}) or %connect PORT."
                ) from err
            except BoardError:
                self._in_sync = False  # garbage or a timeout: resynchronise before the next cell
                raise
            finally:
                stdout.close()
                self._exec_task = None
                if self._interrupt_task is not None:
                    self._interrupt_task.cancel()
                    self._interrupt_task = None
            return ExecResult(
                stderr=stderr.replace(b"\r\n", b"\n").decode("utf-8", "replace"),
                notices=self.repl.take_notices(),
            )

    async def watch(self, on_stdout: Callable[[bytes], None]) -> None:
        """After an ``attach``: stream what the running board prints (its main.py) until the stop
        button, or until its program ends at the friendly prompt; then take the board over (Ctrl-C,
        raw REPL) with its state kept: the program's variables are there for the next cell."""
        async with self._lock:
            assert self.repl is not None
            stdout = LineEndings(on_stdout)
            self._stop_watching = asyncio.Event()
            loop = asyncio.get_running_loop()
            recent, last_byte = b"", loop.time()
            try:
                while not self._stop_watching.is_set():
                    chunk = await self.repl.channel.read(WATCH_POLL)
                    if chunk:
                        stdout.feed(chunk)
                        recent, last_byte = (recent + chunk[-200:])[-200:], loop.time()
                    elif REBOOT_BANNER_END.search(recent) and loop.time() - last_byte > REBOOT_QUIET:
                        break  # the program ended: the board waits at its friendly prompt
            except BoardDisconnected as err:
                self._drop_connection()
                raise BoardDisconnected(f"the board on {self.port} went away ({err})") from err
            finally:
                self._stop_watching = None
            await self._take_over(
                stdout.feed, attempts=3
            )  # (a Ctrl-C was lost once under load: QEMU micro:bit)
            stdout.close()

    async def interrupt(self) -> None:
        if self._stop_watching is not None:
            self._stop_watching.set()
            return
        if self._exec_task is None or self.repl is None:
            return
        try:
            await self.repl.interrupt()
        except BoardError:
            return  # the running execute sees the disconnection and reports it
        if self._interrupt_task is None:
            self._interrupt_task = asyncio.ensure_future(self._escalate_interrupt())

    async def _escalate_interrupt(self) -> None:
        await asyncio.sleep(INTERRUPT_AGAIN_AFTER)
        if self._exec_task is not None and self.repl is not None:
            try:
                await self.repl.interrupt()
            except BoardError:
                return
        await asyncio.sleep(INTERRUPT_GIVE_UP - INTERRUPT_AGAIN_AFTER)
        if self._exec_task is not None:
            self._gave_up = True
            self._exec_task.cancel()

    # -- resets --------------------------------------------------------------------------------
    async def reset(self, hard: bool = False) -> str:
        async with self._lock:
            if self.repl is None:
                await self._connect()
                return f"reconnected to {self.port}"
            if not self._in_sync:
                try:
                    await self._sync()
                except BoardTimeout:
                    if not hard:
                        raise
                    return await self._reset_unresponsive()
            assert self.repl is not None
            if not hard:
                await self.repl.soft_reset()
                self.repl.stray_output.clear()
                return f"{self.port}: soft reset, a fresh interpreter (files kept)"
            await self.repl.send_without_result(_HARD_RESET)
            self._drop_connection()
            await self._reopen_after_reset()
            return f"{self.port}: hard reset (machine.reset()), reconnected: {self.info.firmware}"

    async def _reset_unresponsive(self) -> str:
        """A board that answers nothing (stuck in C code) cannot run machine.reset(): pulse the reset
        line that ESP32-style boards wire to RTS (esptool's order), else ask for the reset button."""
        await self._pulse_reset_line()
        self._drop_connection()
        self.notify(
            f"{self.port} does not answer: press the board's reset button "
            f"(waiting {BUTTON_RESET_TIMEOUT:g} s for it to come back)...\n"
        )
        await self._reopen_after_reset(BUTTON_RESET_TIMEOUT)
        return f"{self.port}: hard reset, reconnected: {self.info.firmware}"

    async def _pulse_reset_line(self) -> None:
        port = self._transport.serial if self._transport is not None else None
        if port is None:
            return
        try:  # RTS high holds EN low (the auto-reset circuit of ESP32/ESP8266 dev boards)
            port.dtr = False
            port.rts = True
            await asyncio.sleep(0.1)
            port.rts = False
        except (OSError, serial.SerialException, ValueError):
            pass  # a pty (QEMU, the test board) or an adapter without modem lines

    async def _reopen_after_reset(self, timeout: float = HARD_RESET_REOPEN_TIMEOUT) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.sleep(0.5)  # let the board reboot (a USB port disappears meanwhile)
        while True:
            try:
                await self._connect()
                return
            except BoardError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.5)
