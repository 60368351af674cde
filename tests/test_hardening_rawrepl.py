"""The raw-REPL channel never wedges on what code prints or holds (issue 18), on the simulated board,
the pty board (raw-paste) and the QEMU micro:bit (paced plain raw REPL): each case ends with the next
cell working and the variables kept."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micropython_kernel.board.frames import FrameReader
from tests.kernel_driver import KernelSession

# -- the frame reader alone: whatever the code printed, the frame's end is found ------------------


def read_frame(chunks: list[bytes]) -> tuple[bytes, bytes | None]:
    """Feed ``chunks`` as the board's bytes arrive; bytes after an end reopen it (as RawRepl does)."""
    out = bytearray()
    reader = FrameReader(out.extend)
    for chunk in chunks:
        if reader.done:
            reader.reopen(chunk)
        else:
            rest = reader.feed(chunk)
            if rest:
                reader.reopen(rest)
    return bytes(out), reader.stderr


tracebacks = st.one_of(
    st.just(b""),
    st.binary(max_size=60).map(lambda b: b"Traceback (most recent call last):\r\n" + b.replace(b"\x04", b"")),
)


@settings(max_examples=400, deadline=None)
@given(
    stdout=st.binary(max_size=200) | st.lists(st.sampled_from([b"\x04", b">", b"a", b"\n"])).map(b"".join),
    stderr=tracebacks,
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_the_frame_reader_finds_the_end_whatever_the_code_printed(stdout, stderr, cuts) -> None:
    frame = stdout + b"\x04" + stderr + b"\x04>"
    points = sorted({0, len(frame), *(c for c in cuts if c < len(frame))})
    chunks = [frame[a:b] for a, b in zip(points, points[1:], strict=False)]
    shown, error = read_frame(chunks)
    assert (shown, error) == (stdout, stderr)


# -- through the kernel ------------------------------------------------------------------------------


def check_desync_cases(kernel: KernelSession, slow: float = 1) -> None:
    """The issue's reproducers, each followed by a cell that needs the variables."""
    assert kernel.execute("kept = 42").status == "ok"
    cell = kernel.execute(
        f"import time\nprint('\\x04\\x04>', end='')\ntime.sleep({slow})\nprint('after')", timeout=90
    )
    assert cell.status == "ok", cell.error
    follow = kernel.execute("print(kept)")
    # The late output reaches the notebook: with the cell, or first in the next one on a serial board.
    assert follow.stdout in ("42\n", "after\n42\n"), follow.stdout
    assert "after" in cell.stdout + follow.stdout
    cell = kernel.execute("print('\\x04')\nprint('more')")
    assert cell.status == "ok" and cell.stderr == "", (cell.stderr, cell.error)
    assert cell.stdout == "\x04\nmore\n"
    cell = kernel.execute("print('\\x04abc\\x04>')\nprint('x')")
    assert cell.stdout == "\x04abc\x04>\nx\n" and cell.stderr == ""
    for literal, expected in (("a\x03b", "'a\\x03b'"), ("a\x00b", "'a\\x00b'"), ("a\x04b", "'a\\x04b'")):
        cell = kernel.execute(f"s = '{literal}'\nprint(repr(s), len(s))")
        assert cell.status == "ok", (literal, cell.error)
        assert cell.stdout == f"{expected} 3\n"
    cell = kernel.execute("s = r'a\x04b'")
    assert cell.error is not None and "control character U+0004" in cell.error["evalue"]
    assert kernel.execute("print(kept)").stdout == "42\n"


def test_the_simulated_board_never_wedges(kernel: KernelSession) -> None:
    assert kernel.execute("%connect sim esp32").status == "ok"
    check_desync_cases(kernel)
    # The late output of the first case came with that cell (the board caught up before it ended).
    cell = kernel.execute("print('\\x04\\x04>', end='')\nimport time\ntime.sleep(0.5)\nprint('after')")
    assert cell.stdout == "after\n" and "went on running" in cell.stderr


def test_a_cell_printing_a_frame_end_then_running_forever_is_caught_up_with(kernel: KernelSession) -> None:
    assert kernel.execute("%connect sim esp32\nkept = 1").status == "ok"
    # The next request waits for the real end; after the raw REPL's timeout the code is stopped.
    cell = kernel.execute("print('\\x04\\x04>', end='')\nwhile True:\n    pass", timeout=120)
    follow = kernel.execute("print(kept)", timeout=120)
    assert follow.stdout.endswith("1\n"), (cell.error, follow.error, follow.stderr)


def test_a_stop_during_a_megabyte_put_keeps_the_board_in_step(kernel: KernelSession, tmp_path) -> None:
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "big.bin").write_bytes(os.urandom(1024 * 1024))
    session = KernelSession(cwd=str(folder), env=dict(os.environ, MICROPYTHON_KERNEL_FLASH="clean"))
    try:
        assert session.execute("kept = 'yes'").status == "ok"
        import threading

        timer = threading.Timer(1.0, session.interrupt)
        timer.start()
        cell = session.execute("%put big.bin", timeout=300)
        timer.join()
        assert cell.status == "error", cell.stdout
        follow = session.execute("%status\nprint(kept)")
        assert follow.status == "ok", follow.error
        assert follow.stdout.endswith("yes\n")
    finally:
        session.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.binary(min_size=1, max_size=300))
def test_fuzz_random_bytes_printed_by_code(kernel: KernelSession, noise: bytes) -> None:
    kernel.execute("%connect sim esp32") if not getattr(kernel, "_fuzz_ready", False) else None
    kernel._fuzz_ready = True  # type: ignore[attr-defined]
    assert kernel.execute("fuzz_kept = 1234").status == "ok"
    cell = kernel.execute(f"import sys\nsys.stdout.buffer.write({noise!r})", timeout=60)
    follow = kernel.execute("print(fuzz_kept)", timeout=60)
    assert follow.status == "ok", (noise, cell.error, follow.error)
    assert follow.stdout.endswith("1234\n"), (noise, follow.stdout)


# -- serial boards -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pty_kernel(unix_boards, tmp_path_factory):
    board = unix_boards()
    folder = tmp_path_factory.mktemp("notebook")
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port), cwd=str(folder))
    yield session
    session.close()


def test_the_pty_board_never_wedges(pty_kernel: KernelSession) -> None:
    check_desync_cases(pty_kernel)


def test_the_microbit_never_wedges(board_kernel: KernelSession) -> None:
    check_desync_cases(board_kernel)
