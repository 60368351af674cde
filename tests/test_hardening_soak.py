"""A soak of 1,000 cells mixed with stops, resets, reconnects and printed control bytes (issue 18):
no cell hangs, the VM is never lost to a stop, variables survive everything but a reset."""

from __future__ import annotations

import queue
import random
import time

from tests.kernel_driver import KernelSession

CELLS = 1000


def run_with_stop(kernel: KernelSession, code: str, stop_after: float) -> dict:
    """Run a cell, pressing stop once after ``stop_after`` s; returns the reply's content."""
    msg_id = kernel.client.execute(code, stop_on_error=False)
    deadline = time.monotonic() + 120
    pressed = False
    started = time.monotonic()
    while time.monotonic() < deadline:
        if not pressed and time.monotonic() - started >= stop_after:
            kernel.interrupt()
            pressed = True
        try:
            reply = kernel.client.get_shell_msg(timeout=0.01)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]
    raise AssertionError(f"no reply to {code!r}")


def test_a_thousand_mixed_cells(kernel: KernelSession) -> None:
    rng = random.Random(18)
    assert kernel.execute("%connect sim esp32\ncount = 0").status == "ok"
    expected = 0
    for index in range(CELLS):
        roll = rng.random()
        if index % 100 == 99:  # a reconnect: a fresh board (and VM), the count starts again
            assert kernel.execute("%connect sim esp32\ncount = 0", timeout=60).status == "ok"
            expected = 0
        elif index % 50 == 49:  # a reset
            assert kernel.execute("%reset\ncount = 0", timeout=60).status == "ok"
            expected = 0
        elif roll < 0.1:  # a long cell, stopped
            forever = "import time\nwhile True:\n    time.sleep_ms(5)"
            reply = run_with_stop(kernel, forever, rng.uniform(0, 0.2))
            assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
        elif roll < 0.2:  # a short cell with a stop that may come after it ended
            reply = run_with_stop(kernel, "count += 1", rng.uniform(0, 0.02))
            assert reply["status"] == "ok" or reply["ename"] == "KeyboardInterrupt", reply
            if reply["status"] == "ok":
                expected += 1
            else:  # stopped before or while it ran: ask the board what happened
                expected = int(kernel.execute("print(count)").stdout)
        elif roll < 0.3:  # control bytes printed by the code
            noise = bytes(rng.choice(b"\x00\x01\x03\x04>\r\nOKR\x05") for _ in range(rng.randint(1, 30)))
            cell = kernel.execute(f"import sys\nsys.stdout.buffer.write({noise!r})", timeout=60)
            assert cell.status == "ok", (noise, cell.error)
        else:
            cell = kernel.execute("count += 1", timeout=60)
            assert cell.status == "ok", (index, cell.error)
            expected += 1
    final = kernel.execute("print(count)", timeout=60)
    assert final.stdout.strip().endswith(str(expected)), (final.stdout, expected)
    assert kernel.is_alive()
