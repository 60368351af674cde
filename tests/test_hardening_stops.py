"""Stops and transfers lose no work (issue 18): a stop never reaches the simulated VM at its prompt."""

from __future__ import annotations

import queue
import time

from tests.kernel_driver import KernelSession


def run_queued_with_stops(kernel: KernelSession, codes: list[str], every: float, timeout: float) -> dict:
    """Queue ``codes`` at once, then press stop every ``every`` s until each cell replied (one thread:
    the client's sockets are not thread-safe). Returns the replies (with their error messages) by msg_id."""
    msg_ids = [kernel.client.execute(code, stop_on_error=False) for code in codes]
    replies: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    while len(replies) < len(msg_ids) and time.monotonic() < deadline:
        kernel.interrupt()
        try:
            reply = kernel.client.get_shell_msg(timeout=every)
        except queue.Empty:
            continue
        replies[reply["parent_header"].get("msg_id")] = reply["content"]
    errors: dict[str, list[dict]] = {}
    while True:
        try:
            message = kernel.client.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            break
        if message["msg_type"] == "error":
            errors.setdefault(message["parent_header"].get("msg_id"), []).append(message["content"])
    for msg_id, content in replies.items():
        content["errors"] = errors.get(msg_id, [])
    return replies


def test_sixty_queued_cells_with_a_stop_every_30_ms_never_kill_the_vm(kernel: KernelSession) -> None:
    assert kernel.execute("%connect sim esp32").status == "ok"
    assert kernel.execute("kept = 'still here'\ncount = 0").status == "ok"
    codes = [
        "count += 1" if i % 3 else "import time\nfor _ in range(20):\n    time.sleep_ms(1)" for i in range(60)
    ]
    replies = run_queued_with_stops(kernel, codes, every=0.03, timeout=180)
    assert len(replies) == 60
    restarted = [e for r in replies.values() for e in r["errors"] if e["ename"] == "BoardRestarted"]
    assert not restarted, restarted[:3]
    for reply in replies.values():  # every cell either ran or was interrupted: nothing else
        assert reply["status"] == "ok" or reply["ename"] == "KeyboardInterrupt", reply
    assert kernel.execute("print(kept)").stdout == "still here\n"
