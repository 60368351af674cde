"""Target: which board the cells run on, and switching it (%connect, %disconnect, the default target).

The simulator is imported only when a simulated board is asked for, so a kernel for a serial board
never loads it (nor starts a VM to learn its version).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..board.ports import auto_port
from ..board.protocol import Board
from ..board.serial import DEFAULT_BAUD, SerialBoard
from ..board.state import BoardState
from .magics.registry import MagicArgumentParser, MagicError

# e.g. "sim pico", "/dev/ttyUSB0", "/dev/ttyACM0 --baud 115200", "auto"; the simulated esp32 when unset.
# The words are those of %connect.
DEFAULT_TARGET_ENV = "MICROPYTHON_KERNEL_TARGET"

_connect_parser = MagicArgumentParser("%connect")
_connect_parser.add_argument("target", nargs="*")
_connect_parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help="serial speed")


def default_target() -> str:
    """The words of %connect that the default target means (``MICROPYTHON_KERNEL_TARGET``, else sim)."""
    return os.environ.get(DEFAULT_TARGET_ENV, "").strip() or "sim"


class Target:
    """The board cells run on (None until the first cell, or after %disconnect)."""

    def __init__(self, state: BoardState, notify: Callable[[str], None] = lambda text: None) -> None:
        self.state = state  # one model for the kernel's life: views survive resets and switches
        self._notify = notify  # a board's progress for the user, in the running cell's output
        self.board: Board | None = None
        self._disconnected = False  # after %disconnect, cells say so instead of starting the default

    async def ensure(self) -> Board:
        """The current board, starting the default one on first use."""
        if self.board is None:
            if self._disconnected:
                raise MagicError("not connected to a target: %connect [sim | PORT | auto] (see %ports)")
            await self.connect("")
        assert self.board is not None
        return self.board

    async def connect(self, args: str) -> None:
        """Connect to what ``args`` names: the words of %connect ("" for the default target)."""
        default = not args.strip()
        try:
            options = _connect_parser.parse_line(args if not default else default_target())
            words = options.target
            if not words:
                raise MagicError("no target given")
            if words[0] == "sim":
                if len(words) > 2:
                    raise MagicError("usage: %connect sim [PROFILE]")
                await self._connect_simulator(words[1] if len(words) > 1 else None)
            elif len(words) > 1:
                raise MagicError("usage: %connect PORT [--baud N] (one port)")
            elif words[0] == "auto":
                port = auto_port()
                if port is None:
                    raise MagicError(
                        "%connect auto: no USB serial board found (%ports lists the serial ports)"
                    )
                await self._use(SerialBoard(port, options.baud, state=self.state, notify=self._notify))
            else:
                await self._use(SerialBoard(words[0], options.baud, state=self.state, notify=self._notify))
        except MagicError as err:
            if not default:
                raise
            raise MagicError(f"the default target {DEFAULT_TARGET_ENV}={default_target()!r}: {err}") from err

    async def _connect_simulator(self, profile: str | None) -> None:
        from ..simulator.board import SimulatedBoard
        from ..simulator.vm import SimulatorUnavailable

        try:
            board = SimulatedBoard(profile, state=self.state)
        except ValueError as err:
            raise MagicError(str(err)) from err
        try:
            await self._use(board)
        except SimulatorUnavailable as err:
            raise MagicError(f"the simulated board is not available: {err}") from err

    async def _use(self, board: Board) -> None:
        await self.close()
        try:
            await board.start()
        except Exception:
            await board.close()
            raise
        self.board = board
        self._disconnected = False

    async def disconnect(self) -> str:
        """Release the board (a serial port becomes free for other tools); returns what it was."""
        description = self.description()
        await self.close()
        self._disconnected = True
        return description

    async def close(self) -> None:
        if self.board is not None:
            board, self.board = self.board, None
            await board.close()

    def description(self) -> str:
        if self.board is None:
            return "no target"
        info = self.board.info
        return f"{info.name} (MicroPython {info.version})" if info.version else info.name

    def language_version(self) -> str:
        """The MicroPython version for kernel_info: the board's, else the simulator's when it is the
        default target (read once per VM package, see simulator/vm.py), else "" (not known yet)."""
        if self.board is not None and self.board.info.version:
            return self.board.info.version
        if self.board is None and default_target().split()[0] == "sim":
            from ..simulator.vm import vm_version

            return vm_version()
        return ""
