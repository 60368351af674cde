"""A real MicroPython board over serial: the micro:bit firmware (v1.9.2, no raw-paste) under QEMU."""

from __future__ import annotations

import threading

from tests.qemu_microbit import QemuMicrobit


def test_cells_run_and_keep_state(board_kernel):
    run = board_kernel.execute("x = 6 * 7\nprint('x is', x)")
    assert run.status == "ok", run.error
    assert run.stdout.replace("\r\n", "\n") == "x is 42\n"
    assert board_kernel.execute("print(x + 1)").stdout.strip() == "43"


def test_status_shows_the_firmware(board_kernel, microbit):
    run = board_kernel.execute("%status")
    assert run.status == "ok", run.error
    assert microbit.port in run.text
    assert "micro:bit" in run.text and "1.9.2" in run.text and "microbit" in run.text
    assert "bytes free" in run.text
    assert "raw-paste: no" in run.text and "64-byte buffer" in run.text  # v1.9.2, no baud rate


def test_a_3kb_cell_arrives_whole(board_kernel):
    lines = [f"v{i} = {i} * 2  # a comment to make the cell longer, as real cells are" for i in range(45)]
    code = "\n".join(lines) + "\nprint('sum', " + " + ".join(f"v{i}" for i in range(45)) + ")"
    assert len(code.encode()) > 3000
    run = board_kernel.execute(code)
    assert run.status == "ok", run.error
    assert run.stdout.strip() == f"sum {sum(i * 2 for i in range(45))}"


def test_errors_point_into_the_cell(board_kernel):
    run = board_kernel.execute("a = 1\n\nb = a / 0")
    assert run.status == "error"
    assert run.error["ename"] == "ZeroDivisionError"
    assert any("line 3" in line for line in run.error["traceback"])


def test_syntax_error_is_found_before_sending(board_kernel):
    board_kernel.execute("marker = 'before'")
    run = board_kernel.execute("marker = 'sent'\nfor i in range(3)\n    print(i)")
    assert run.status == "error"
    assert run.error["ename"] == "SyntaxError"
    assert any("Cell In[" in line and "line 2" in line for line in run.error["traceback"])
    assert board_kernel.execute("print(marker)").stdout.strip() == "before"


def test_stop_button_interrupts_and_keeps_state(board_kernel):
    board_kernel.execute("kept = 'still here'")

    def interrupt_once_started(message):
        if message["msg_type"] == "stream" and "started" in message["content"]["text"]:
            threading.Timer(0.3, board_kernel.interrupt).start()

    run = board_kernel.execute(
        "from microbit import sleep\nprint('started')\nwhile True:\n    sleep(10)",
        timeout=30,
        on_message=interrupt_once_started,
    )
    assert run.status == "error"
    assert run.error["ename"] == "KeyboardInterrupt"
    assert board_kernel.execute("print(kept)").stdout.strip() == "still here"


def test_soft_and_hard_reset(board_kernel):
    board_kernel.execute("gone = 1")
    run = board_kernel.execute("%reset")
    assert run.status == "ok", run.error
    assert "soft reset" in run.stdout
    assert board_kernel.execute("print(gone)").error["ename"] == "NameError"
    run = board_kernel.execute("%reset --hard")
    assert run.status == "ok", run.error
    assert "hard reset" in run.stdout
    assert board_kernel.execute("print(1 + 1)").stdout.strip() == "2"


def test_completion_and_values_from_the_board(board_kernel):
    board_kernel.execute("import microbit")
    code = "microbit.disp"
    reply = board_kernel.client.complete(code, len(code), reply=True, timeout=30)["content"]
    assert "display" in reply["matches"]  # replacing the text after the dot
    run = board_kernel.execute("[i * i for i in range(4)]")
    assert run.of_type("execute_result")[0]["content"]["data"]["text/plain"] == "[0, 1, 4, 9]"


def test_ports_lists_what_it_finds(board_kernel):
    run = board_kernel.execute("%ports")
    assert run.status == "ok", run.error
    assert "%connect" in run.stdout or "No serial ports found" in run.stdout


def test_a_board_that_vanishes_mid_cell(board_kernel, microbit):
    spare = QemuMicrobit()  # a second board, unplugged mid-cell
    try:
        run = board_kernel.execute(f"%connect {spare.port}")
        assert run.status == "ok", run.error
        killed_at: list[float] = []

        def unplug_once_started(message):
            if message["msg_type"] == "stream" and "running" in message["content"]["text"] and not killed_at:
                spare.kill()
                killed_at.append(run_clock())

        import time

        started = time.monotonic()

        def run_clock():
            return time.monotonic() - started

        run = board_kernel.execute(
            "from microbit import sleep\nprint('running')\nwhile True:\n    sleep(10)",
            timeout=30,
            on_message=unplug_once_started,
        )
        assert killed_at, "the cell never started"
        assert run.status == "error"
        assert run.error["ename"] == "BoardError"
        assert "went away" in run.error["evalue"] and spare.port in run.error["evalue"]
        error_at = run.arrival[run.messages.index(next(m for m in run.messages if m["msg_type"] == "error"))]
        assert error_at - killed_at[0] < 5.0  # the bound for a clear error
        assert board_kernel.is_alive()
    finally:
        spare.kill()
    # %connect to the other board restores work
    run = board_kernel.execute(f"%connect {microbit.port}")
    assert run.status == "ok", run.error
    assert board_kernel.execute("print('back')").stdout.strip() == "back"


def test_a_board_stuck_in_c_code_ends_the_cell_clearly(board_kernel, microbit):
    # Under QEMU temperature() never returns (the TEMP peripheral is not emulated) and Ctrl-C cannot
    # reach Python code: a board stuck in C. The stop button must still end the cell, with advice.
    stuck = QemuMicrobit()
    try:
        assert board_kernel.execute(f"%connect {stuck.port}").status == "ok"

        def interrupt_once_started(message):
            if message["msg_type"] == "stream" and "reading" in message["content"]["text"]:
                threading.Timer(0.3, board_kernel.interrupt).start()

        run = board_kernel.execute(
            "from microbit import temperature\nprint('reading')\ntemperature()",
            timeout=30,
            on_message=interrupt_once_started,
        )
        assert run.status == "error"
        assert run.error["ename"] == "BoardError"
        assert "did not stop after Ctrl-C" in run.error["evalue"] and "%reset --hard" in run.error["evalue"]
        assert board_kernel.is_alive()
    finally:
        stuck.kill()
    assert board_kernel.execute(f"%connect {microbit.port}").status == "ok"
    assert board_kernel.execute("print('fine')").stdout.strip() == "fine"
