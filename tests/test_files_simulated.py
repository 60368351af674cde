"""File magics on the simulated board: the same checks as on the QEMU micro:bit, plus folders."""

from __future__ import annotations

import pytest

from tests.file_magic_checks import check_file_magics, check_paths_that_escape_are_refused
from tests.kernel_driver import KernelSession


@pytest.fixture(scope="module")
def sim_kernel(notebook_folder):
    session = KernelSession(cwd=str(notebook_folder))
    yield session
    session.close()


def test_file_magics(sim_kernel, notebook_folder):
    check_file_magics(sim_kernel, notebook_folder, folders=True)


def test_paths_that_escape_are_refused(sim_kernel, notebook_folder):
    check_paths_that_escape_are_refused(sim_kernel, notebook_folder)


def test_disconnect_then_cells_say_so(sim_kernel):
    run = sim_kernel.execute("%disconnect")
    assert run.status == "ok" and "Disconnected" in run.stdout
    run = sim_kernel.execute("print(1)")
    assert run.status == "error" and "%connect" in run.error["evalue"]
    assert sim_kernel.execute("%connect").status == "ok"
    assert sim_kernel.execute("print(2)").stdout.strip() == "2"


def test_syntax_check_setting(sim_kernel):
    assert "auto" in sim_kernel.execute("%syntaxcheck").stdout
    assert "on" in sim_kernel.execute("%syntaxcheck on").stdout
    run = sim_kernel.execute("x = 1\nif x\n    pass")
    assert run.status == "error" and run.error["ename"] == "SyntaxError"
    assert any("line 2" in line for line in run.error["traceback"])
    sim_kernel.execute("%syntaxcheck auto")


def test_connect_auto_without_a_usb_board(sim_kernel):
    from micropython_kernel.board.ports import auto_port

    if auto_port() is not None:
        pytest.skip("a USB serial board is plugged in here: %connect auto would take it")
    run = sim_kernel.execute("%connect auto")
    assert run.status == "error" and "no USB serial board found" in run.error["evalue"]
    assert sim_kernel.execute("%connect sim").status == "ok"


def test_connect_to_a_missing_port_says_why(sim_kernel):
    run = sim_kernel.execute("%connect /dev/no-such-port")
    assert run.status == "error"
    assert "cannot open /dev/no-such-port" in run.error["evalue"]
    assert sim_kernel.execute("%connect sim").status == "ok"
