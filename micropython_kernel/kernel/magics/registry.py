"""The magic registry: each magic is a small async function registered with a usage line and help."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from ..session import Session

# A handler gets the session (kernel/session.py: the only thing a magic uses), the argument string and,
# for a cell magic, the cell body. It returns None, or an execute reply: the error of code it ran (on the
# target, or a %%host cell) that was already shown.
MagicHandler = Callable[["Session", str, "str | None"], Awaitable["dict[str, Any] | None"]]


class MagicError(Exception):
    """A magic was used wrongly or could not do its job; the message is shown to the user."""


@dataclass(frozen=True)
class Magic:
    name: str
    cell: bool  # True for %%name (gets the cell body), False for %name
    usage: str
    help: str
    handler: MagicHandler

    @property
    def prefix(self) -> str:
        return "%%" if self.cell else "%"


MAGICS: dict[tuple[bool, str], Magic] = {}


def line_magic(name: str, usage: str, help: str) -> Callable[[MagicHandler], MagicHandler]:
    """Register ``%name``: the handler gets (session, argument string, None)."""
    return _register(name, False, usage, help)


def cell_magic(name: str, usage: str, help: str) -> Callable[[MagicHandler], MagicHandler]:
    """Register ``%%name``: the handler gets (session, argument string, cell body)."""
    return _register(name, True, usage, help)


def _register(name: str, cell: bool, usage: str, help: str) -> Callable[[MagicHandler], MagicHandler]:
    def decorate(handler: MagicHandler) -> MagicHandler:
        MAGICS[(cell, name)] = Magic(name, cell, usage, help, handler)
        return handler

    return decorate


def find_magic(name: str, cell: bool) -> Magic:
    magic = MAGICS.get((cell, name))
    if magic is None:
        known = ", ".join(m.prefix + m.name for m in sorted(MAGICS.values(), key=lambda m: m.name))
        raise MagicError(f"unknown magic {'%%' if cell else '%'}{name}. Known magics: {known} (see %lsmagic)")
    return magic


class MagicArgumentParser(argparse.ArgumentParser):
    """argparse that reports errors as MagicError instead of exiting the kernel."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        super().__init__(prog=prog, add_help=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise MagicError(f"{self.prog}: {message}\n{self.format_usage().strip()}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise MagicError(message or f"{self.prog}: bad arguments")

    def parse_line(self, line: str) -> argparse.Namespace:
        try:
            words = shlex.split(line)
        except ValueError as err:
            raise MagicError(f"{self.prog}: {err}") from err
        return self.parse_args(words)
