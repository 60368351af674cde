"""Stops and transfers lose no work (issue 18): %put replaces a file only once the new one is complete
(on every target), a full flash says so, an unplugged board says what it left behind."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tests.kernel_driver import KernelSession
from tests.qemu_microbit import QemuMicrobit


def stop_after(session: KernelSession, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, session.interrupt)
    timer.start()
    return timer


def board_file(session: KernelSession, name: str, local) -> bytes:
    """The file's content on the board, fetched with %get into the notebook folder."""
    cell = session.execute(f"%get {name} fetched.bin", timeout=300)
    assert cell.status == "ok", cell.error
    return (local / "fetched.bin").read_bytes()


def check_a_stopped_put_keeps_the_old_file(
    session: KernelSession, folder, size: int, stop_at: float, old_size: int | None = None
) -> None:
    old = os.urandom(old_size or size // 2)
    (folder / "old.bin").write_bytes(old)
    (folder / "new.bin").write_bytes(os.urandom(size))
    assert session.execute("%put old.bin data.bin", timeout=300).status == "ok"
    assert session.execute("kept = 'yes'").status == "ok"
    timer = stop_after(session, stop_at)
    cell = session.execute("%put new.bin data.bin", timeout=300)
    timer.join()
    assert cell.status == "error", cell.stdout
    assert "stopped" in cell.error["evalue"] and "data.bin" in cell.error["evalue"], cell.error
    assert board_file(session, "data.bin", folder) == old
    listing = session.execute("%ls").stdout
    assert ".mpk-part" not in listing, listing
    assert session.execute("print(kept)").stdout == "yes\n"


@pytest.fixture(scope="module")
def sim_kernel(notebook_folder):
    env = dict(os.environ, MICROPYTHON_KERNEL_FLASH="clean")
    session = KernelSession(env=env, cwd=str(notebook_folder))
    yield session
    session.close()


def test_a_stopped_megabyte_put_keeps_the_old_file_on_the_simulated_board(sim_kernel, notebook_folder):
    check_a_stopped_put_keeps_the_old_file(sim_kernel, notebook_folder, 1024 * 1024, 1.0)


def test_a_full_flash_says_no_space_left_and_keeps_the_old_file(sim_kernel, notebook_folder):
    assert sim_kernel.execute("%connect sim microbit").status == "ok"  # a 30 KB flash
    first = os.urandom(12_000)
    (notebook_folder / "first.bin").write_bytes(first)
    (notebook_folder / "second.bin").write_bytes(os.urandom(20_000))
    assert sim_kernel.execute("%put first.bin data.bin").status == "ok"
    cell = sim_kernel.execute("%put second.bin data2.bin")
    assert cell.error is not None and "no space left" in cell.error["evalue"], cell.error
    cell = sim_kernel.execute("%put second.bin data.bin")  # replacing: the old one must survive
    assert cell.error is not None and "no space left" in cell.error["evalue"], cell.error
    assert "unchanged" in cell.error["evalue"]
    assert board_file(sim_kernel, "data.bin", notebook_folder) == first
    assert ".mpk-part" not in sim_kernel.execute("%ls").stdout
    assert sim_kernel.execute("%connect sim esp32").status == "ok"


def test_a_stopped_put_keeps_the_old_file_on_the_pty_board(unix_boards, tmp_path):
    board = unix_boards()
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port), cwd=str(tmp_path))
    try:
        # (A small old file: the pty board drops output the kernel does not read fast enough, as a
        # UART without flow control does, and %get reads it back.)
        check_a_stopped_put_keeps_the_old_file(session, tmp_path, 300_000, 0.4, old_size=2_000)
    finally:
        session.close()


def test_a_stopped_20kb_put_keeps_the_old_file_on_the_microbit(board_kernel, notebook_folder):
    # The micro:bit's os has no rename: the old content is kept on the host and written back.
    check_a_stopped_put_keeps_the_old_file(board_kernel, notebook_folder, 20_000, 1.5)
    assert board_kernel.execute("%rm data.bin").status == "ok"


def test_a_full_microbit_flash_says_no_space_left(board_kernel, notebook_folder):
    (notebook_folder / "huge.bin").write_bytes(os.urandom(40_000))  # its flash holds ~30 KB
    cell = board_kernel.execute("%put huge.bin", timeout=300)
    assert cell.error is not None and "no space left" in cell.error["evalue"], cell.error
    assert "huge.bin" not in board_kernel.execute("%ls").stdout
    assert board_kernel.execute("print(6 * 7)").stdout == "42\n"


def test_an_unplug_during_a_put_says_the_file_is_incomplete(board_kernel, microbit, notebook_folder):
    spare = QemuMicrobit()
    try:
        assert board_kernel.execute(f"%connect {spare.port}").status == "ok"
        (notebook_folder / "big.txt").write_bytes(os.urandom(10_000))
        unplug = threading.Timer(1.0, spare.kill)
        unplug.start()
        started = time.monotonic()
        cell = board_kernel.execute("%put big.txt", timeout=120)
        unplug.join()
        assert cell.status == "error"
        assert "incomplete" in cell.error["evalue"], (time.monotonic() - started, cell.error)
    finally:
        spare.kill()
    assert board_kernel.execute(f"%connect {microbit.port}").status == "ok"
