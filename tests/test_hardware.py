"""The simulated board's hardware (machine.Pin/ADC/PWM/Timer, signals, %signal/%pins/%trace),
driven through jupyter_client as a notebook drives the kernel."""

from __future__ import annotations

import re
import time

import pytest

from tests.kernel_driver import KernelSession


@pytest.fixture(scope="module")
def kernel(notebook_folder):
    """The module's kernel runs in its notebook folder (the CSV inputs are read from there)."""
    session = KernelSession(cwd=str(notebook_folder))
    yield session
    session.close()


def ok(kernel: KernelSession, code: str, timeout: float = 60) -> str:
    run = kernel.execute(code, timeout=timeout)
    assert run.error is None, run.error
    return run.stdout


def pins(kernel: KernelSession) -> dict[str, str]:
    """%pins as {pin name: the rest of its line}."""
    lines = ok(kernel, "%pins").splitlines()
    return {line.split()[0]: line for line in lines if line and not line.startswith(("display", " "))}


def last_line(text: str) -> str:
    """What the code printed last (magics print their own lines first)."""
    return text.strip().splitlines()[-1]


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", last_line(text))]


def test_blink_events_arrive_while_the_cell_runs(kernel: KernelSession) -> None:
    code = (
        "%trace GPIO2\n"
        "from machine import Pin\nimport time\n"
        "led = Pin(2, Pin.OUT)\n"
        "for i in range(6):\n"
        "    led.toggle()\n"
        "    time.sleep_ms(150)\n"
        "print('done')\n"
    )
    run = kernel.execute(code)
    assert run.error is None, run.error
    texts = [m["content"]["text"] for m in run.of_type("stream")]
    traced = [i for i, text in enumerate(texts) if "[trace]" in text]
    done = next(i for i, text in enumerate(texts) if "done" in text)
    # Pin changes reached the notebook before the loop ended, not in one lump at the end.
    assert traced and traced[0] < done, texts
    assert "GPIO2=1" in "".join(texts[: done + 1])
    ok(kernel, "%trace off")
    assert "value=0" in pins(kernel)["GPIO2"]  # six toggles: off again


def test_invalid_pins_raise_micropython_errors(kernel: KernelSession) -> None:
    cases = {
        "Pin(6)": "invalid pin",  # GPIO6-11 drive the ESP32's flash
        "Pin(40)": "invalid pin",
        "ADC(Pin(5))": "invalid Pin for ADC",
        "PWM(Pin(34))": "has no PWM",  # GPIO34-39 are input only
        "Pin(35, Pin.OUT)": "pin can only be input",
    }
    for code, message in cases.items():
        run = kernel.execute(f"from machine import Pin, ADC, PWM\n{code}")
        assert run.error is not None, code
        assert run.error["ename"] == "ValueError", run.error
        assert message in run.error["evalue"], run.error
        # The traceback shows the user's line, not the simulator's source (a port's machine is C).
        assert "simulator" not in "\n".join(run.error["traceback"])


def test_button_irq_from_a_replayed_signal(kernel: KernelSession, notebook_folder) -> None:
    presses = notebook_folder / "button.csv"  # host files a magic reads lie in the notebook's folder
    presses.write_text("time,level\n0,1\n0.3,0\n0.6,1\n0.9,0\n1.2,1\n")
    code = (
        "%signal GPIO0 csv button.csv\n"
        "from machine import Pin\nimport time\n"
        "edges = []\n"
        "button = Pin(0, Pin.IN, Pin.PULL_UP)\n"
        "button.irq(lambda p: edges.append(p.value()), Pin.IRQ_FALLING)\n"
        "time.sleep(1.8)\n"
        "print(edges)\n"
    )
    assert last_line(ok(kernel, code)) == "[0, 0]"


def test_button_irq_from_the_host_api_between_cells(kernel: KernelSession) -> None:
    ok(
        kernel,
        "%signal GPIO0 1\nfrom machine import Pin\nimport time\nhits = []\n"
        "b = Pin(0, Pin.IN)\nb.irq(lambda p: hits.append(p.value()))\nprint(b.value())",
    )
    assert last_line(ok(kernel, "%signal GPIO0 0\ntime.sleep_ms(50)\nprint(hits, b.value())")) == "[0] 0"
    assert "value=0" in pins(kernel)["GPIO0"]
    ok(kernel, "%signal GPIO0 off")


