"""Completion and inspection: the live interpreter on the target (``dir()`` of real objects), with
signatures and docstrings from the board family's MicroPython stubs (kernel/stubs.py).

The board says which names exist; the stubs say what they are. On the simulated board a module or
class the stubs describe offers only the names the stubs know too, so the simulator's own helpers
(``PinBase``, what machine.py imports) stay out of sight; on a real board every live name is offered.
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from IPython.utils.tokenutil import token_at_cursor

from ..board.errors import BoardError
from ..board.protocol import Board
from . import stubs
from .stubs import Doc

_NAME_BEFORE_CURSOR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?$|$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")

# One query prints the globals and the builtins without creating names in the user's namespace.
_GLOBALS_QUERY = "print(dir() + dir(__import__('builtins')))"
# What an object is: its dir(), then its type's name and its own __name__ (modules, classes) where the
# firmware has them (v1.9.2's types have no __name__).
_OBJECT_QUERY = (
    "print(repr(dir({0})))\ntry:\n    print(repr((type({0}).__name__, getattr({0}, '__name__', ''))))\n"
    "except Exception:\n    print(repr(('', '')))"
)


@dataclass
class Completion:
    matches: list[str]
    start: int
    types: list[dict[str, Any]] = field(default_factory=list)  # Jupyter's _jupyter_types_experimental


async def _query_literal(board: Board, query: str) -> Any:
    try:
        return ast.literal_eval((await board.query(query)).strip())
    except (BoardError, ValueError, SyntaxError):
        return None


async def _live_object(board: Board, obj: str) -> tuple[list[str], str, str] | None:
    """(dir, type name, __name__) of the live object ``obj``, or None if it does not exist."""
    try:
        lines = (await board.query(_OBJECT_QUERY.format(obj))).strip().splitlines()
        names, kinds = ast.literal_eval(lines[0]), ast.literal_eval(lines[-1])
    except (BoardError, ValueError, SyntaxError, IndexError):
        return None
    if not (isinstance(names, list) and isinstance(kinds, tuple) and len(kinds) == 2):
        return None
    return [n for n in names if isinstance(n, str)], str(kinds[0]), str(kinds[1])


def _doc_of_live(index: stubs.StubIndex, type_name: str, own_name: str) -> Doc | None:
    """The stub Doc of a live object from what it is: a module, a class, a function, or an instance."""
    if type_name == "module":
        return index.lookup(own_name)
    if type_name == "type" or "function" in type_name:
        return index.top_level(own_name) if own_name else None
    return index.top_level(type_name)  # an instance: its class


async def resolve(board: Board, index: stubs.StubIndex, dotted: str) -> Doc | None:
    """The stub Doc of ``dotted`` as the board sees it: ``machine.Pin``, ``Pin``, ``p.value``, ``m.sleep``."""
    first, *rest = dotted.split(".")
    doc = index.modules.get(first)
    if doc is None:
        live = await _live_object(board, first)
        doc = _doc_of_live(index, live[1], live[2]) if live is not None else index.top_level(first)
    for part in rest:
        if doc is None:
            return None
        doc = doc.members.get(part)
    return doc


def _index_for(board: Board) -> stubs.StubIndex | None:
    return stubs.for_platform(board.info.platform)


async def complete(board: Board, code: str, cursor_pos: int, magic_names: list[str]) -> Completion:
    """The matches for the text before ``cursor_pos``, where they start, and their types/signatures."""
    before = code[:cursor_pos]
    line = before.rsplit("\n", 1)[-1]
    if line.lstrip().startswith("%") and " " not in line.strip():
        typed = line.strip()
        return Completion(sorted(m for m in magic_names if m.startswith(typed)), cursor_pos - len(typed))
    token = _NAME_BEFORE_CURSOR.search(before).group(0)  # type: ignore[union-attr]
    index = _index_for(board)
    members: dict[str, Doc] = {}
    if "." in token:
        obj, _, prefix = token.rpartition(".")
        live = await _live_object(board, obj)
        names = live[0] if live is not None else []
        owner = await resolve(board, index, obj) if index is not None else None
        if owner is not None and owner.members:
            members = owner.members
            if live is None:  # not imported yet: what it will have
                names = list(members)
            elif board.info.kind == "simulated":  # the simulator's own helpers are no board's names
                names = [n for n in names if n in members]
    else:
        prefix = token
        answer = await _query_literal(board, _GLOBALS_QUERY)
        names = [n for n in answer if isinstance(n, str)] if isinstance(answer, list) else []
        names += keyword.kwlist
        if index is not None:
            members = {n: d for n in names if (d := index.top_level(n)) is not None}
    matches = sorted(
        {n for n in names if n.startswith(prefix) and (prefix.startswith("_") or not n.startswith("_"))}
    )
    start = cursor_pos - len(prefix)
    types = []
    for match in matches:
        doc = members.get(match)
        kind = doc.kind if doc else ("keyword" if keyword.iskeyword(match) else "")
        entry = {"start": start, "end": cursor_pos, "text": match, "type": kind}
        if doc is not None and doc.signature:
            entry["signature"] = doc.signature.splitlines()[0]
        types.append(entry)
    return Completion(matches, start, types)


def name_at(code: str, cursor_pos: int) -> str:
    """The dotted name under the cursor, or the callee when the cursor is in a call's arguments
    (``Pin(|``, ``Pin(2, |``), as IPython finds it; "" if there is none."""
    try:
        name = token_at_cursor(code, cursor_pos)
    except Exception:  # noqa: BLE001 (a half-typed cell the tokenizer rejects: no name)
        return ""
    return name if _DOTTED.match(name or "") else ""


async def inspect(board: Board, name: str) -> str | None:
    """What the stubs say about ``name`` (signature, docstring), then the live object's type and repr."""
    if not _DOTTED.match(name) or keyword.iskeyword(name):
        return None
    index = _index_for(board)
    doc = await resolve(board, index, name) if index is not None else None
    parts = [doc.text(name)] if doc is not None else []
    try:
        text = await board.query(f"print(repr(type({name})))\nprint(repr({name})[:2000])")
    except BoardError:
        text = None
    if text is not None:
        kind, _, value = text.partition("\n")
        parts.append(f"{name} on the board\ntype:  {kind.strip()}\nvalue: {value.strip()}")
        if index is None and board.info.platform in stubs.STUB_PACKAGES:
            parts.append(f"(signatures and docs: run `{stubs.FETCH_COMMAND}` once)")
    return "\n\n".join(parts) if parts else None
