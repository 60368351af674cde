"""Target: which board the cells run on, and switching it (%connect, %disconnect, %flash, the default).

The simulator is imported only when a simulated board is asked for, so a kernel for a serial board
never loads it (nor starts a VM to learn its version). The Target knows what it connected (it made
the board), so nothing here asks a board what class it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..board.ports import auto_port
from ..board.protocol import Board
from ..board.serial import DEFAULT_BAUD, SerialBoard
from ..board.state import BoardState
from .magics.registry import MagicArgumentParser, MagicError

if TYPE_CHECKING:
    from ..simulator.board import SimulatedBoard
    from ..simulator.flashstore import FlashChoice

# e.g. "sim pico", "/dev/ttyUSB0", "/dev/ttyACM0 --baud 115200", "auto"; the simulated esp32 when unset.
# The words are those of %connect.
DEFAULT_TARGET_ENV = "MICROPYTHON_KERNEL_TARGET"
Printer = Callable[[str, str], None]  # (text, stream): the running cell's output

_connect_parser = MagicArgumentParser("%connect")
_connect_parser.add_argument("target", nargs="*")
_connect_parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help="serial speed")
_connect_parser.add_argument("--name", default=None, help="one of several simulated boards of a kind")
_connect_parser.add_argument(
    "--attach",
    "--no-reset",
    action="store_true",
    help="join a board that runs its program (main.py) without stopping it: show what it prints; "
    "the stop button then takes it over with its state kept",
)


def default_target() -> str:
    """The words of %connect that the default target means (``MICROPYTHON_KERNEL_TARGET``, else sim)."""
    return os.environ.get(DEFAULT_TARGET_ENV, "").strip() or "sim"


def _store() -> Path:
    """The persistent flash images: in Jupyter's data folder (JUPYTER_DATA_DIR, else the user's), which
    a JupyterHub user's home keeps across server restarts."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "micropython-kernel" / "boards"


@dataclass(frozen=True)
class Connected:
    """What ``Target.connect`` did: ``power_cycled`` the current simulated board (same profile, name
    and flash: its RAM is new, its flash kept), or joined a serial board without stopping it
    (``attached``: follow it with ``session.stream_from_board(target.attached.watch)``)."""

    power_cycled: bool = False
    attached: SerialBoard | None = None


