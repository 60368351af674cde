"""%connect PORT --attach: join a board that runs its main.py without stopping it, show what it prints,
and take it over with the stop button, its state kept. Plain %connect still stops the program at once."""

from __future__ import annotations

import threading

import pytest

from tests.kernel_driver import KernelSession

MAIN_PY = """\
import time
count = 0
while True:
    count += 1
    print('tick', count)
    time.sleep_ms(100)
"""


@pytest.fixture(scope="module")
def kernel_for_boards():
    session = KernelSession()
    yield session
    session.close()


def press_stop_after(session: KernelSession, text: str):
    pressed = []

    def on_message(message):
        if message["msg_type"] == "stream" and text in message["content"]["text"] and not pressed:
            pressed.append(True)
            threading.Timer(0.2, session.interrupt).start()

    return on_message


def test_attach_streams_main_py_and_the_stop_button_takes_over(kernel_for_boards, unix_boards):
    kernel = kernel_for_boards
    board = unix_boards(main=MAIN_PY)
    run = kernel.execute(
        f"%connect {board.port} --attach", timeout=60, on_message=press_stop_after(kernel, "tick 5")
    )
    assert run.status == "ok", run.error
    assert "Attached to" in run.stdout and "tick 5" in run.stdout
    assert "KeyboardInterrupt" in run.stdout  # the program's own traceback, from the board
    assert "Connected to" in run.stdout and board.port in run.stdout
    ticks = [int(line.split()[1]) for line in run.stdout.splitlines() if line.startswith("tick ")]
    # The board kept running what it ran (no reset: counting went on from where it was).
    assert ticks == list(range(ticks[0], ticks[-1] + 1)) and ticks[-1] >= 5
    after = kernel.execute("print(count)")
    assert after.status == "ok", after.error
    assert int(after.stdout) >= ticks[-1]  # main.py's variables are kept
    run = kernel.execute("%status")
    assert run.status == "ok" and "raw-paste: yes" in run.text


def test_attach_ends_by_itself_when_the_program_ends(kernel_for_boards, unix_boards):
    # (It waits first: output printed before the kernel opens the port is gone, as on a USB-serial line.)
    board = unix_boards(
        main="import time\ntime.sleep_ms(3000)\nfor i in range(3):\n    print('step', i)\ndone = True\n"
    )
    run = kernel_for_boards.execute(f"%connect {board.port} --attach", timeout=60)
    assert run.status == "ok", run.error
    assert "step 2" in run.stdout and "Connected to" in run.stdout
    assert kernel_for_boards.execute("print(done)").stdout.strip() == "True"


def test_plain_connect_stops_the_program_at_once(kernel_for_boards, unix_boards):
    board = unix_boards(main=MAIN_PY, ready="tick 2")
    board.wait_ready()  # main.py runs (a connect during the boot would stop the boot, before main.py)
    run = kernel_for_boards.execute(f"%connect {board.port}", timeout=60)
    assert run.status == "ok", run.error
    assert "tick" not in run.stdout and "Connected to" in run.stdout
    first_run = kernel_for_boards.execute("print(count)")
    assert first_run.status == "ok", first_run.error
    first = int(first_run.stdout)
    second = int(kernel_for_boards.execute("print(count)").stdout)
    assert first == second  # stopped: nothing counts any more


def test_attach_needs_a_serial_port(kernel_for_boards):
    run = kernel_for_boards.execute("%connect sim --attach")
    assert run.status == "error" and "serial board" in run.error["evalue"]


MICROBIT_MAIN_PY = """\
from microbit import sleep
count = 0
while True:
    count += 1
    print('tick', count)
    sleep(100)
"""


def reset_board_behind_the_kernels_back(port: str) -> None:
    """Reboot the board (it then runs main.py) with a few raw-REPL bytes, as another tool would."""
    import time

    import serial

    with serial.Serial(port, 115200, timeout=1) as line:
        line.write(b"\r\x03\x03\r\x01")
        time.sleep(0.5)
        line.read(line.in_waiting or 1)
        line.write(b"import microbit\nmicrobit.reset()\x04")  # (fits the board's 64-byte buffer)
        time.sleep(0.5)


def test_attach_on_the_qemu_microbit(kernel_for_boards, microbit):
    kernel = kernel_for_boards
    assert kernel.execute(f"%connect {microbit.port}").status == "ok"
    assert kernel.execute(f"%%writefile main.py\n{MICROBIT_MAIN_PY}").status == "ok"
    assert kernel.execute("%disconnect").status == "ok"
    reset_board_behind_the_kernels_back(microbit.port)
    run = kernel.execute(
        f"%connect {microbit.port} --attach", timeout=60, on_message=press_stop_after(kernel, "tick 3")
    )
    assert run.status == "ok", run.error
    assert "tick 3" in run.stdout and "KeyboardInterrupt" in run.stdout and "Connected to" in run.stdout
    after = kernel.execute("print(count)")
    assert after.status == "ok", after.error
    assert int(after.stdout) >= 3
    assert kernel.execute("%rm main.py").status == "ok"
