"""Completion and inspection from the live interpreter on the target (``dir()`` of real objects)."""

from __future__ import annotations

import ast
import keyword
import re

from ..board.errors import BoardError
from ..board.protocol import Board

_NAME_BEFORE_CURSOR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?$|$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_NAME_AROUND = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

# One query prints the globals and the builtins without creating names in the user's namespace.
_GLOBALS_QUERY = "print(dir() + dir(__import__('builtins')))"


async def _board_names(board: Board, query: str) -> list[str]:
    try:
        text = await board.query(query)
        names = ast.literal_eval(text.strip())
    except (BoardError, ValueError, SyntaxError):
        return []
    return [name for name in names if isinstance(name, str)]


async def complete(board: Board, code: str, cursor_pos: int, magic_names: list[str]) -> tuple[list[str], int]:
    """Return (matches, start of the replaced text) for the text before ``cursor_pos``."""
    before = code[:cursor_pos]
    line = before.rsplit("\n", 1)[-1]
    if line.lstrip().startswith("%") and " " not in line.strip():
        typed = line.strip()
        return sorted(m for m in magic_names if m.startswith(typed)), cursor_pos - len(typed)
    token = _NAME_BEFORE_CURSOR.search(before).group(0)  # type: ignore[union-attr]
    if "." in token:
        obj, _, prefix = token.rpartition(".")
        names = await _board_names(board, f"print(dir({obj}))")
    else:
        obj, prefix = "", token
        names = await _board_names(board, _GLOBALS_QUERY) + keyword.kwlist
    matches = sorted(
        {n for n in names if n.startswith(prefix) and (prefix.startswith("_") or not n.startswith("_"))}
    )
    return matches, cursor_pos - len(prefix)


def name_at(code: str, cursor_pos: int) -> str:
    """The dotted name under (or just before) the cursor, or ""."""
    for match in _NAME_AROUND.finditer(code):
        if match.start() <= cursor_pos <= match.end():
            return match.group(0).rstrip(".")
    return ""


async def inspect(board: Board, name: str) -> str | None:
    """A short description of the live object called ``name``: its type and repr."""
    if not _DOTTED.match(name) or keyword.iskeyword(name):
        return None
    query = f"print(repr(type({name})))\nprint(repr({name})[:2000])"
    try:
        text = await board.query(query)
    except BoardError:
        return None
    kind, _, value = text.partition("\n")
    return f"{name}\ntype:  {kind.strip()}\nvalue: {value.strip()}"
