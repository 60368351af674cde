"""Timers and irq handlers preempt running code on the simulated board, as on a port: inside a pure
compute loop, with micropython.schedule's rules (no re-entry, disable_irq honoured), and the stop button
still ends a loop, a handler, and a loop a handler started. Counts are loose (a loaded machine);
benchmarks/timer_preemption.py measures the timing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.kernel_driver import KernelSession

PURE_LOOP = "n = 0\nt0 = time.ticks_ms()\nwhile time.ticks_diff(time.ticks_ms(), t0) < {ms}:\n    n += 1\n"


def ok(kernel: KernelSession, code: str, timeout: float = 60) -> str:
    cell = kernel.execute(code, timeout=timeout)
    assert cell.error is None, cell.error
    return cell.stdout


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("notebook")


@pytest.fixture(scope="module")
def kernel(folder: Path):
    session = KernelSession(cwd=str(folder))
    yield session
    session.close()


def stop_after(kernel: KernelSession, seconds: float) -> None:
    threading.Timer(seconds, kernel.manager.interrupt_kernel).start()


def test_a_timer_fires_inside_a_pure_loop(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "from machine import Timer\nimport time\nhits = []\n"
        "t = Timer(0, period=10, callback=lambda t: hits.append(n))\n"
        + PURE_LOOP.format(ms=1000)
        + "t.deinit()\nprint(len(hits), len(set(hits)) > 1)",
    )
    count, spread = out.split()
    assert int(count) >= 50 and spread == "True"  # (100 on an idle machine) at many points of the loop


def test_disable_irq_holds_handlers_and_enable_irq_runs_them(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "from machine import Timer, disable_irq, enable_irq\nimport time\nhits = []\n"
        "t = Timer(0, period=5, callback=lambda t: hits.append(1))\n"
        "state = disable_irq()\n" + PURE_LOOP.format(ms=300) + "held = len(hits)\nenable_irq(state)\n"
        "after_enable = len(hits)\n" + PURE_LOOP.format(ms=300) + "t.deinit()\n"
        "print(held, after_enable, len(hits))",
    )
    held, after_enable, total = (int(word) for word in out.split())
    assert held == 0
    assert after_enable >= 1  # what was due ran at enable_irq
    assert total >= 10


def test_handlers_are_not_re_entered(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "from machine import Timer\nimport time\ndepth = [0, 0]\ncalls = [0]\n"
        "def slow(t):\n"
        "    depth[0] += 1\n"
        "    depth[1] = max(depth)\n"
        "    calls[0] += 1\n"
        "    end = time.ticks_add(time.ticks_ms(), 8)\n"
        "    while time.ticks_diff(end, time.ticks_ms()) > 0:\n"
        "        pass\n"
        "    depth[0] -= 1\n"
        "t = Timer(0, period=2, callback=slow)\n" + PURE_LOOP.format(ms=500) + "t.deinit()\n"
        "print(depth[1], calls[0])",
    )
    deepest, calls = (int(word) for word in out.split())
    assert deepest == 1 and calls >= 5


def test_pin_irq_fires_inside_a_pure_loop_from_a_generator(kernel: KernelSession) -> None:
    ok(kernel, "%signal GPIO4 square 50Hz")
    out = ok(
        kernel,
        "from machine import Pin\nimport time\nedges = [0]\n"
        "def count(pin):\n    edges[0] += 1\n"
        "Pin(4, Pin.IN).irq(count, Pin.IRQ_RISING | Pin.IRQ_FALLING)\n"
        + PURE_LOOP.format(ms=1000)
        + "Pin(4).irq(None)\nprint(edges[0])",
    )
    ok(kernel, "%signal GPIO4 off")
    assert int(out) >= 20  # (~100 edges a second on an idle machine)


def test_pin_irq_fires_inside_a_pure_loop_from_host_input(kernel: KernelSession, folder: Path) -> None:
    """A CSV replay: the kernel writes each new level to the VM's input pipe while the cell runs."""
    rows = "".join(f"{i * 0.1:.1f},{i % 2}\n" for i in range(1, 13))
    (folder / "button.csv").write_text("t,level\n" + rows)
    ok(
        kernel,
        "from machine import Pin\nedges = []\n"
        "Pin(5, Pin.IN).irq(lambda p: edges.append(p.value()), Pin.IRQ_RISING | Pin.IRQ_FALLING)",
    )
    ok(kernel, "%signal GPIO5 csv button.csv")
    out = ok(kernel, "import time\n" + PURE_LOOP.format(ms=1500) + "Pin(5).irq(None)\nprint(len(edges))")
    ok(kernel, "%signal GPIO5 off")
    assert int(out) >= 4  # 11 changes in 1.2 s, each seen by the handler while the loop ran


