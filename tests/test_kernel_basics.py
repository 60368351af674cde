"""The foundation: a MicroPython kernel answering every request a notebook sends, on the simulated board."""

from __future__ import annotations

import threading
import time

from tests.kernel_driver import KernelSession


def test_kernel_info_describes_micropython(kernel: KernelSession) -> None:
    reply = kernel.client.kernel_info(reply=True)["content"]
    info = reply["language_info"]
    assert info["name"] == "micropython"
    assert info["mimetype"] == "text/x-python"
    assert info["file_extension"] == ".py"
    assert info["codemirror_mode"]["name"] == "python"
    assert info["version"].startswith("1.")
    assert reply["implementation"] == "micropython_kernel"


def test_runs_real_micropython(kernel: KernelSession) -> None:
    run = kernel.execute("import sys\nprint(sys.implementation.name)")
    assert run.status == "ok"
    assert run.stdout == "micropython\n"


def test_stdout_streams_while_the_cell_runs(kernel: KernelSession) -> None:
    run = kernel.execute("import time\nprint('first')\ntime.sleep(1)\nprint('second')")
    streams = [m["content"]["text"] for m in run.of_type("stream")]
    assert run.stdout == "first\nsecond\n"
    # 'first' was sent on its own, a second before 'second' was printed: streamed, not sent at the end.
    assert streams[0] == "first\n"


def test_error_has_micropython_name_value_and_cell_line(kernel: KernelSession) -> None:
    run = kernel.execute("%status\nx = 1\n\ndef f():\n    return 1 / 0\n\nf()")
    assert run.status == "error"
    assert run.reply["content"]["ename"] == "ZeroDivisionError"
    error = run.error
    assert error is not None
    assert error["ename"] == "ZeroDivisionError"
    assert error["evalue"] == "divide by zero"
    text = "\n".join(error["traceback"])
    count = run.reply["content"]["execution_count"]
    # Line 7 of the cell calls f, line 5 divides: numbers count the %status line too.
    assert f"Cell In[{count}], line 7, in <module>" in text
    assert f"Cell In[{count}], line 5, in f" in text


def test_syntax_error_is_an_error_and_the_kernel_goes_on(kernel: KernelSession) -> None:
    run = kernel.execute("for i in :\n  pass")
    assert run.status == "error"
    assert run.error is not None and run.error["ename"] == "SyntaxError"
    assert kernel.execute("print('still here')").stdout == "still here\n"


def test_last_expression_is_the_cell_result(kernel: KernelSession) -> None:
    run = kernel.execute("values = [1, 2]\nvalues + [3]")
    results = run.of_type("execute_result")
    assert results and results[0]["content"]["data"]["text/plain"] == "[1, 2, 3]"
    assert kernel.execute("print('no result')").of_type("execute_result") == []
    assert kernel.execute("values;").of_type("execute_result") == []


def test_heap_is_the_profiles_heap(kernel: KernelSession) -> None:
    run = kernel.execute("import gc\ngc.collect()\nprint(gc.mem_free())")
    free = int(run.stdout)
    # The esp32 profile's 128 KB heap, not the host's memory. (mem_alloc() also counts the part of
    # the VM's heap held for the simulated hardware's modules, which a real board keeps in flash.)
    assert 100_000 < free <= 132 * 1024
    run = kernel.execute("big = bytearray(200_000)")
    assert run.error is not None and run.error["ename"] == "MemoryError"
    info = kernel.execute("import micropython\nmicropython.mem_info()").stdout
    assert "GC: total:" in info


def _interrupt_after(kernel: KernelSession, seconds: float) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), kernel.interrupt()))
    thread.start()
    return thread


def test_stop_button_ends_a_busy_loop_and_keeps_state(kernel: KernelSession) -> None:
    kernel.execute("kept = 42")
    thread = _interrupt_after(kernel, 1.0)
    run = kernel.execute("while True:\n    pass", timeout=30)
    thread.join()
    assert run.status == "error"
    assert run.error is not None and run.error["ename"] == "KeyboardInterrupt"
    assert kernel.execute("print(kept)").stdout == "42\n"


