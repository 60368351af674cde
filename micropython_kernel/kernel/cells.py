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


@dataclass
class LastExpression:
    code: str  # the cell with its last expression assigned to ``_`` (line numbers unchanged)
    has_value: bool  # True when the cell ends in an expression whose value a notebook shows


def _is_print_call(node: object) -> bool:
    import ast

    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"


def assign_last_expression(code: str) -> LastExpression:
    """Rewrite a cell ending in an expression (``x``, ``f(3)``) so its value lands in ``_``, as the REPL does.

    MicroPython's raw REPL runs code as statements and shows no value; a notebook user expects the
    last expression's value as the cell's result. CPython's parser reads the cell (MicroPython's syntax is
    a subset); when it cannot, the cell runs unchanged.
    """
    import ast

    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        # (MemoryError, RecursionError: CPython's parser on a deeply nested cell such as ``x = ---...1``;
        # the board's own compiler reports what is wrong with it, as the user's error.)
        return LastExpression(code, False)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return LastExpression(code, False)
    node = tree.body[-1]
    if node.end_lineno is None or node.end_col_offset is None:
        return LastExpression(code, False)
    if _is_print_call(node.value):  # the most common last line has no value: skip the query for it
        return LastExpression(code, False)
    if code.rstrip().endswith(";"):  # IPython's convention: a trailing ";" hides the value
        return LastExpression(code, False)
    lines = code.split("\n")
    first, last = node.lineno - 1, node.end_lineno - 1
    # Column offsets are in UTF-8 bytes.
    start_line = lines[first].encode()
    end_line = lines[last].encode()
    if first == last:
        lines[first] = (
            start_line[: node.col_offset]
            + b"_ = ("
            + start_line[node.col_offset : node.end_col_offset]
            + b")"
            + start_line[node.end_col_offset :]
        ).decode()
    else:
        lines[first] = (start_line[: node.col_offset] + b"_ = (" + start_line[node.col_offset :]).decode()
        lines[last] = (end_line[: node.end_col_offset] + b")" + end_line[node.end_col_offset :]).decode()
    return LastExpression("\n".join(lines), True)


# Asked after a cell that ended in an expression: the value's repr, unless it is None.
SHOW_LAST_VALUE = "if _ is not None: print(repr(_))"
