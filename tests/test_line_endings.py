"""Boards print "\\r\\n"; the kernel shows "\\n", however the bytes are split into chunks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from micropython_kernel.board.serial import LineEndings

BOARD_BYTES = st.binary(max_size=200).map(lambda b: b.replace(b"x", b"\r\n"))  # plenty of CR LF


@given(data=BOARD_BYTES, cuts=st.lists(st.integers(0, 200)))
def test_crlf_becomes_lf_across_chunks(data: bytes, cuts: list[int]) -> None:
    out = bytearray()
    endings = LineEndings(out.extend)
    points = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    for start, end in zip(points, points[1:], strict=False):
        endings.feed(data[start:end])
    endings.close()
    assert bytes(out) == data.replace(b"\r\n", b"\n")
