"""Magics that choose and manage the target: %connect, %disconnect, %ports, %reset, %status, %lsmagic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...board.ports import list_serial_ports
from ...simulator.profiles import PROFILES
from .registry import MAGICS, MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..session import Session


@line_magic(
    "connect",
    "%connect [sim [PROFILE] [--name NAME] | PORT [--baud N] [--attach] | auto]",
    f"connect to a target: the default, a simulated board ({', '.join(PROFILES)}; its flash is kept), "
    "a serial port, or the first USB board found",
)
async def connect(session: Session, args: str, body: str | None) -> dict[str, Any] | None:
    target = session.target
    connected = await target.connect(args)
    if connected.power_cycled:
        session.print(
            f"Connected to {target.description()}: power-cycled (variables are gone, "
            "files on its flash kept; boot.py and main.py run).\n"
        )
        return await session.run_on_board((await target.ensure()).startup_code(True))
    if connected.attached is not None:
        session.print(
            f"Attached to {connected.attached.port}: what it prints shows here. Press stop to take it over "
            "(its program stops, its variables stay).\n"
        )
        await session.stream_from_board(connected.attached.watch)
    session.print(f"Connected to {target.description()}.\n")
    return None


@line_magic("disconnect", "%disconnect", "release the target (frees the serial port for other tools)")
async def disconnect(session: Session, args: str, body: str | None) -> None:
    session.print(f"Disconnected from {await session.target.disconnect()}.\n")


@line_magic("ports", "%ports", "list serial ports and what board each looks like")
async def ports(session: Session, args: str, body: str | None) -> None:
    found = list_serial_ports()
    if not found:
        session.print("No serial ports found. Plug a board in (USB data cable, not charge-only).\n")
        return
    lines = [
        f"{p.device:<16} {p.usb_id or 'not USB':<10} {p.looks_like or p.description or '-'}" for p in found
    ]
    hint = "%connect PORT, or %connect auto for the first USB board."
    session.print("\n".join(lines) + "\n" + hint + "\n")


@line_magic(
    "syntaxcheck",
    "%syntaxcheck [on|off|auto]",
    "check cells with mpy-cross before sending them (auto: only for serial boards)",
)
async def syntaxcheck(session: Session, args: str, body: str | None) -> None:
    choices = {"on": True, "off": False, "auto": None}
    word = args.strip()
    if word:
        if word not in choices:
            raise MagicError("usage: %syntaxcheck [on|off|auto]")
        session.syntax_check = choices[word]
    current = {True: "on", False: "off", None: "auto (serial boards only)"}[session.syntax_check]
    session.print(f"syntax check with mpy-cross: {current}\n")


_reset_parser = MagicArgumentParser("%reset")
_reset_parser.add_argument("--hard", action="store_true", help="hard reset (a reboot)")


@line_magic("reset", "%reset [--hard]", "soft reset: a fresh interpreter (files on the board are kept)")
async def reset(session: Session, args: str, body: str | None) -> None:
    options = _reset_parser.parse_line(args)
    board = await session.target.ensure()
    session.print(await board.reset(hard=options.hard) + "\n")
    startup = board.startup_code(options.hard)  # boot.py/main.py of a simulated board
    if startup:
        await session.run_on_board(startup)


# In a function, so that a user's own ``gc`` name is left alone.
_STATUS_QUERY = (
    "def _mpk_st():\n import gc\n gc.collect()\n print(gc.mem_free(), gc.mem_alloc())\n"
    "try:\n _mpk_st()\nfinally:\n del _mpk_st"
)


@line_magic("status", "%status", "the target, its firmware, and its heap")
async def status(session: Session, args: str, body: str | None) -> None:
    board = await session.target.ensure()
    info = board.info
    lines = [
        f"target:    {session.target.description()}",
        f"firmware:  {info.firmware}",
        f"version:   MicroPython {info.version}",
        f"platform:  {info.platform}",
    ]
    lines += [f"{key + ':':<10} {value}" for key, value in {**info.details, **board.live_details()}.items()]
    answer = await board.query(_STATUS_QUERY)
    try:
        free, used = (int(word) for word in answer.split()[:2])
        lines.append(f"heap:      {free:,} bytes free, {used:,} used, {free + used:,} total")
    except ValueError:
        lines.append(f"heap:      unknown (the board answered {answer[:80]!r})")
    session.print("\n".join(lines) + "\n")


@line_magic("lsmagic", "%lsmagic", "list the magics with one line of help each")
async def lsmagic(session: Session, args: str, body: str | None) -> None:
    magics = sorted(MAGICS.values(), key=lambda m: (m.cell, m.name))
    width = max(len(m.usage) for m in magics)
    lines = [f"{m.usage:<{width}}  {m.help}" for m in magics]
    session.print("Magics (everything else runs on the target as MicroPython):\n" + "\n".join(lines) + "\n")