def test_stop_button_ends_a_sleeping_loop_and_keeps_state(kernel: KernelSession) -> None:
    kernel.execute("kept_too = 'yes'")
    thread = _interrupt_after(kernel, 1.0)
    run = kernel.execute("import time\nwhile True:\n    time.sleep_ms(10)", timeout=30)
    thread.join()
    assert run.error is not None and run.error["ename"] == "KeyboardInterrupt"
    assert kernel.execute("print(kept_too)").stdout == "yes\n"


def test_interrupt_between_cells_is_harmless(kernel: KernelSession) -> None:
    kernel.execute("between = 1")
    kernel.interrupt()
    kernel.interrupt()
    time.sleep(0.5)
    assert kernel.execute("print(between)").stdout == "1\n"


def test_sys_exit_gives_a_clear_error_and_a_fresh_vm(kernel: KernelSession) -> None:
    kernel.execute("lost = 1")
    run = kernel.execute("import sys\nsys.exit()")
    assert run.status == "error"
    assert run.error is not None and run.error["ename"] == "BoardRestarted"
    assert "fresh VM" in run.error["evalue"]
    assert kernel.is_alive()
    after = kernel.execute("print('alive')\nprint(lost)")
    assert after.stdout == "alive\n"
    assert after.error is not None and after.error["ename"] == "NameError"


def test_magics(kernel: KernelSession) -> None:
    listing = kernel.execute("%lsmagic").text
    for name in ("%connect", "%reset", "%status", "%lsmagic"):
        assert name in listing
    unknown = kernel.execute("%nosuchmagic")
    assert unknown.error is not None and "%connect" in unknown.error["evalue"]
    status = kernel.execute("%status").text
    assert "simulated esp32" in status and "bytes free" in status
    kernel.execute("forgotten = 1")
    assert "fresh" in kernel.execute("%reset").stdout
    assert kernel.execute("print(forgotten)").error["ename"] == "NameError"
    bad = kernel.execute("%connect sim nosuchboard")
    assert bad.error is not None and "esp32" in bad.error["evalue"]


def test_connect_switches_the_profile_and_its_heap(kernel: KernelSession) -> None:
    run = kernel.execute("%connect sim pico\nimport gc\nprint(gc.mem_free() + gc.mem_alloc())")
    assert "simulated pico" in run.stdout
    assert int(run.stdout.splitlines()[-1]) > 150_000  # the pico's ~192 KB heap
    kernel.execute("%connect sim")


def test_completion_uses_the_live_interpreter(kernel: KernelSession) -> None:
    kernel.execute("my_sensor_value = 3\nimport gc")
    reply = kernel.client.complete("my_sen", 6, reply=True)["content"]
    assert "my_sensor_value" in reply["matches"]
    assert reply["cursor_start"] == 0
    code = "x = gc.mem_"
    reply = kernel.client.complete(code, len(code), reply=True)["content"]
    assert {"mem_free", "mem_alloc"} <= set(reply["matches"])
    assert reply["cursor_start"] == len("x = gc.")
    reply = kernel.client.complete("%sta", 4, reply=True)["content"]
    assert "%status" in reply["matches"]


def test_inspect_shows_type_and_value(kernel: KernelSession) -> None:
    kernel.execute("reading = [1, 2, 3]")
    reply = kernel.client.inspect("reading", 3, reply=True)["content"]
    assert reply["found"]
    text = reply["data"]["text/plain"]
    assert "list" in text and "[1, 2, 3]" in text
    assert not kernel.client.inspect("no_such_name", 3, reply=True)["content"]["found"]


def test_is_complete_for_the_console(kernel: KernelSession) -> None:
    def status(code: str) -> str:
        msg_id = kernel.client.is_complete(code)
        return kernel.client._recv_reply(msg_id)["content"]["status"]

    assert status("for i in range(3):") == "incomplete"
    assert status("print(1)") == "complete"
    assert status("x = (") == "incomplete"


def test_history_holds_the_cells(kernel: KernelSession) -> None:
    kernel.execute("history_marker = 'h1'")
    reply = kernel.client.history(hist_access_type="tail", n=5, reply=True)["content"]
    assert any("history_marker = 'h1'" in entry[2] for entry in reply["history"])


def test_restart_gives_a_fresh_interpreter() -> None:
    session = KernelSession()
    try:
        session.execute("before_restart = 1")
        session.manager.restart_kernel(now=False)
        session.client.wait_for_ready(timeout=60)
        run = session.execute("print(before_restart)")
        assert run.error is not None and run.error["ename"] == "NameError"
    finally:
        session.close()