@pytest.mark.parametrize(
    "signal, check",
    [
        ("2000", lambda v: set(v) == {2000}),
        ("0.5", lambda v: set(v) == {32767}),  # 0..1 is a fraction of full scale
        ("sine 4Hz", lambda v: min(v) < 10000 and max(v) > 55000),
        ("square 4Hz", lambda v: set(v) <= {0, 65535} and len(set(v)) == 2),
        (
            "triangle 4Hz amplitude=1000 offset=3000",
            lambda v: 2000 <= min(v) < 2300 and 3700 < max(v) <= 4000,
        ),
        (
            "noise 1Hz amplitude=100 offset=1000",
            lambda v: len(set(v)) > 5 and 900 <= min(v) and max(v) <= 1100,
        ),
        (
            "walk 200Hz amplitude=5000 offset=30000",
            lambda v: len(set(v)) > 5 and 25000 <= min(v) <= max(v) <= 35000,
        ),
    ],
)
def test_adc_reads_each_signal_kind(kernel: KernelSession, signal: str, check) -> None:
    code = (
        f"%signal adc34 {signal}\n"
        "from machine import ADC, Pin\nimport time\nadc = ADC(Pin(34))\nvalues = []\n"
        "for i in range(30):\n    values.append(adc.read_u16())\n    time.sleep_ms(10)\n"
        "print(values)\n"
    )
    values = numbers(ok(kernel, code))
    assert len(values) == 30 and check(values), values
    assert "adc=" in pins(kernel)["GPIO34"]


def test_adc_replays_a_csv_at_its_timestamps(kernel: KernelSession, notebook_folder) -> None:
    recording = notebook_folder / "light.csv"
    recording.write_text("# a light sensor\nt,light\n0,100\n0.6,200\n1.2,300\n")
    code = (
        "%signal adc34 csv light.csv column=light\n"
        "from machine import ADC, Pin\nimport time\nadc = ADC(Pin(34))\nseen = []\n"
        "for i in range(18):\n"
        "    v = adc.read_u16()\n"
        "    if not seen or seen[-1] != v: seen.append(v)\n"
        "    time.sleep_ms(100)\n"
        "print(seen)\n"
    )
    assert last_line(ok(kernel, code)) == "[100, 200, 300]"


def test_esp32_adc_extras(kernel: KernelSession) -> None:
    code = (
        "%signal adc34 65535\n"
        "from machine import ADC, Pin\nadc = ADC(Pin(34), atten=ADC.ATTN_11DB)\n"
        "adc.width(ADC.WIDTH_10BIT)\nprint(adc.read(), adc.read_uv())\n"
    )
    assert numbers(ok(kernel, code)) == [1023, 3900000]


def test_pwm_duty_and_frequency(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "from machine import Pin, PWM\npwm = PWM(Pin(4), freq=1000, duty_u16=16384)\n"
        "print(pwm.freq(), pwm.duty_u16())\npwm.duty_ns(750000)\nprint(pwm.duty_u16())",
    )
    assert out.split() == ["1000", "16384", "49151"]
    assert "duty=0.7500 freq=1000" in pins(kernel)["GPIO4"]
    ok(kernel, "pwm.deinit()")
    assert "duty=0.0000" in pins(kernel)["GPIO4"]
    run = kernel.execute("pwm.duty_u16(70000)")
    assert run.error["ename"] == "ValueError"


def test_timer_callbacks_run_while_the_cell_sleeps(kernel: KernelSession) -> None:
    code = (
        "from machine import Timer\nimport time\nticks = []\nonce = []\n"
        "t = Timer(0, mode=Timer.PERIODIC, period=20, callback=lambda t: ticks.append(1))\n"
        "o = Timer(1, mode=Timer.ONE_SHOT, period=50, callback=lambda t: once.append(1))\n"
        "time.sleep(0.5)\nt.deinit()\nn = len(ticks)\ntime.sleep(0.1)\n"
        "print(n, len(ticks) == n, len(once))\n"
    )
    count, stopped, once = last_line(ok(kernel, code)).split()
    assert int(count) >= 5 and stopped == "True" and once == "1"


