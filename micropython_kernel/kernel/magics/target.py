"""Magics that choose and manage the target: %connect, %disconnect, %ports, %reset, %status, %lsmagic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...board.ports import auto_port, list_serial_ports
from ...board.serial import DEFAULT_BAUD, SerialBoard
from ...simulator.board import SimulatedBoard
from ...simulator.profiles import PROFILES
from .registry import MAGICS, MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..kernel import MicroPythonKernel


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


async def connect_to(kernel: MicroPythonKernel, args: str) -> bool:
    """Connect to what ``args`` names (the words of %connect; also used for the default target).
    True when that was the current simulated board, which was only power-cycled. A serial board
    joined with ``--attach`` is left running: the caller follows it (``SerialBoard.watch``)."""
    options = _connect_parser.parse_line(args)
    words = options.target
    if options.attach and (not words or words[0] == "sim"):
        raise MagicError("%connect --attach joins a serial board: %connect PORT --attach")
    if options.name is not None and (not words or words[0] != "sim"):
        raise MagicError("%connect: --name is for simulated boards: %connect sim [PROFILE] --name NAME")
    if not words:
        await kernel.connect_default()
    elif words[0] == "sim":
        if len(words) > 2:
            raise MagicError("usage: %connect sim [PROFILE] [--name NAME]")
        return await kernel.connect_simulator(words[1] if len(words) > 1 else None, options.name)
    elif len(words) > 1:
        raise MagicError("usage: %connect PORT [--baud N] (one port)")
    elif words[0] == "auto":
        port = auto_port()
        if port is None:
            raise MagicError("%connect auto: no USB serial board found (%ports lists the serial ports)")
        await kernel.connect_serial(port, options.baud, attach=options.attach)
    else:
        await kernel.connect_serial(words[0], options.baud, attach=options.attach)
    return False


@line_magic(
    "connect",
    "%connect [sim [PROFILE] [--name NAME] | PORT [--baud N] [--attach] | auto]",
    f"connect to a target: the default, a simulated board ({', '.join(PROFILES)}; its flash is kept), "
    "a serial port, or the first USB board found",
)
async def connect(kernel: MicroPythonKernel, args: str, body: str | None) -> dict[str, Any] | None:
    if await connect_to(kernel, args):
        kernel.print(
            f"Connected to {kernel.board_description()}: power-cycled (variables are gone, "
            "files on its flash kept; boot.py and main.py run).\n"
        )
        assert kernel.board is not None
        return await kernel.run_on_board(kernel.board.startup_code(True))
    board = kernel.board
    if isinstance(board, SerialBoard) and board.attach:
        kernel.print(
            f"Attached to {board.port}: what it prints shows here. Press stop to take it over "
            "(its program stops, its variables stay).\n"
        )
        await kernel.stream_from_board(board.watch)
    kernel.print(f"Connected to {kernel.board_description()}.\n")
    return None


@line_magic("disconnect", "%disconnect", "release the target (frees the serial port for other tools)")
async def disconnect(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    kernel.print(f"Disconnected from {await kernel.disconnect()}.\n")


@line_magic("ports", "%ports", "list serial ports and what board each looks like")
async def ports(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    found = list_serial_ports()
    if not found:
        kernel.print("No serial ports found. Plug a board in (USB data cable, not charge-only).\n")
        return
    lines = [
        f"{p.device:<16} {p.usb_id or 'not USB':<10} {p.looks_like or p.description or '-'}" for p in found
    ]
    hint = "%connect PORT, or %connect auto for the first USB board."
    kernel.print("\n".join(lines) + "\n" + hint + "\n")


@line_magic(
    "syntaxcheck",
    "%syntaxcheck [on|off|auto]",
    "check cells with mpy-cross before sending them (auto: only for serial boards)",
)
async def syntaxcheck(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    choices = {"on": True, "off": False, "auto": None}
    word = args.strip()
    if word:
        if word not in choices:
            raise MagicError("usage: %syntaxcheck [on|off|auto]")
        kernel.syntax_check = choices[word]
    current = {True: "on", False: "off", None: "auto (serial boards only)"}[kernel.syntax_check]
    kernel.print(f"syntax check with mpy-cross: {current}\n")


_reset_parser = MagicArgumentParser("%reset")
_reset_parser.add_argument("--hard", action="store_true", help="hard reset (a reboot)")


@line_magic("reset", "%reset [--hard]", "soft reset: a fresh interpreter (files on the board are kept)")
async def reset(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    options = _reset_parser.parse_line(args)
    board = await kernel.ensure_board()
    kernel.print(await board.reset(hard=options.hard) + "\n")
    startup = board.startup_code(options.hard)  # boot.py/main.py of a simulated board
    if startup:
        await kernel.run_on_board(startup)


# In a function, so that a user's own ``gc`` name is left alone.
_STATUS_QUERY = (
    "def _mpk_st():\n import gc\n gc.collect()\n print(gc.mem_free(), gc.mem_alloc())\n"
    "try:\n _mpk_st()\nfinally:\n del _mpk_st"
)


@line_magic("status", "%status", "the target, its firmware, and its heap")
async def status(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    board = await kernel.ensure_board()
    info = board.info
    lines = [
        f"target:    {kernel.board_description()}",
        f"firmware:  {info.firmware}",
        f"version:   MicroPython {info.version}",
        f"platform:  {info.platform}",
    ]
    lines += [f"{key + ':':<10} {value}" for key, value in info.details.items()]
    if isinstance(board, SimulatedBoard) and board.hardware.dropped:
        lines.append(f"events:    {board.hardware.dropped:,} malformed hardware events dropped")
    answer = await board.query(_STATUS_QUERY)
    try:
        free, used = (int(word) for word in answer.split()[:2])
        lines.append(f"heap:      {free:,} bytes free, {used:,} used, {free + used:,} total")
    except ValueError:
        lines.append(f"heap:      unknown (the board answered {answer[:80]!r})")
    kernel.print("\n".join(lines) + "\n")


@line_magic("lsmagic", "%lsmagic", "list the magics with one line of help each")
async def lsmagic(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    magics = sorted(MAGICS.values(), key=lambda m: (m.cell, m.name))
    width = max(len(m.usage) for m in magics)
    lines = [f"{m.usage:<{width}}  {m.help}" for m in magics]
    kernel.print("Magics (everything else runs on the target as MicroPython):\n" + "\n".join(lines) + "\n")
