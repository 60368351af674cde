"""Faults on the simulated board: the kernel survives each with a clear message; the next cell works."""

from __future__ import annotations

import threading
import time

import psutil

from tests.kernel_driver import KernelSession


def test_a_megabyte_of_output_is_bounded_and_readable(kernel: KernelSession) -> None:
    run = kernel.execute(
        "line = 'x' * 999\nfor i in range(1000):\n    print(line)\nprint('THE END')", timeout=120
    )
    assert run.status == "ok"
    shown = run.stdout
    assert len(shown) < 250_000  # 1 MB printed, about 200 KB shown
    assert "characters of output not shown" in shown
    assert shown.rstrip().endswith("THE END")  # the newest lines are kept
    assert kernel.execute("print('next')").stdout == "next\n"


def test_a_hundred_thousand_lines_arrive_in_few_messages(kernel: KernelSession) -> None:
    run = kernel.execute("for i in range(100000):\n    print(i)", timeout=120)
    assert run.status == "ok"
    streams = run.of_type("stream")
    # Coalesced: never one message per line.
    assert len(streams) < 1_000
    assert run.stdout.startswith("0\n1\n2\n")
    assert run.stdout.rstrip().endswith("99999")


def test_non_utf8_bytes_are_shown_safely(kernel: KernelSession) -> None:
    run = kernel.execute("import sys\nsys.stdout.buffer.write(b'ok \\xff\\xfe end\\n')")
    assert run.status == "ok"
    assert run.stdout == "ok \ufffd\ufffd end\n"


def test_deep_recursion_is_a_runtime_error(kernel: KernelSession) -> None:
    run = kernel.execute("def down(n):\n    return down(n + 1)\ndown(0)")
    assert run.error is not None and run.error["ename"] == "RuntimeError"
    assert "recursion" in run.error["evalue"]
    assert kernel.execute("print(1 + 1)").stdout == "2\n"


def test_filling_the_heap_is_a_memory_error_and_the_board_recovers(kernel: KernelSession) -> None:
    run = kernel.execute("hoard = []\nwhile True:\n    hoard.append(bytearray(1024))")
    assert run.error is not None and run.error["ename"] == "MemoryError"
    run = kernel.execute(
        "print(len(hoard) > 50)\ndel hoard\nimport gc\ngc.collect()\nprint(gc.mem_free() > 100000)"
    )
    assert run.stdout == "True\nTrue\n"


def test_a_crashing_vm_gives_a_clear_error_and_a_fresh_vm(kernel: KernelSession) -> None:
    kernel.execute("before_crash = 1")
    # Reading address 0 crashes the unix-port VM with SIGSEGV, as a bad pointer would.
    run = kernel.execute("import uctypes\nprint(uctypes.bytearray_at(0, 4)[0])")
    assert run.error is not None and run.error["ename"] == "BoardRestarted"
    assert "crashed" in run.error["evalue"] and "SIGSEGV" in run.error["evalue"]
    assert kernel.is_alive()
    assert kernel.execute("print('fresh')").stdout == "fresh\n"


def test_two_interrupts_in_a_row(kernel: KernelSession) -> None:
    kernel.execute("survivor = 'here'")

    def press_twice() -> None:
        time.sleep(1.0)
        kernel.interrupt()
        kernel.interrupt()

    thread = threading.Thread(target=press_twice)
    thread.start()
    run = kernel.execute("while True:\n    pass", timeout=30)
    thread.join()
    assert run.error is not None and run.error["ename"] == "KeyboardInterrupt"
    time.sleep(0.5)
    assert kernel.execute("print(survivor)").stdout == "here\n"


def test_interrupting_an_interrupt_handler_loop(kernel: KernelSession) -> None:
    # Code that swallows KeyboardInterrupt: the stop button escalates to a fresh VM within seconds.
    thread = threading.Thread(target=lambda: (time.sleep(1.0), kernel.interrupt()))
    thread.start()
    code = "while True:\n    try:\n        while True:\n            pass\n"
    code += "    except KeyboardInterrupt:\n        pass\n"
    run = kernel.execute(code, timeout=30)
    thread.join()
    assert run.error is not None and run.error["ename"] == "BoardRestarted"
    assert kernel.execute("print('back')").stdout == "back\n"


def test_restart_during_a_running_cell() -> None:
    session = KernelSession()
    try:
        session.client.execute("while True:\n    pass")
        time.sleep(1.0)
        session.manager.restart_kernel(now=False)
        session.client.wait_for_ready(timeout=60)
        assert session.execute("print('after restart')").stdout == "after restart\n"
    finally:
        session.close()


def test_a_thousand_cells_without_memory_growth_or_lost_output(kernel: KernelSession) -> None:
    kernel_process = psutil.Process(kernel.manager.provisioner.process.pid)
    cells = [
        "print('cell', {i})",
        "data_{m} = [x * x for x in range(200)]\nprint('cell', {i}, sum(data_{m}))",
        "import gc\ngc.collect()\nprint('cell', {i}, gc.mem_free() > 0)",
        "text = ''.join(str(x) for x in range(100))\nprint('cell', {i}, len(text))",
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    print('cell', {i})",
    ]
    for i in range(100):  # warm up: caches, history, first allocations
        kernel.execute(cells[i % len(cells)].format(i=i, m=i % 10))
    before = kernel_process.memory_info().rss
    for i in range(1000):
        run = kernel.execute(cells[i % len(cells)].format(i=i, m=i % 10))
        assert run.stdout.startswith(f"cell {i}"), run.stdout
    after = kernel_process.memory_info().rss
    # Stated bound: the kernel process grows by less than 20 MB over 1,000 cells.
    assert after - before < 20 * 1024 * 1024, (before, after)
