"""machine.lightsleep and machine.deepsleep on the simulated board, as ports do them."""

from __future__ import annotations

import threading

from tests.kernel_driver import KernelSession


def ok(kernel: KernelSession, code: str) -> str:
    cell = kernel.execute(code, timeout=60)
    assert cell.error is None, cell.error
    return cell.stdout


def test_lightsleep_sleeps_and_keeps_the_program(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "import machine, time\nkept = 1\nt = time.ticks_ms()\nmachine.lightsleep(300)\n"
        "print(time.ticks_diff(time.ticks_ms(), t) >= 300, kept)",
    )
    assert out.split() == ["True", "1"]


def test_deepsleep_ends_the_cell_with_a_wake_up_reset_that_runs_main(kernel: KernelSession) -> None:
    ok(
        kernel,
        "%%writefile main.py\nimport machine\nprint('main.py runs, reset cause', machine.reset_cause())",
    )
    try:
        cell = kernel.execute(
            "x = 5\nimport machine\nprint('to sleep')\nmachine.deepsleep(400)\nprint('never')"
        )
        assert cell.error is None, cell.error
        lines = cell.stdout.splitlines()
        assert lines[0] == "to sleep" and "never" not in cell.stdout
        assert "deepsleep" in lines[1] and "woke with a reset" in lines[1]
        assert lines[2] == "main.py runs, reset cause 4"  # machine.DEEPSLEEP_RESET
        assert ok(
            kernel, "print('x' in globals(), machine.reset_cause() == machine.DEEPSLEEP_RESET)"
        ).split() == [
            "False",
            "True",
        ]
    finally:
        ok(kernel, "import os\nos.remove('main.py')")


def test_the_stop_button_ends_a_deepsleep_without_a_time(kernel: KernelSession) -> None:
    threading.Timer(1.0, kernel.manager.interrupt_kernel).start()
    cell = kernel.execute("import machine\nmachine.deepsleep()", timeout=30)
    assert cell.error is not None and cell.error["ename"] == "KeyboardInterrupt"
    assert ok(kernel, "print('alive')").strip() == "alive"
