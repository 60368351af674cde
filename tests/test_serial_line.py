"""Uploads to boards without raw-paste over a line with a real baud rate (tests/serial_line.py relays at
115200 baud: 11,520 bytes a second each way): the kernel finds that the line limits the rate and sends
at the line's rate. Without the relay (QEMU's pty has no baud rate) the small-buffer pacing stays:
test_serial_microbit.py checks that.

Figures (KB/s and share of line rate, ours vs the peer kernel): python benchmarks/serial_vs_peer.py
"""

from __future__ import annotations

import os

import pytest

from tests.kernel_driver import KernelSession
from tests.serial_line import LineRelay

BIG_CELL = (
    "\n".join(f"v{i} = {i} * 2  # a comment to make the cell longer, as real cells are" for i in range(45))
    + "\nprint('sum', "
    + " + ".join(f"v{i}" for i in range(45))
    + ")"
)


@pytest.fixture(scope="module")
def line(microbit):
    relay = LineRelay(microbit.port, baud=115200)
    yield relay
    relay.kill()


@pytest.fixture(scope="module")
def line_kernel(line, notebook_folder):
    session = KernelSession(
        env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=line.port), cwd=str(notebook_folder)
    )
    yield session
    session.close()


def test_the_line_rate_is_found(line_kernel, line):
    run = line_kernel.execute("%status")
    assert run.status == "ok", run.error
    assert line.port in run.text and "micro:bit" in run.text
    assert "raw-paste: no" in run.text and "sent at the line's rate (11.2 KB/s" in run.text


def test_3kb_cells_arrive_whole_at_line_rate(line_kernel):
    assert len(BIG_CELL) > 3000
    for _ in range(10):  # (30 runs with timings: the benchmark)
        run = line_kernel.execute(BIG_CELL)
        assert run.status == "ok", run.error
        assert run.stdout.strip() == f"sum {sum(i * 2 for i in range(45))}"


def test_file_transfer_over_the_line(line_kernel):
    data = "".join(f"line {i}: {'abcdefgh' * 4}\n" for i in range(60))  # 2.6 KB
    run = line_kernel.execute(f"%%writefile data.txt\n{data}")
    assert run.status == "ok", run.error
    assert line_kernel.execute("%cat data.txt").stdout == data
    assert line_kernel.execute("%rm data.txt").status == "ok"


def test_the_pty_board_over_a_line(unix_boards):
    board = unix_boards(baud=115200, raw_paste=False)
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port))
    try:
        run = session.execute("%status")
        assert run.status == "ok", run.error
        assert "raw-paste: no" in run.text and "sent at the line's rate" in run.text
        run = session.execute(BIG_CELL)
        assert run.stdout.strip() == f"sum {sum(i * 2 for i in range(45))}", run.error
    finally:
        session.close()


def test_stop_button_over_the_line(line_kernel):
    import threading

    assert line_kernel.execute("kept = 'here'").status == "ok"
    pressed = []

    def press_once_started(message):
        if message["msg_type"] == "stream" and "started" in message["content"]["text"] and not pressed:
            pressed.append(True)
            threading.Timer(0.3, line_kernel.interrupt).start()

    run = line_kernel.execute(
        "from microbit import sleep\nprint('started')\nwhile True:\n    sleep(10)",
        timeout=60,
        on_message=press_once_started,
    )
    assert run.status == "error" and run.error["ename"] == "KeyboardInterrupt", run.error
    assert line_kernel.execute("print(kept)").stdout.strip() == "here"


def test_attach_over_the_line(unix_boards):
    import threading

    board = unix_boards(
        baud=115200,
        main="import time\nn = 0\nwhile True:\n    n += 1\n    print('n', n)\n    time.sleep_ms(50)\n",
    )
    session = KernelSession()
    try:
        pressed = []

        def press_after_ticks(message):
            if message["msg_type"] == "stream" and "n 3" in message["content"]["text"] and not pressed:
                pressed.append(True)
                threading.Timer(0.2, session.interrupt).start()

        run = session.execute(f"%connect {board.port} --attach", timeout=60, on_message=press_after_ticks)
        assert run.status == "ok", run.error
        assert "n 3" in run.stdout and "Connected to" in run.stdout
        assert int(session.execute("print(n)").stdout) >= 3
    finally:
        session.close()
