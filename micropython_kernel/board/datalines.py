"""Parse numeric data lines printed by a target: ``1.5 2.0``, ``(1.5, 2.0)``, ``temp:21.5 hum:40``.

Used by the live plot and by captures. A line with no number, or with words that are not labels,
is text, not data: the parser returns None and nothing is plotted.
"""

from __future__ import annotations

import re

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)"
_LABELLED = re.compile(rf"\s*([A-Za-z_][\w.\-]*)\s*[:=]\s*({_NUMBER})\s*[,;]?")
_BARE = re.compile(rf"\s*({_NUMBER})\s*[,;]?")
_PLAIN = re.compile(r"[0-9.eE+\-\s]+")  # only what bare numbers separated by spaces are made of
_COLUMNS = tuple(str(column) for column in range(64))


def parse_data_line(line: str) -> dict[str, float] | None:
    """The values on one printed line, by series name ("0", "1"... for unlabelled columns)."""
    text = line.strip()
    if text.startswith(("(", "[")) and text.endswith((")", "]")):
        text = text[1:-1]
    if not text:
        return None
    if _PLAIN.fullmatch(text):
        # The common data line ("1.5 2.0"): float() per word, twice as fast as the item loop. With these
        # characters a word float() takes is exactly one _NUMBER, so the result is the loop's.
        words = text.split()
        if len(words) <= len(_COLUMNS):
            try:
                return dict(zip(_COLUMNS, map(float, words), strict=False))  # _COLUMNS is longer
            except ValueError:
                pass  # e.g. "1-2" (two numbers) or "1e" (none): the item loop decides
    return _parse_items(text)


def _parse_items(text: str) -> dict[str, float] | None:
    """Labelled and bare numbers in any mix, item by item."""
    values: dict[str, float] = {}
    position, column = 0, 0
    while position < len(text):
        labelled = _LABELLED.match(text, position)
        if labelled:
            values[labelled.group(1)] = float(labelled.group(2))
            position = labelled.end()
            continue
        bare = _BARE.match(text, position)
        if bare and bare.end() > position:
            values[str(column)] = float(bare.group(1))
            column += 1
            position = bare.end()
            continue
        return None  # words that are not "label:value": a text line
    return values or None


class LineSplitter:
    """Turns streamed text chunks into whole lines (a chunk can end mid-line). Bounded per line."""

    def __init__(self, max_line: int = 4096) -> None:
        self._partial = ""
        self._max_line = max_line

    def feed(self, text: str) -> list[str]:
        text = self._partial + text
        *lines, self._partial = text.split("\n")
        if len(self._partial) > self._max_line:  # a line with no end: not data anyway
            self._partial = ""
        return [line.rstrip("\r") for line in lines]
