"""The Board protocol: what the kernel asks of any target, simulated or on a serial port."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from . import files
from .heap import HEAP_QUERY, HeapReading, parse_heap_query
from .inputs import BoardInputs
from .state import BoardState


@dataclass
class ExecResult:
    """What running one piece of code on a target produced (stdout was already streamed)."""

    stderr: str = ""
    #: Set when the target had to be replaced while the code ran (a VM that exited, a board that reset).
    restarted_reason: str | None = None
    #: Set when the code rebooted the board on purpose as a port does (machine.deepsleep()): a line for
    #: the output; the kernel then runs ``startup_code(hard=True)`` (boot.py, main.py).
    rebooted: str | None = None
    #: What the user should be told about the conversation with the board (a resynchronisation).
    notices: list[str] = field(default_factory=list)


@dataclass
class BoardInfo:
    """What the kernel and ``%status`` show about a target."""

    kind: str  # "simulated" or "serial"
    name: str  # e.g. "simulated esp32", "/dev/ttyUSB0"
    firmware: str = ""
    platform: str = ""
    version: str = ""  # MicroPython version, e.g. "1.29.0"
    #: The heap as the board's port counts it, where the board knows it better than gc does (the
    #: simulated board's VM holds back all but the profile's heap): used = heap_bytes - free.
    heap_bytes: int | None = None
    details: dict[str, str] = field(default_factory=dict)


class Board(ABC):
    """A MicroPython target. All waiting is async so the kernel keeps serving interrupts and widgets.

    ``state`` is the observable model the widgets draw; the kernel passes its own so that views survive
    a reset or a switch of target. ``inputs`` is the capability to drive the board's inputs from the
    host (a simulated board's pins and sensors), None where the board has none (a real board).
    """

    info: BoardInfo
    state: BoardState
    inputs: BoardInputs | None = None

    @abstractmethod
    async def start(self) -> None:
        """Connect (or boot) and reach a prompt where code can run."""

    @abstractmethod
    async def execute(self, code: str, on_stdout: Callable[[bytes], None]) -> ExecResult:
        """Run ``code`` as one unit, streaming its stdout bytes to ``on_stdout`` as they arrive."""

    async def execute_quietly(self, code: str, on_stdout: Callable[[bytes], None]) -> ExecResult:
        """``execute`` for the kernel's own helper code; a board may keep back output that belongs to
        the user's next cell (the simulated board's between-cells callbacks)."""
        return await self.execute(code, on_stdout)

    async def query(self, code: str) -> str:
        """Run helper code (completion, status) and return its stdout; raises BoardError on an error."""
        from .errors import BoardError

        out = bytearray()
        result = await self.execute_quietly(code, out.extend)
        if result.stderr or result.restarted_reason:
            raise BoardError(result.stderr or result.restarted_reason or "query failed")
        return out.decode("utf-8", "replace")

    async def read_heap(self, with_map: bool = False) -> HeapReading | None:
        """The heap now (for %heap and %status), with its block map if asked; None if the board's
        answer could not be read. Raises BoardError when the board cannot answer."""
        return parse_heap_query(await self.query(HEAP_QUERY.format(with_map=int(with_map))))

    async def send_input(self, data: bytes) -> None:
        """Write ``data`` to the running code's console input (a line for its ``input()``)."""
        repl = getattr(self, "repl", None)  # (both targets speak raw REPL over a byte channel)
        if repl is None:
            from .errors import BoardDisconnected

            raise BoardDisconnected("the board is not connected")
        await repl.channel.write(data)

    @abstractmethod
    async def interrupt(self) -> None:
        """Stop whatever runs with a KeyboardInterrupt (the stop button)."""

    @abstractmethod
    async def reset(self, hard: bool = False) -> str:
        """Soft reset (fresh interpreter state) or hard reset; return a line describing what happened."""

    def startup_code(self, hard: bool) -> str:
        """Code the kernel runs right after ``reset(hard)``, where its output shows and the stop button
        works: a simulated board's boot.py/main.py. "" for a target whose reset runs them itself."""
        return ""

    def take_notices(self) -> list[str]:
        """What the user should read about this board since it started (each said once)."""
        return []

    def live_details(self) -> dict[str, str]:
        """What ``%status`` shows beyond ``info.details``, as it is now (e.g. events dropped)."""
        return {}

    def refresh_state(self) -> None:  # noqa: B027 (most boards have nothing buffered)
        """Bring ``state`` up to date with what the board has already sent (no I/O, no waiting)."""

    @abstractmethod
    async def close(self) -> None:
        """Disconnect and release everything (processes, ports, temporary folders)."""

    # -- files: MicroPython code over the raw REPL, the same for every target (files.py) -----------
    async def list_dir(self, path: str = "") -> list[files.FileEntry]:
        """The entries of a folder on the target ("" is the current folder)."""
        return await files.list_dir(self, path)

    async def read_file(self, path: str) -> bytes:
        return await files.read_file(self, path)

    async def write_file(
        self, path: str, data: bytes, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Write a file; ``progress(written, total)`` as it goes (big files take seconds on a UART)."""
        await files.write_file(self, path, data, progress)

    async def remove(self, path: str) -> None:
        """Remove a file (or an empty folder)."""
        await files.remove(self, path)

    async def mkdir(self, path: str) -> None:
        await files.mkdir(self, path)
