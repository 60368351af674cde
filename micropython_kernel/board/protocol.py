"""The Board protocol: what the kernel asks of any target, simulated or on a serial port."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from . import files
from .heap import HEAP_QUERY, HeapReading, parse_heap_query
from .state import BoardState


@dataclass
class ExecResult:
    """What running one piece of code on a target produced (stdout was already streamed)."""

    stderr: str = ""
    #: Set when the target had to be replaced while the code ran (a VM that exited, a board that reset).
    restarted_reason: str | None = None


@dataclass
class BoardInfo:
    """What the kernel and ``%status`` show about a target."""

    kind: str  # "simulated" or "serial"
    name: str  # e.g. "simulated esp32", "/dev/ttyUSB0"
    firmware: str = ""
    platform: str = ""
    version: str = ""  # MicroPython version, e.g. "1.29.0"
    details: dict[str, str] = field(default_factory=dict)


class Board(ABC):
    """A MicroPython target. All waiting is async so the kernel keeps serving interrupts and widgets.

    ``state`` is the observable model the widgets draw; the kernel passes its own so that views survive
    a reset or a switch of target.
    """

    info: BoardInfo
    state: BoardState

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

    @abstractmethod
    async def close(self) -> None:
        """Disconnect and release everything (processes, ports, temporary folders)."""

    # -- files: MicroPython code over the raw REPL, the same for every target (files.py) -----------
    async def list_dir(self, path: str = "") -> list[files.FileEntry]:
        """The entries of a folder on the target ("" is the current folder)."""
        return await files.list_dir(self, path)

    async def read_file(self, path: str) -> bytes:
        return await files.read_file(self, path)

    async def write_file(self, path: str, data: bytes) -> None:
        await files.write_file(self, path, data)

    async def remove(self, path: str) -> None:
        """Remove a file (or an empty folder)."""
        await files.remove(self, path)

    async def mkdir(self, path: str) -> None:
        await files.mkdir(self, path)
