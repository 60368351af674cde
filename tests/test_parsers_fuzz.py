"""Parsers of what a board prints, under random input: they never raise and keep their promises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from micropython_kernel.board.datalines import LineSplitter, parse_data_line
from micropython_kernel.kernel.traceback import parse_traceback


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_traceback_parser_never_raises(text: str) -> None:
    parsed = parse_traceback(text, "Cell In[1]", line_offset=3)
    if parsed is not None:
        assert parsed.ename and isinstance(parsed.evalue, str)
        assert parsed.traceback[-1].endswith(parsed.evalue) or not parsed.evalue


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6),
    st.sampled_from(["ValueError", "OSError", "KeyboardInterrupt", "MemoryError"]),
    st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=40),
    st.integers(min_value=0, max_value=50),
)
def test_traceback_line_numbers_point_into_the_cell(lines, ename, evalue, offset) -> None:
    frames = "".join(f'  File "<stdin>", line {n}, in f\n' for n in lines)
    parsed = parse_traceback(
        f"Traceback (most recent call last):\n{frames}{ename}: {evalue}\n", "Cell In[7]", offset
    )
    assert parsed is not None
    assert parsed.ename == ename and parsed.evalue == evalue.strip()
    for n, shown in zip(lines, parsed.traceback[1:-1], strict=True):
        assert f"Cell In[7], line {n + offset}," in shown


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_data_line_parser_never_raises_and_returns_floats(text: str) -> None:
    values = parse_data_line(text)
    if values is not None:
        assert values and all(isinstance(v, float) for v in values.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=8))
def test_printed_numbers_come_back(values) -> None:
    for line in (" ".join(repr(v) for v in values), "(" + ", ".join(repr(v) for v in values) + ")"):
        parsed = parse_data_line(line)
        assert parsed is not None
        assert list(parsed.values()) == [float(repr(v)) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.integers(min_value=0, max_value=50), max_size=10))
def test_line_splitter_loses_nothing_whatever_the_chunks(text: str, cuts) -> None:
    splitter = LineSplitter(max_line=10**6)
    points = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    lines = [line for piece in pieces for line in splitter.feed(piece)]
    whole = text.split("\n")[:-1]
    assert lines == [line.rstrip("\r") for line in whole]