def test_timer_callbacks_run_in_a_busy_loop(kernel: KernelSession) -> None:
    code = (
        "from machine import Timer\nimport time\nticks = []\n"
        "t = Timer(0, period=10, callback=lambda t: ticks.append(1))\n"
        "start = time.ticks_ms()\n"
        "while time.ticks_diff(time.ticks_ms(), start) < 300:\n    pass\n"
        "t.deinit()\nprint(len(ticks) > 3)\n"
    )
    assert last_line(ok(kernel, code)) == "True"


def test_machine_functions(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "import machine\nprint(machine.freq(), len(machine.unique_id()), machine.mem32)\n"
        "r = machine.RTC()\nr.datetime((2024, 1, 2, 1, 3, 4, 5, 0))\nprint(r.datetime()[:7])\n"
        "machine.idle()\nprint(hasattr(machine, 'time_pulse_us'), hasattr(machine, 'Signal'))",
    )
    assert "160000000 6 <32-bit memory>" in out
    assert "(2024, 1, 2, 1, 3, 4, 5)" in out
    assert "True True" in out


def test_machine_reset_gives_a_fresh_board_and_signals_survive(kernel: KernelSession) -> None:
    ok(kernel, "%signal GPIO0 1\nx = 1")
    run = kernel.execute("import machine\nmachine.reset()")
    assert run.error is not None and "machine.reset()" in run.error["evalue"]
    assert ok(kernel, "print('x' in globals())").strip() == "False"
    assert ok(kernel, "%reset\nfrom machine import Pin\nprint(Pin(0, Pin.IN).value())").strip().endswith("1")
    ok(kernel, "%signal GPIO0 off")


def test_a_toggle_flood_is_coalesced(kernel: KernelSession) -> None:
    code = (
        "from machine import Pin\np = Pin(5, Pin.OUT)\n"
        "for i in range(100000):\n    p.value(i & 1)\nprint('ok')\n"
    )
    assert last_line(ok(kernel, code)) == "ok"
    assert "value=1" in pins(kernel)["GPIO5"]
    events = ok(kernel, "%pins --events 3").splitlines()[-3:]
    assert [line.split()[1:3] for line in events] == [["pin", "GPIO5"]] * 3


def test_signal_magic_lists_and_rejects(kernel: KernelSession) -> None:
    out = ok(kernel, "%signal adc34 sine 2Hz amplitude=100 offset=500\n%signal")
    assert "GPIO34: sine 2 Hz, amplitude 100, offset 500" in out
    assert "inputs: GPIO0," in out
    for bad in (
        "%signal nosuchpin 1",
        "%signal adc34 wobble 1Hz",
        "%signal adc34 sine fast",
        "%signal adc34",
    ):
        run = kernel.execute(bad)
        assert run.error is not None and run.error["ename"] == "UsageError", bad
    ok(kernel, "%signal adc34 off")


@pytest.mark.parametrize("profile, heap_kb", [("pico", 192), ("pyboard", 100), ("esp32", 128)])
def test_each_profile_has_its_boards_heap_and_pins(kernel: KernelSession, profile: str, heap_kb: int) -> None:
    ok(kernel, f"%connect sim {profile}")
    free = int(last_line(ok(kernel, "import gc\ngc.collect()\nprint(gc.mem_free())")))
    assert 0.9 * heap_kb * 1024 <= free <= 1.05 * heap_kb * 1024, free
    led = {"pico": "Pin('LED', Pin.OUT)", "pyboard": "Pin('X1', Pin.OUT)", "esp32": "Pin(2, Pin.OUT)"}
    ok(kernel, f"from machine import Pin\n{led[profile]}.on()")
    assert "value=1" in pins(kernel)[{"pico": "GP25", "pyboard": "X1", "esp32": "GPIO2"}[profile]]


def test_timers_and_handlers_keep_running_between_cells(kernel: KernelSession) -> None:
    ok(
        kernel,
        "from machine import Pin, Timer\nled = Pin(2, Pin.OUT)\nticks = []\n"
        "def blink(t):\n    led.toggle()\n    ticks.append(1)\n"
        "    if len(ticks) == 3:\n        print('three')\n"
        "blinker = Timer(0, period=20, callback=blink)",
    )
    time.sleep(0.5)  # no cell runs: on a board the LED goes on blinking
    out = ok(kernel, "n = len(ticks)\nblinker.deinit()\nprint(n)")
    assert out.splitlines()[0] == "three"  # printed between cells, shown with the next cell
    assert int(last_line(out)) >= 5


