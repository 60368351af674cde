"""The simulated micro:bit: the microbit module's display, buttons, pins, accelerometer, temperature,
driven through jupyter_client with inputs set by %signal (the host API the widgets use)."""

from __future__ import annotations

import pytest

from tests.kernel_driver import KernelSession
from tests.test_hardware import last_line, ok, pins


@pytest.fixture(scope="module")
def microbit(notebook_folder) -> KernelSession:
    # In its notebook folder: the CSV inputs a magic reads must lie there.
    kernel = KernelSession(cwd=str(notebook_folder))
    assert "microbit" in ok(kernel, "%connect sim microbit")
    ok(kernel, "from microbit import *")
    yield kernel
    kernel.close()


@pytest.fixture(autouse=True)
def fresh_board(microbit: KernelSession) -> None:
    # A fresh VM per test: 10 KB of heap (with 64-bit objects, twice a real micro:bit's size) fills
    # up with what earlier tests left, and a MemoryError would fail a test about something else.
    ok(microbit, "%reset\nfrom microbit import *")


def display_rows(kernel: KernelSession) -> list[str]:
    lines = ok(kernel, "%pins").splitlines()
    start = lines.index("display:")
    return [line.strip().replace(" ", "") for line in lines[start + 1 : start + 6]]


def test_display_show_image_and_pixels(microbit: KernelSession) -> None:
    ok(microbit, "display.show(Image.HEART)")
    assert display_rows(microbit) == ["09090", "99999", "99999", "09990", "00900"]
    out = ok(microbit, "display.clear()\ndisplay.set_pixel(2, 2, 7)\nprint(display.get_pixel(2, 2))")
    assert last_line(out) == "7"
    assert display_rows(microbit) == ["00000", "00000", "00700", "00000", "00000"]
    run = microbit.execute("display.set_pixel(5, 0, 9)")
    assert run.error["ename"] == "ValueError"


def test_display_show_text_and_scroll(microbit: KernelSession) -> None:
    ok(microbit, "display.show('1')")
    assert display_rows(microbit) == ["09000", "99000", "09000", "09000", "99900"]
    code = (
        "%trace display\n"
        "display.scroll('Hi', delay=20)\n"  # the 5x5 window moves one column a step
        "print(display.get_pixel(0, 0))\n"
    )
    run = microbit.execute(code)
    assert run.error is None, run.error
    assert run.stdout.count("[trace]") >= 1
    assert last_line(run.stdout) == "0"  # the text scrolled off
    ok(microbit, "%trace off")


def test_image_basics(microbit: KernelSession) -> None:
    out = ok(
        microbit,
        "i = Image('90000:09000:00900:00090:00009')\n"
        "print(i.width(), i.height(), i.get_pixel(1, 1))\n"
        "print(i.invert().get_pixel(0, 0), i.shift_left(1).get_pixel(0, 1))\n"
        "print(repr(Image.YES))",
    )
    assert out.splitlines() == ["5 5 9", "0 9", "Image('00000:00009:00090:90900:09000:')"]


def test_buttons_from_a_replayed_signal(microbit: KernelSession, notebook_folder) -> None:
    presses = notebook_folder / "presses.csv"
    presses.write_text("0,0\n0.4,1\n0.5,0\n0.8,1\n0.9,0\n")  # (the cell starts well before 0.4 s)
    code = (
        "%signal button_a csv presses.csv\n"
        "button_a.get_presses()\nsleep(1300)\n"
        "print(button_a.get_presses(), button_a.was_pressed(), button_a.is_pressed())\n"
    )
    assert last_line(ok(microbit, code)) == "2 True False"
    assert last_line(ok(microbit, "%signal button_b 1\nprint(button_b.is_pressed())")) == "True"
    ok(microbit, "%signal button_b 0")


def test_pins(microbit: KernelSession) -> None:
    ok(microbit, "pin0.write_digital(1)\npin2.write_analog(511)")
    state = pins(microbit)
    assert "value=1" in state["pin0"]
    assert "duty=0.4995" in state["pin2"]
    out = ok(microbit, "%signal pin1 0.5\n%signal pin8 1\nprint(pin1.read_analog(), pin8.read_digital())")
    assert last_line(out) == "511 1"
    run = microbit.execute("pin5.read_analog()")
    assert run.error["ename"] == "ValueError"
    run = microbit.execute("pin17.read_digital()")  # pin17/18 are the 3V pads: no such pin
    assert run.error["ename"] == "NameError"


def test_accelerometer_temperature_and_time(microbit: KernelSession) -> None:
    out = ok(
        microbit,
        "%signal accelerometer.x 500\n%signal temperature 30\n"
        "t = running_time()\nsleep(50)\n"
        "print(accelerometer.get_x(), accelerometer.get_z(), accelerometer.current_gesture())\n"
        "print(temperature(), running_time() - t >= 50)",
    )
    assert out.splitlines()[-2:] == ["500 -1024 face up", "30 True"]


def test_heap_is_the_micro_bits(microbit: KernelSession) -> None:
    free = int(last_line(ok(microbit, "import gc\ngc.collect()\nprint(gc.mem_free())")))
    assert 8 * 1024 <= free <= 12 * 1024
    run = microbit.execute("big = bytearray(20000)")
    assert run.error["ename"] == "MemoryError"
    ok(microbit, "%connect sim")
