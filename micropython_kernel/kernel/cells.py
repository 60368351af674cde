"""Split a cell into magics (run by the kernel) and MicroPython code (run on the target)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SplitCell:
    line_magics: list[tuple[str, str]] = field(default_factory=list)  # (name, arguments)
    cell_magic: tuple[str, str] | None = None  # (name, arguments) of a leading %%magic
    body: str = ""  # the code for the target (or the cell magic's body)
    line_offset: int = 0  # lines of the cell above ``body``: added to traceback line numbers


def split_cell(code: str) -> SplitCell:
    """``%%name args`` on the first line makes the rest the magic's body; otherwise leading ``%name``
    lines are line magics and what follows is MicroPython code."""
    lines = code.split("\n")
    result = SplitCell()
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if stripped.startswith("%%") and not result.line_magics:
            name, _, args = stripped[2:].partition(" ")
            result.cell_magic = (name, args.strip())
            index += 1
            break
        if stripped.startswith("%"):
            name, _, args = stripped[1:].partition(" ")
            result.line_magics.append((name, args.strip()))
        elif stripped and not stripped.startswith("#"):
            break
        index += 1
    result.body = "\n".join(lines[index:])
    result.line_offset = index
    return result