def test_an_exception_in_a_preempting_handler_is_printed_and_the_loop_goes_on(kernel: KernelSession) -> None:
    cell = kernel.execute(
        "from machine import Timer\nimport time\n"
        "def broken(t):\n    raise ValueError('bad handler')\n"
        "t = Timer(0, mode=Timer.ONE_SHOT, period=50, callback=broken)\n"
        + PURE_LOOP.format(ms=300)
        + "print('loop done', n > 0)"
    )
    assert cell.error is None, cell.error
    assert "ValueError: bad handler" in cell.stdout and "loop done True" in cell.stdout
    assert ".simulator" not in cell.stdout  # the simulator's frames are hidden, as a port's C is


def test_the_stop_button_ends_a_loop_with_a_timer_running(kernel: KernelSession) -> None:
    ok(kernel, "from machine import Timer\nticks = [0]\ndef tick(t):\n    ticks[0] += 1\n")
    for _ in range(3):
        stop_after(kernel, 1.0)
        cell = kernel.execute(
            "t = Timer(0, period=10, callback=tick)\nn = 0\nwhile True:\n    n += 1", timeout=30
        )
        assert cell.error is not None and cell.error["ename"] == "KeyboardInterrupt", cell.error
        assert ok(kernel, "t.deinit()\nprint(n > 0, ticks[0] > 0)").split() == ["True", "True"]


def test_the_stop_button_ends_a_handler_that_never_returns(kernel: KernelSession) -> None:
    """The KeyboardInterrupt lands in the handler (the VM's scheduler would swallow it there); the
    code it preempted stops too, variables kept, no fresh VM."""
    code = (
        "from machine import Timer\n"
        "def forever(t):\n    global spins\n    spins = 0\n    while True:\n        spins += 1\n"
        "t = Timer(0, mode=Timer.ONE_SHOT, period=100, callback=forever)\n"
        "main = 0\nwhile True:\n    main += 1\n"
    )
    for _ in range(2):
        stop_after(kernel, 1.5)
        cell = kernel.execute(code, timeout=30)
        assert cell.error is not None and cell.error["ename"] == "KeyboardInterrupt", cell.error
        assert ok(kernel, "print(main > 0, spins > 0)").split() == ["True", "True"]


def test_the_stop_button_ends_a_loop_started_from_a_handler(kernel: KernelSession) -> None:
    code = (
        "from machine import Timer\nimport time\n"
        "def start(t):\n    global inner\n    inner = 0\n    for i in range(10**9):\n        inner += 1\n"
        "t = Timer(0, mode=Timer.ONE_SHOT, period=50, callback=start)\n"
        "time.sleep(30)\n"
    )
    stop_after(kernel, 1.5)
    cell = kernel.execute(code, timeout=30)
    assert cell.error is not None and cell.error["ename"] == "KeyboardInterrupt", cell.error
    assert ok(kernel, "print(inner > 0)").strip() == "True"


def test_micropython_schedule_from_user_code_still_works(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "import micropython, time\nseen = []\nmicropython.schedule(seen.append, 7)\n"
        + PURE_LOOP.format(ms=50)
        + "print(seen)",
    )
    assert out.strip() == "[7]"
