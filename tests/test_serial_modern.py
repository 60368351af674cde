"""Serial boards with raw-paste: the unix-port VM relayed to a pty (the modern-firmware path).

(The stop button on this board: test_serial_stop.py.)
"""

from __future__ import annotations

import os

import pytest

from tests.file_magic_checks import check_file_magics
from tests.kernel_driver import KernelSession


@pytest.fixture(scope="module")
def unix_board(unix_boards):
    return unix_boards()


@pytest.fixture(scope="module")
def modern_kernel(unix_board, tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook")
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=unix_board.port), cwd=str(folder))
    session.folder = folder
    yield session
    session.close()


def test_raw_paste_is_used(modern_kernel, unix_board):
    run = modern_kernel.execute("%status")
    assert run.status == "ok", run.error
    assert unix_board.port in run.text and "raw-paste: yes" in run.text


def test_a_22kb_cell(modern_kernel):
    code = "\n".join(f"v{i} = {i}  # {'padding ' * 6}" for i in range(400)) + "\nprint(v0 + v399)"
    assert len(code) > 22_000
    run = modern_kernel.execute(code)
    assert run.status == "ok", run.error
    assert run.stdout.strip() == "399"


def test_file_magics_with_folders(modern_kernel):
    check_file_magics(modern_kernel, modern_kernel.folder, folders=True)
