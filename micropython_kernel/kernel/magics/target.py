"""Magics that choose and manage the target: %connect, %reset, %status, %lsmagic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...simulator.profiles import PROFILES
from .registry import MAGICS, MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..kernel import MicroPythonKernel


@line_magic(
    "connect",
    "%connect [sim [PROFILE]]",
    f"connect to a target: the default, or the simulated board with a profile ({', '.join(PROFILES)})",
)
async def connect(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    words = args.split()
    if not words:
        await kernel.connect_default()
    elif words[0] == "sim":
        if len(words) > 2:
            raise MagicError("usage: %connect sim [PROFILE]")
        await kernel.connect_simulator(words[1] if len(words) > 1 else None)
    else:
        raise MagicError(
            f"%connect: cannot connect to {words[0]!r}: use %connect sim [PROFILE] "
            "(serial ports come with the serial-board support)"
        )
    kernel.print(f"Connected to {kernel.board_description()}.\n")


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


_STATUS_QUERY = "import gc\ngc.collect()\nprint(gc.mem_free(), gc.mem_alloc())\ndel gc"


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
    free, used = (int(word) for word in (await board.query(_STATUS_QUERY)).split()[:2])
    lines.append(f"heap:      {free:,} bytes free, {used:,} used, {free + used:,} total")
    kernel.print("\n".join(lines) + "\n")


@line_magic("lsmagic", "%lsmagic", "list the magics with one line of help each")
async def lsmagic(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    magics = sorted(MAGICS.values(), key=lambda m: (m.cell, m.name))
    width = max(len(m.usage) for m in magics)
    lines = [f"{m.usage:<{width}}  {m.help}" for m in magics]
    kernel.print("Magics (everything else runs on the target as MicroPython):\n" + "\n".join(lines) + "\n")
