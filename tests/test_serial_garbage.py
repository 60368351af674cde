"""Garbage on the line never crashes the kernel: a pty pretends to be a board and says anything."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fake_board import FakeBoard
from tests.kernel_driver import KernelSession


@pytest.fixture(scope="module")
def fake_board():
    board = FakeBoard()
    yield board
    board.close()


@pytest.fixture(scope="module")
def fake_kernel(fake_board):
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=fake_board.port))
    yield session
    session.close()


def _still_works(kernel: KernelSession, board: FakeBoard) -> None:
    board.script = None
    # Leftover garbage may still be arriving; the kernel resynchronises after at most one clear error.
    for _ in range(2):
        run = kernel.execute("print('alive')", timeout=30)
        if run.status == "ok":
            assert run.stdout.strip() == "alive"
            return
        assert run.error["ename"] == "BoardError", run.error
    raise AssertionError(f"the kernel did not recover: {run.error}")


def test_it_connects_to_the_fake_board(fake_kernel, fake_board):
    run = fake_kernel.execute("%status")
    assert fake_board.port in run.text and "fake board" in run.text


def test_non_utf8_output_is_shown_safely(fake_kernel, fake_board):
    fake_board.script = b"OK\xff\xfe caf\xc3\xa9 \x80ok\r\n\x04\x04>"
    run = fake_kernel.execute("x = 1")
    assert run.status == "ok"
    assert "\ufffd" in run.stdout and "café" in run.stdout and "ok" in run.stdout
    _still_works(fake_kernel, fake_board)


def test_garbage_instead_of_ok_is_a_clear_error(fake_kernel, fake_board):
    fake_board.script = b"\x00\xffnot a board\r\n"
    run = fake_kernel.execute("x = 1")
    assert run.status == "error"
    assert run.error["ename"] == "BoardError" and "did not accept the code" in run.error["evalue"]
    _still_works(fake_kernel, fake_board)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(min_size=2, max_size=300), starts_ok=st.booleans())
def test_random_bytes_from_the_board(fake_kernel, fake_board, garbage, starts_ok):
    fake_board.script = (b"OK" if starts_ok else b"") + garbage + b"\x04\x04>"
    run = fake_kernel.execute("x = 1", timeout=30)
    assert run.status in ("ok", "error")
    if run.status == "error":
        assert run.error["ename"] and isinstance(run.error["evalue"], str)
        assert all(isinstance(line, str) for line in run.error["traceback"])
    assert fake_kernel.is_alive()
    _still_works(fake_kernel, fake_board)
