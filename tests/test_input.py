"""input() on the board, answered in the notebook over Jupyter's stdin channel (jupyter_client's
KernelClient.input), on the simulated board, the pty board and the QEMU micro:bit: a typed line reaches
the board, the stop button ends a cell waiting in input() (kernel alive), and a frontend that takes
no input (allow_stdin=False, as nbclient) gets a clear error instead of a hang."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.kernel_driver import KernelSession


@dataclass
class Exchange:
    """What a frontend saw for one cell: its input requests, stdout, stderr and error."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    error: dict[str, Any] | None = None


def run(
    kernel: KernelSession,
    code: str,
    answers: tuple[str, ...] = (),
    interrupt: bool = False,
    allow_stdin: bool = True,
    timeout: float = 60,
) -> Exchange:
    """Run a cell as a notebook does: answer each input request in turn (or press stop at the first)."""
    client = kernel.client
    msg_id = client.execute(code, allow_stdin=allow_stdin)
    seen = Exchange()
    pending = list(answers)
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, f"no idle after {timeout} s: {seen}"
        if (pending or interrupt) and len(seen.requests) < len(answers) + (1 if interrupt else 0):
            try:
                request = client.get_stdin_msg(timeout=0.05)
            except Exception:  # queue.Empty: nothing asked yet
                request = None
            if request is not None:
                assert request["msg_type"] == "input_request"
                seen.requests.append(request["content"])
                if pending:
                    client.input(pending.pop(0))
                else:
                    time.sleep(0.3)  # (the board really waits in input())
                    kernel.manager.interrupt_kernel()
        try:
            message = client.get_iopub_msg(timeout=0.05)
        except Exception:
            continue
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            if content["name"] == "stdout":
                seen.stdout += content["text"]
            else:
                seen.stderr += content["text"]
        elif kind == "error":
            seen.error = content
        elif kind == "status" and content["execution_state"] == "idle":
            return seen


def check_input_works(kernel: KernelSession) -> None:
    """The cases every target must pass."""
    answered = run(kernel, "name = input('name? ')\nprint('hello', name)", answers=("Ada Lovelace",))
    assert answered.error is None, answered
    assert [r["prompt"] for r in answered.requests] == ["name? "]
    assert answered.stdout == "hello Ada Lovelace\n"  # no marker, no echo in the output

    twice = run(
        kernel,
        "a = int(input('a: '))\nb = int(input('b: '))\nprint(a + b)",
        answers=("2", "40"),
    )
    assert twice.error is None and twice.stdout.strip().splitlines()[-1] == "42", twice
    assert [r["prompt"] for r in twice.requests] == ["a: ", "b: "]

    stopped = run(kernel, "x = 1\nwaiting = input('never answered> ')", interrupt=True)
    assert stopped.error is not None and stopped.error["ename"] == "KeyboardInterrupt", stopped
    after = run(kernel, "print('alive', x)")
    assert after.error is None and after.stdout.strip() == "alive 1"  # the board's state is kept

    headless = run(kernel, "value = input('value? ')", allow_stdin=False)
    assert headless.requests == []  # nothing was asked of a frontend that takes no input
    assert headless.error is not None and headless.error["ename"] == "EOFError", headless
    assert "allow_stdin=False" in headless.stderr
    assert run(kernel, "print('still here')").stdout.strip() == "still here"


def test_input_on_the_simulated_board(kernel: KernelSession) -> None:
    check_input_works(kernel)


def test_input_on_the_pty_board(unix_boards) -> None:
    board = unix_boards()
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port))
    try:
        check_input_works(session)
    finally:
        session.close()


def test_input_on_the_qemu_microbit(board_kernel: KernelSession) -> None:
    check_input_works(board_kernel)


def test_input_under_nbclient_is_a_clear_error_not_a_hang(tmp_path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("answer = input('your answer? ')")]
    client = NotebookClient(notebook, kernel_name="micropython", timeout=60, resources={})
    started = time.monotonic()
    with pytest.raises(CellExecutionError) as raised:
        client.execute()
    assert time.monotonic() - started < 60
    assert "EOFError" in str(raised.value)
    outputs = notebook.cells[0].outputs
    assert any("allow_stdin=False" in output.get("text", "") for output in outputs)
