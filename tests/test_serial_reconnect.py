"""A board unplugged between cells and plugged back in on the same port: the next cells reconnect."""

from __future__ import annotations

import os

import pytest

from tests.fake_board import FakeBoard
from tests.kernel_driver import KernelSession


@pytest.fixture
def port_link(tmp_path):
    """A stable port name (as /dev/serial/by-id/... is for a USB board) for boards that come and go."""
    return tmp_path / "ttyFAKE"


def plug_in(link) -> FakeBoard:
    board = FakeBoard()
    if link.is_symlink():
        link.unlink()
    link.symlink_to(board.port)
    return board


def test_the_same_port_coming_back_restores_work(port_link):
    board = plug_in(port_link)
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=str(port_link)))
    try:
        assert session.execute("print('one')").stdout.strip() == "one"
        board.close()  # unplugged
        run = session.execute("print('two')")
        assert run.status == "error" and run.error["ename"] == "BoardError"
        assert str(port_link) in run.error["evalue"]
        board = plug_in(port_link)  # plugged back in
        run = session.execute("print('three')")
        assert run.status == "ok", run.error
        assert run.stdout.strip() == "three"
    finally:
        session.close()
        board.close()
