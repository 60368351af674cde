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


# Bytes with a meaning to the raw REPL or the line (Ctrl-A..Ctrl-E end or abort a paste, NUL does not
# arrive as itself) and the other C0 controls: inside a string literal they travel as escapes.
_CONTROL = {code for code in range(0x20) if chr(code) not in "\t\n\r"} | {0x7F}


class UnsendableSource(ValueError):
    """A cell holds a control character that cannot travel to the board as it is (line, column)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def sendable_source(code: str) -> str:
    """``code`` with each control character inside a string literal (or a comment) written as an
    escape (``'a\\x03b'`` becomes ``'a\\\\x03b'``: the same string), so that it reaches the board as
    itself instead of ending the raw REPL's paste. Raises UnsendableSource where that cannot keep the
    meaning (a raw string, or code outside any literal, where the board would refuse it anyway)."""
    import io
    import tokenize

    if not any(ord(char) in _CONTROL for char in code):
        return code  # the usual case: nothing to do, no tokenizing
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, ValueError):
        line = _first_control_line(code)
        raise UnsendableSource(_refusal(code, line, "outside a string literal"), line) from None
    lines = code.split("\n")
    # Replace from the end, so that earlier positions stay valid.
    for token in reversed(tokens):
        if not any(ord(char) in _CONTROL for char in token.string):
            continue
        (start_row, start_col), (end_row, end_col) = token.start, token.end
        if token.type == tokenize.STRING:
            prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
            if "r" in prefix.lower():
                raise UnsendableSource(_refusal(code, start_row, "in a raw string (r'...')"), start_row)
        elif token.type != tokenize.COMMENT:
            raise UnsendableSource(_refusal(code, start_row, "outside a string literal"), start_row)
        escaped = "".join(f"\\x{ord(c):02x}" if ord(c) in _CONTROL else c for c in token.string)
        before = "\n".join(lines[: start_row - 1] + [lines[start_row - 1][:start_col]])
        after = "\n".join([lines[end_row - 1][end_col:]] + lines[end_row:])
        lines = (before + escaped + after).split("\n")
    return "\n".join(lines)


def _first_control_line(code: str) -> int:
    for number, line in enumerate(code.split("\n"), start=1):
        if any(ord(char) in _CONTROL for char in line):
            return number
    return 1


def _refusal(code: str, line: int, where: str) -> str:
    text = code.split("\n")[line - 1] if line - 1 < len(code.split("\n")) else ""
    char = next((c for c in text if ord(c) in _CONTROL), "\x00")
    return (
        f"line {line} holds the control character U+{ord(char):04X} {where}; it cannot travel to the board "
        f"as it is: write it as an escape, e.g. '\\x{ord(char):02x}' in a normal string"
    )