class Target:
    """The board cells run on (None until the first cell, or after %disconnect)."""

    def __init__(self, state: BoardState, print: Printer = lambda text, stream: None) -> None:
        self.state = state  # one model for the kernel's life: views survive resets and switches
        self._print = print
        self.board: Board | None = None
        self._disconnected = False  # after %disconnect, cells say so instead of starting the default
        # The board again, typed, when the Target made a simulated one (or a serial one).
        self.simulated: SimulatedBoard | None = None
        self.serial: SerialBoard | None = None
        # The simulated boards' flash: %flash sets a choice; else MICROPYTHON_KERNEL_FLASH; else the
        # board's persistent image, or a clean one when the first cell came from a frontend that takes
        # no input (nbclient, nbgrader, papermill: headless runs start from a known flash).
        self.flash_choice: FlashChoice | None = None
        self.headless = False  # set by the session from the cells' allow_stdin

    async def ensure(self) -> Board:
        """The current board, starting the default one on first use."""
        if self.board is None:
            if self._disconnected:
                raise MagicError("not connected to a target: %connect [sim | PORT | auto] (see %ports)")
            await self.connect("")
        assert self.board is not None
        return self.board

    async def connect(self, args: str) -> Connected:
        """Connect to what ``args`` names: the words of %connect ("" for the default target)."""
        options = _connect_parser.parse_line(args)
        default = not options.target
        if default and options.attach:
            raise MagicError("%connect --attach joins a serial board: %connect PORT --attach")
        if default and options.name is not None:
            raise MagicError("%connect: --name is for simulated boards: %connect sim [PROFILE] --name NAME")
        try:
            return await self._connect(args if not default else default_target())
        except MagicError as err:
            if not default:
                raise
            raise MagicError(f"the default target {DEFAULT_TARGET_ENV}={default_target()!r}: {err}") from err

    async def _connect(self, args: str) -> Connected:
        options = _connect_parser.parse_line(args)
        words = options.target
        if not words:
            raise MagicError("no target given")
        if options.attach and words[0] == "sim":
            raise MagicError("%connect --attach joins a serial board: %connect PORT --attach")
        if options.name is not None and words[0] != "sim":
            raise MagicError("%connect: --name is for simulated boards: %connect sim [PROFILE] --name NAME")
        if words[0] == "sim":
            if len(words) > 2:
                raise MagicError("usage: %connect sim [PROFILE] [--name NAME]")
            cycled = await self.connect_simulator(words[1] if len(words) > 1 else None, options.name)
            return Connected(power_cycled=cycled)
        if len(words) > 1:
            raise MagicError("usage: %connect PORT [--baud N] (one port)")
        port = words[0]
        if port == "auto":
            found = auto_port()
            if found is None:
                raise MagicError("%connect auto: no USB serial board found (%ports lists the serial ports)")
            port = found
        notify = lambda text: self._print(text, "stdout")  # noqa: E731 (a board's progress for the user)
        board = SerialBoard(port, options.baud, state=self.state, notify=notify, attach=options.attach)
        await self._use(board, same_port=self.serial is not None and self.serial.port == port)
        self.serial = board
        return Connected(attached=board if options.attach else None)

    # -- simulated boards ----------------------------------------------------------------------
    def flash_for_new_board(self) -> FlashChoice:
        """The flash a simulated board connected now starts from (see ``flash_choice``)."""
        from ..simulator.flashstore import CLEAN, FLASH_ENV, PERSISTENT, FlashChoice

        if self.flash_choice is not None:
            return self.flash_choice
        if os.environ.get(FLASH_ENV, "").strip():
            return FlashChoice.from_environment()
        return FlashChoice(CLEAN if self.headless else PERSISTENT)

    async def connect_simulator(self, profile: str | None, name: str | None = None) -> bool:
        """Connect to a simulated board; True if it was the current one (then only power-cycled:
        its RAM is new, its flash kept, as when a board is unplugged and plugged back)."""
        from ..simulator.profiles import get_profile

        choice = self.flash_for_new_board()
        try:
            wanted = get_profile(profile).name
        except ValueError as err:
            raise MagicError(str(err)) from err
        current = self.simulated
        if (
            current is not None
            and current.profile.name == wanted
            and current.board_name == name
            and current.flash_choice == choice
        ):
            await current.reset(hard=True)
            return True
        await self.replace_simulator(wanted, name, fresh=False, quiet=False)
        return False

    async def replace_simulator(
        self, profile: str, name: str | None, fresh: bool, quiet: bool = True
    ) -> None:
        """Put a new simulated board (``profile``, ``name``) on the flash chosen now (``%flash``);
        ``fresh`` discards this kernel's clean image or copy of it first."""
        from ..simulator.board import SimulatedBoard
        from ..simulator.vm import SimulatorUnavailable

        try:
            board = SimulatedBoard(
                profile, state=self.state, flash=self.flash_for_new_board(), name=name, store=_store()
            )
        except ValueError as err:
            raise MagicError(str(err)) from err
        if fresh:
            board.start_fresh()
        try:
            await self._use(board, quiet=quiet)
        except SimulatorUnavailable as err:
            raise MagicError(f"the simulated board is not available: {err}") from err
        self.simulated = board

    # -- switching -----------------------------------------------------------------------------
    async def _use(self, board: Board, quiet: bool = False, same_port: bool = False) -> None:
        """Switch to ``board``. The current target stays as it was until the new one has started,
        so a failed %connect (a mistyped port) loses nothing; what the switch does lose is said."""
        old, old_simulated = self.board, self.simulated
        if old is not None and same_port:  # a port opens once: release it first
            await self.close()
            old = old_simulated = None
        try:
            await board.start()
        except Exception:
            await board.close()
            raise
        self.board, self.simulated, self.serial = board, None, None
        self._disconnected = False
        if old is not None:
            await old.close()
        if old is not None and not quiet:
            # A simulated board's RAM ends with its VM; a real board keeps running what it ran.
            lost = ""
            if old_simulated is not None:
                from ..simulator.flashstore import PERSISTENT

                kept = "; its flash is kept" if old_simulated.flash_choice.mode == PERSISTENT else ""
                lost = f": its variables are gone{kept}"
            self._print(f"({describe(old)} was disconnected{lost}.)\n", "stdout")
        for notice in board.take_notices():
            self._print(notice + "\n", "stderr")

    async def disconnect(self) -> str:
        """Release the board (a serial port becomes free for other tools); returns what it was."""
        description = self.description()
        await self.close()
        self._disconnected = True
        return description

    async def close(self) -> None:
        if self.board is not None:
            board, self.board, self.simulated, self.serial = self.board, None, None, None
            await board.close()

    def description(self) -> str:
        return describe(self.board) if self.board is not None else "no target"

    def language_version(self) -> str:
        """The MicroPython version for kernel_info: the board's, else the simulator's when it is the
        default target (read once per VM package, see simulator/vm.py), else "" (not known yet)."""
        if self.board is not None and self.board.info.version:
            return self.board.info.version
        if self.board is None and default_target().split()[0] == "sim":
            from ..simulator.vm import vm_version

            return vm_version()
        return ""


def describe(board: Board) -> str:
    info = board.info
    return f"{info.name} (MicroPython {info.version})" if info.version else info.name
