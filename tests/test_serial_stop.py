"""The stop button on modern firmware: the pty board's UART turns Ctrl-C into KeyboardInterrupt while
code runs (``tests/unix_board.py``), for code sent by raw-paste and by plain raw REPL.

Latency figures: ``python benchmarks/interrupt_and_soak.py --serial`` (the issue's bound: 2 s).
"""

from __future__ import annotations

import threading

import pytest

from tests.kernel_driver import KernelSession

LOOPS = {
    "busy": "print('started')\nwhile True:\n    counter += 1",
    "sleep_ms": "import time\nprint('started')\nwhile True:\n    counter += 1\n    time.sleep_ms(10)",
}


@pytest.fixture(scope="module")
def kernel_for_boards():
    session = KernelSession()
    yield session
    session.close()


def press_stop_once_started(session: KernelSession):
    pressed = []

    def on_message(message):
        if message["msg_type"] == "stream" and "started" in message["content"]["text"] and not pressed:
            pressed.append(True)
            threading.Timer(0.3, session.interrupt).start()

    return on_message


@pytest.mark.parametrize("raw_paste", [True, False], ids=["raw-paste", "plain-raw-repl"])
@pytest.mark.parametrize("loop", list(LOOPS))
def test_stop_button_keeps_state(kernel_for_boards, unix_boards, raw_paste, loop):
    kernel = kernel_for_boards
    board = unix_boards(raw_paste=raw_paste)
    run = kernel.execute(f"%connect {board.port}\n%status")
    assert run.status == "ok", run.error
    assert ("raw-paste: yes" if raw_paste else "raw-paste: no") in run.text
    assert kernel.execute("counter = 0\nkept = 'still here'").status == "ok"
    run = kernel.execute(LOOPS[loop], timeout=60, on_message=press_stop_once_started(kernel))
    assert run.status == "error"
    assert run.error["ename"] == "KeyboardInterrupt", run.error
    assert any("Cell In[" in line for line in run.error["traceback"])
    after = kernel.execute("print(kept, counter > 0)")
    assert after.stdout.strip() == "still here True", (after.stdout, after.error)
    # The board is fine for the next stop too (the interrupt character went back to being a byte).
    run = kernel.execute(LOOPS[loop], timeout=60, on_message=press_stop_once_started(kernel))
    assert run.error["ename"] == "KeyboardInterrupt", run.error
    assert kernel.execute("print(1 + 1)").stdout.strip() == "2"


def test_a_board_that_does_not_stop(kernel_for_boards, unix_boards):
    kernel = kernel_for_boards
    board = unix_boards(ignore_interrupts=True)  # stuck in C code: Ctrl-C never reaches Python
    assert kernel.execute(f"%connect {board.port}").status == "ok"
    run = kernel.execute(
        "print('started')\nwhile True:\n    pass", timeout=60, on_message=press_stop_once_started(kernel)
    )
    assert run.status == "error"
    assert run.error["ename"] == "BoardError"
    assert "did not stop after Ctrl-C" in run.error["evalue"] and "%reset --hard" in run.error["evalue"]
    assert kernel.is_alive()

    # %reset --hard: the board does not answer, so the kernel asks for the reset button, and waits.
    def press_reset_when_asked(message):
        if message["msg_type"] == "stream" and "reset button" in message["content"]["text"]:
            board.press_reset()

    run = kernel.execute("%reset --hard", timeout=90, on_message=press_reset_when_asked)
    assert run.status == "ok", run.error
    assert "hard reset" in run.stdout
    assert kernel.execute("print('back', 6 * 7)").stdout.strip() == "back 42"