def test_irq_on_a_generated_square_wave(kernel: KernelSession) -> None:
    code = (
        "%signal GPIO4 square 10Hz\n"
        "from machine import Pin\nimport time\nfalls = []\n"
        "p = Pin(4, Pin.IN)\np.irq(lambda p: falls.append(1), Pin.IRQ_FALLING)\n"
        "start = time.ticks_ms()\ntime.sleep(1)\np.irq(None)\n"
        "print(len(falls), time.ticks_diff(time.ticks_ms(), start))\n"
    )
    falls, elapsed_ms = (int(x) for x in last_line(ok(kernel, code)).split())
    assert abs(falls - elapsed_ms / 100) <= 2  # one falling edge every 100 ms
    ok(kernel, "%signal GPIO4 off")


def test_junk_on_the_event_pipe_does_not_break_the_board(kernel: KernelSession) -> None:
    code = (
        "import _simwire\n_simwire._events.write(b'not a frame at all\\n' * 10)\n"  # the pipe's own file
        "from machine import Pin\nPin(2, Pin.OUT).value(1)\n"
    )
    ok(kernel, code)
    ok(kernel, "Pin(2, Pin.OUT).value(0)\nPin(2).value(1)")
    assert "value=1" in pins(kernel)["GPIO2"]


def test_pyboard_leds_switch_and_timer(kernel: KernelSession) -> None:
    ok(kernel, "%connect sim pyboard")
    code = (
        "import pyb\nled = pyb.LED(2)\nled.on()\nsw = pyb.Switch()\npresses = []\n"
        "sw.callback(lambda: presses.append(1))\nticks = []\n"
        "t = pyb.Timer(4, freq=50, callback=lambda t: ticks.append(1))\n"
        "pyb.delay(200)\nt.deinit()\nprint(sw.value(), len(ticks) >= 5)\n"
    )
    assert last_line(ok(kernel, code)) == "False True"
    assert "value=1" in pins(kernel)["LED_GREEN"]
    out = ok(kernel, "%signal SW 0\npyb.delay(20)\nprint(sw.value(), len(presses))")
    assert last_line(out) == "True 1"
    run = kernel.execute("pyb.LED(5)")
    assert run.error["ename"] == "ValueError"
    ok(kernel, "%signal SW off\n%connect sim")


def test_signal_and_neopixel(kernel: KernelSession) -> None:
    out = ok(
        kernel,
        "from machine import Pin, Signal\nimport neopixel\n"
        "led = Signal(Pin(2, Pin.OUT), invert=True)\nled.on()\nprint(Pin(2).value(), led.value())\n"
        "strip = neopixel.NeoPixel(Pin(5), 3)\nstrip[0] = (255, 0, 0)\nstrip.fill((0, 0, 16))\n"
        "strip[1] = (1, 2, 3)\nstrip.write()\nprint(strip[1])",
    )
    assert out.splitlines() == ["0 1", "(1, 2, 3)"]
    events = ok(kernel, "%pins --events 1").splitlines()
    assert events[-1].split(" ", 3)[1:] == ["neopixel", "GPIO5", "[(0, 0, 16), (1, 2, 3), (0, 0, 16)]"]


def test_the_microbit_neopixel_module_has_its_own_api() -> None:
    """The micro:bit's neopixel is show() and clear() (its firmware has no write()); the events reach the
    board model as on the other boards."""
    session = KernelSession()
    try:
        ok(session, "%connect sim microbit")
        code = (
            "import neopixel\nfrom microbit import pin0\nnp = neopixel.NeoPixel(pin0, 3)\n"
            "np[0] = (255, 0, 0)\nnp.show()\nnp.clear()\nprint(hasattr(np, 'write'), np[0])"
        )
        assert ok(session, code).strip() == "False (0, 0, 0)"
        events = ok(session, "%pins --events 2").splitlines()
        assert [e.split(" ", 3)[1:] for e in events[-2:]] == [
            ["neopixel", "pin0", "[(255, 0, 0), (0, 0, 0), (0, 0, 0)]"],
            ["neopixel", "pin0", "[(0, 0, 0), (0, 0, 0), (0, 0, 0)]"],
        ]
    finally:
        session.close()
