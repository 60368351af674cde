"""Faults on a real board (the micro:bit firmware under QEMU): unplugged mid-upload and mid-file-transfer,
reset by its own code, and a 200-cell soak. The kernel stays alive with a clear message every time."""

from __future__ import annotations

import threading
import time

import psutil

from tests.kernel_driver import KernelSession
from tests.qemu_microbit import QemuMicrobit


def _unplug_after(board: QemuMicrobit, seconds: float) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), board.kill()))
    thread.start()
    return thread


def _back_to(kernel: KernelSession, board: QemuMicrobit) -> None:
    run = kernel.execute(f"%connect {board.port}")
    assert run.status == "ok", run.error
    assert kernel.execute("print('back')").stdout.strip() == "back"


def test_unplugged_mid_upload(board_kernel, microbit):
    spare = QemuMicrobit()
    try:
        assert board_kernel.execute(f"%connect {spare.port}").status == "ok"
        # ~3.4 KB: paced for the micro:bit's 64-byte buffer, the upload takes about half a second.
        cell = "values = []\n" + "".join(f"values.append({i})\n" for i in range(250)) + "print(len(values))"
        unplug = _unplug_after(spare, 0.15)
        run = board_kernel.execute(cell, timeout=60)
        unplug.join()
        assert run.status == "error"
        assert run.error["ename"] == "BoardError"
        assert spare.port in run.error["evalue"]
        assert board_kernel.is_alive()
    finally:
        spare.kill()
    _back_to(board_kernel, microbit)


def test_unplugged_mid_file_transfer(board_kernel, microbit, notebook_folder):
    spare = QemuMicrobit()
    try:
        assert board_kernel.execute(f"%connect {spare.port}").status == "ok"
        (notebook_folder / "big.txt").write_text("".join(f"line {i:05d} of a file\n" for i in range(300)))
        unplug = _unplug_after(spare, 0.3)
        run = board_kernel.execute("%put big.txt big.txt", timeout=60)
        unplug.join()
        assert run.status == "error"
        assert run.error["ename"] in ("BoardError", "UsageError")
        assert spare.port in run.error["evalue"] or "went away" in run.error["evalue"]
        assert board_kernel.is_alive()
    finally:
        spare.kill()
    _back_to(board_kernel, microbit)
    assert (notebook_folder / "big.txt").exists()  # the local file is untouched


def test_board_reset_by_its_own_code(board_kernel):
    run = board_kernel.execute("import microbit\nmicrobit.reset()", timeout=60)
    assert board_kernel.is_alive()
    # Whatever the cell reports, the board is usable again afterwards: the next cell runs.
    after = board_kernel.execute("print(6 * 7)", timeout=60)
    if after.status != "ok":  # the kernel asks for a reconnect after a reboot: the next one works
        after = board_kernel.execute("print(6 * 7)", timeout=60)
    assert after.stdout.strip() == "42", (run.error, after.error)


def test_two_hundred_cells_without_growth_or_lost_output(board_kernel):
    process = psutil.Process(board_kernel.manager.provisioner.process.pid)
    cells = [
        "print('cell', {i})",
        "d = [x * x for x in range(20)]\nprint('cell', {i}, sum(d))",
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    print('cell', {i})",
        "import gc\nprint('cell', {i}, gc.mem_free() > 0)",
    ]
    for i in range(20):
        board_kernel.execute(cells[i % len(cells)].format(i=i))
    before = process.memory_info().rss
    for i in range(200):
        run = board_kernel.execute(cells[i % len(cells)].format(i=i), timeout=30)
        assert run.stdout.startswith(f"cell {i}"), (run.stdout, run.error)
    after = process.memory_info().rss
    assert after - before < 20 * 1024 * 1024, (before, after)  # stated bound: 20 MB over 200 cells
