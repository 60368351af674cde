"""Two-column tables as rich output: an HTML table where a frontend shows HTML (it wraps its cells
at spaces to the notebook's width), and a text/plain fallback that fits 79 columns, wrapped only
between words (a long path stays whole). Used by %status and %lsmagic."""

from __future__ import annotations

import textwrap
from html import escape

TEXT_WIDTH = 79
KEY_STYLE = "text-align:left;white-space:nowrap;vertical-align:top"


def table(
    rows: list[tuple[str, str]], title: str = "", key_width: int = 10, below: bool = False
) -> dict[str, str]:
    """A mimebundle of ``rows`` (key, value). ``below``: in text, each value on the lines under its key
    (for long keys, such as a magic's usage), else beside it, keys padded to ``key_width``."""
    cells = "".join(
        f'<tr><td style="{KEY_STYLE}"><code>{escape(key)}</code></td>'
        f'<td style="text-align:left">{escape(value)}</td></tr>'
        for key, value in rows
    )
    caption = f'<caption style="text-align:left">{escape(title)}</caption>' if title else ""
    html = f'<table class="mpk-table">{caption}{cells}</table>'
    lines = [title] if title else []
    for key, value in rows:
        if below:
            lines += _wrap(key, "", "  ")
            lines += _wrap(value, "    ", "    ")
        else:
            first = f"{key:<{key_width}} "
            lines += _wrap(value, first, " " * len(first))
    return {"text/html": html, "text/plain": "\n".join(lines)}


def _wrap(text: str, first: str, rest: str) -> list[str]:
    wrapped = textwrap.wrap(
        text,
        TEXT_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped or [first.rstrip()]
