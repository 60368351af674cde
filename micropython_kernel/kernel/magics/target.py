"""Magics that choose and manage the target: %connect, %disconnect, %ports, %reset, %status, %lsmagic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...board.errors import BoardError
from ...board.ports import list_serial_ports
from ...simulator.profiles import PROFILES
from ..tables import table
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


@line_magic("status", "%status", "the target, its firmware, and its heap")
async def status(session: Session, args: str, body: str | None) -> None:
    board = await session.target.ensure()
    info = board.info
    rows = [
        ("target:", session.target.description()),
        ("firmware:", info.firmware),
        ("version:", f"MicroPython {info.version}"),
        ("platform:", info.platform),
    ]
    rows += [(f"{key}:", value) for key, value in {**info.details, **board.live_details()}.items()]
    # The heap as %heap counts it (the board's own size: on the simulator, not its VM's larger heap).
    try:
        reading = await board.read_heap()
    except BoardError:
        reading = None
    if reading is not None:
        total = reading.free + reading.used
        rows.append(("heap:", f"{reading.free:,} bytes free, {reading.used:,} used, {total:,} total"))
    else:
        rows.append(("heap:", "unknown (the board's answer could not be read)"))
    session.output.display(table(rows))


@line_magic("lsmagic", "%lsmagic", "list the magics with one line of help each")
async def lsmagic(session: Session, args: str, body: str | None) -> None:
    magics = sorted(MAGICS.values(), key=lambda m: (m.cell, m.name))
    rows = [(m.usage, m.help) for m in magics]
    session.output.display(
        table(rows, "Magics (everything else runs on the target as MicroPython):", below=True)
    )
