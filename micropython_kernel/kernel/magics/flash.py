"""%flash: where the simulated board's flash is, and what it starts from (persistent, clean, an image)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...simulator.flashstore import CLEAN, FLASH_ENV, IMAGE, PERSISTENT, FlashChoice
from .files import local_path
from .registry import MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..session import Session

_parser = MagicArgumentParser("%flash")
_parser.add_argument("action", nargs="?", default="", choices=["", "erase", CLEAN, PERSISTENT, IMAGE, "save"])
_parser.add_argument("file", nargs="?")

_USAGE = "%flash [erase | clean | persistent | image FILE | save FILE]"


@line_magic(
    "flash",
    _USAGE,
    "the simulated board's flash: where it is; erase it; start clean or from an image; save an image",
)
async def flash(session: Session, args: str, body: str | None) -> None:
    options = _parser.parse_line(args)
    action, file = options.action, options.file
    if (file is None) != (action not in (IMAGE, "save")):
        raise MagicError(f"usage: {_USAGE}")
    if action in (CLEAN, PERSISTENT, IMAGE):
        await _choose(session, action, file)
        return
    await session.target.ensure()
    board = session.target.simulated
    if board is None:
        raise MagicError("%flash is for the simulated board; a real board's files: %ls, %put, %get, %rm")
    if action == "erase":
        session.print(await board.erase_flash() + " (variables are gone)\n")
        return
    if action == "save":
        assert file is not None
        destination = local_path(file)
        board.save_flash(destination)
        session.print(
            f"Saved the flash of the {board.info.name} to {destination}. Start a board from it with "
            f"%flash image {file}, or {FLASH_ENV}={destination} for headless runs.\n"
        )
        return
    session.print(
        f"flash image: {board.info.details.get('flash image', '?')}\n{board.box.layout.describe()}\n"
    )


async def _choose(session: Session, action: str, file: str | None) -> None:
    """Use ``action``'s flash from now on; the current simulated board restarts on it at once."""
    choice = FlashChoice(PERSISTENT) if action == PERSISTENT else FlashChoice(CLEAN)
    if action == IMAGE:
        assert file is not None
        choice = FlashChoice(IMAGE, local_path(file))
    session.target.flash_choice = choice
    board = session.target.simulated
    if board is None:
        session.print(f"Simulated boards connected from now on start from {choice.describe()}.\n")
        return
    profile, name = board.profile.name, board.board_name
    if board.flash_choice == choice and action == PERSISTENT:
        session.print(f"The {board.info.name} already uses {choice.describe()}.\n")
        return
    await session.target.replace_simulator(profile, name, fresh=action != PERSISTENT)
    session.print(
        f"The {session.target.description()} now starts from {choice.describe()} "
        "(variables are gone; the board's persistent flash is untouched).\n"
    )
