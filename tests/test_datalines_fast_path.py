"""The fast path for plain number lines gives exactly what the general item-by-item parser gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from micropython_kernel.board.datalines import _parse_items, parse_data_line


@given(st.text(alphabet="0123456789.eE+- \t", max_size=30))
def test_plain_lines_parse_as_the_item_loop_does(line: str) -> None:
    text = line.strip()
    assert parse_data_line(line) == (_parse_items(text) if text else None)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=8))
def test_printed_floats_come_back(values: list[float]) -> None:
    line = " ".join(repr(value) for value in values)
    assert parse_data_line(line) == {str(index): value for index, value in enumerate(values)}
