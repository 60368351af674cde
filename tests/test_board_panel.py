"""%board through jupyter_client: the pin panel a frontend receives, fed by the simulated board's
hardware events (the ``_simhw`` calls that its ``machine`` module makes), and its input controls."""

from __future__ import annotations

import threading
import time

import pytest

from micropython_kernel.simulator.profiles import get_profile
from tests.kernel_driver import KernelSession
from tests.widget_messages import board_displays, board_pins, comm_opens, shown_widgets, updates


def _levels(pins: dict) -> dict[str, str]:
    """pin name -> level as the picture draws it ("" when unknown)."""
    return {name: "" if pin["v"] is None else str(pin["v"]) for name, pin in pins.items()}


def _modes(pins: dict) -> dict[str, str]:
    return {name: pin["m"] for name, pin in pins.items()}


@pytest.fixture()
def fresh_kernel():
    session = KernelSession()
    yield session
    session.close()


def test_board_shows_every_pin_of_the_profile(kernel):
    run = kernel.execute("%board")
    assert run.status == "ok", run.error
    assert len(shown_widgets(run)) == 1
    pins = _levels(board_pins(run)[-1])
    assert list(pins) == [pin.name for pin in get_profile("esp32").pins]


def test_pin_changes_show_while_the_cell_runs(kernel):
    kernel.execute("%board")
    code = (
        "import _simhw\n"
        "c = _simhw.code_for('pin', 'GPIO2')\n"
        "for i in range(10):\n"
        "    _simhw.level(c, i % 2)\n"
        "    _simhw.sleep_ms(100)\n"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    seen = [
        (t, _levels(m["content"]["data"]["state"]["pins"])["GPIO2"])
        for t, m in zip(run.arrival, run.messages, strict=True)
        if m["msg_type"] == "comm_msg" and "pins" in m["content"]["data"].get("state", {})
    ]
    levels = [level for _, level in seen]
    changes = sum(1 for a, b in zip(levels, levels[1:], strict=False) if a != b)
    assert changes >= 4, seen  # the 100 ms levels are drawn (10 of them), not only the last
    assert seen[0][0] < run.arrival[-1] - 0.3  # ... while the cell ran


def test_100000_toggles_do_not_flood_the_frontend(kernel):
    kernel.execute("%board")
    code = (
        "import _simhw\n"
        "c = _simhw.code_for('pin', 'GPIO4')\n"
        "for i in range(100000):\n"
        "    _simhw.level(c, i & 1)\n"
    )
    started = time.monotonic()
    run = kernel.execute(code + "_simhw.level(c, 1)")
    elapsed = time.monotonic() - started
    assert run.status == "ok", run.error
    comm_msgs = run.of_type("comm_msg")
    assert len(comm_msgs) <= 2 * (30 * elapsed + 3), (len(comm_msgs), elapsed)
    assert _levels(board_pins(run)[-1])["GPIO4"] == "1"  # the final state is drawn


def test_pwm_and_display(kernel):
    kernel.execute("%board")
    code = (
        "import _simhw\n"
        "_simhw.emit('pwm', 'GPIO5', (0.25, 1000))\n"
        "_simhw.emit('display', 'display', '09000:00000:00000:00000:00005')\n"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    pins = board_pins(run)[-1]
    assert _modes(pins)["GPIO5"] == "pwm" and pins["GPIO5"]["d"] == "pwm 25% 1000 Hz"
    assert pins["GPIO5"]["b"] == 0.25  # drawn as a quarter brightness
    assert board_displays(run)[-1] == [0, 9] + [0] * 22 + [5]


def _send_update(session: KernelSession, comm_id: str, state: dict) -> None:
    client = session.client
    client.shell_channel.send(
        client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state}})
    )


def test_input_controls_drive_the_vm_while_a_cell_runs(fresh_kernel):
    fresh_kernel.execute("%board")
    # The code makes GPIO4 an input (pulled down: a press drives it high) and ADC on GPIO34 (the
    # 'mode' and 'adc' events machine.Pin/ADC send), then waits for the host to drive them.
    code = (
        "import _simhw\n"
        "_simhw.emit('mode', 'GPIO4', ('in', 'down'))\n"
        "_simhw.emit('adc', 'GPIO34', 0)\n"
        "_simhw.flush()\n"
        "for i in range(300):\n"
        "    if _simhw.value_of('GPIO4', 0) == 1 and _simhw.value_of('GPIO34', 0) == 30000:\n"
        "        print('driven after', i)\n"
        "        break\n"
        "    _simhw.sleep_ms(20)\n"
    )
    controls: dict[str, str] = {}

    def on_message(message: dict) -> None:
        if message["msg_type"] != "comm_open":
            return
        state = message["content"]["data"]["state"]
        if state.get("description") in ("GPIO4", "GPIO34") and state["description"] not in controls:
            controls[state["description"]] = message["content"]["comm_id"]
            if state["_model_name"] == "ToggleButtonModel":
                _send_update(fresh_kernel, message["content"]["comm_id"], {"value": True})
            else:
                _send_update(fresh_kernel, message["content"]["comm_id"], {"value": 30000.0})

    run = fresh_kernel.execute(code, on_message=on_message)
    assert run.status == "ok", run.error
    assert set(controls) == {"GPIO4", "GPIO34"}
    assert run.stdout.startswith("driven after")
    opened = comm_opens(run)
    assert opened[controls["GPIO4"]]["_model_name"] == "ToggleButtonModel"
    assert opened[controls["GPIO34"]]["_model_name"] == "FloatSliderModel"
    assert all(u for u in updates(run))


def test_a_pin_faster_than_frames_shows_as_toggling_then_settles(kernel):
    kernel.execute("%board")
    code = (
        "import _simhw, time\n"
        "c = _simhw.code_for('pin', 'GPIO5')\n"
        "end = time.ticks_add(time.ticks_ms(), 600)\n"
        "while time.ticks_diff(end, time.ticks_ms()) > 0:\n"
        "    for i in range(100):\n"
        "        _simhw.level(c, i & 1)\n"
        "_simhw.level(c, 0)\n"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    activity = [pins["GPIO5"]["t"] for pins in board_pins(run)]
    assert True in activity[:-1]  # drawn as toggling while the loop ran
    assert activity[-1] is False and _levels(board_pins(run)[-1])["GPIO5"] == "0"  # settled


def test_a_20_hz_blink_is_drawn_as_a_blink(kernel):
    kernel.execute("%board")
    # (_simhw as machine.Pin calls it: importing machine after the floods of the tests above can hit
    # a MemoryError in the fragmented 128 KB heap, which is not what this test is about.)
    code = (
        "import _simhw\nc = _simhw.code_for('pin', 'GPIO2')\n"
        "for i in range(40):\n    _simhw.level(c, i % 2)\n    _simhw.sleep_ms(25)\n"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    levels = [_levels(html)["GPIO2"] for html in board_pins(run)]
    changes = sum(1 for a, b in zip(levels, levels[1:], strict=False) if a != b)
    assert changes >= 5, levels  # (measured: ~19 drawn changes of the 40 at ~20 frames a second)


def test_microbit_display_and_its_input_controls(fresh_kernel):
    shown = fresh_kernel.execute("%connect sim microbit\n%board")
    controls = {state.get("description"): state["_model_name"] for state in comm_opens(shown).values()}
    assert controls.get("button_a") == "ToggleButtonModel"
    assert controls.get("accelerometer.x") == "FloatSliderModel"
    run = fresh_kernel.execute("from microbit import *\ndisplay.show(Image.HEART)")
    assert run.status == "ok", run.error
    heart = "".join(str(b) for b in board_displays(run)[-1])
    assert heart == "0909099999999990999000900"  # Image.HEART, row by row


def test_watched_pins_are_read_after_each_cell(fresh_kernel):
    # What a real board's panel relies on (it sends no events): machine.Pin(id).value() after each
    # cell. Checked here on the simulated board under names its events do not use ("2", not "GPIO2").
    shown = fresh_kernel.execute("%board --watch 2 99")
    assert shown.status == "ok", shown.error
    assert _modes(board_pins(shown)[-1])["2"] == "watched"
    run = fresh_kernel.execute("from machine import Pin\nled = Pin(2, Pin.OUT)\nled.value(1)")
    assert run.status == "ok", run.error
    levels = _levels(board_pins(run)[-1])
    assert levels["2"] == "1" and levels["99"] == ""  # pin 99 does not exist: unknown
    off = fresh_kernel.execute("led.value(0)")
    assert _levels(board_pins(off)[-1])["2"] == "0"


def test_controls_show_a_signal_set_with_the_signal_magic(fresh_kernel):
    fresh_kernel.execute("%board")
    code = (
        "%signal GPIO34 sine 2Hz amplitude=1000 offset=30000\n"
        "from machine import ADC, Pin\nadc = ADC(Pin(34))\nprint(adc.read_u16() > 0)"
    )
    run = fresh_kernel.execute(code)
    assert run.status == "ok", run.error
    final = {comm_id: dict(state) for comm_id, state in comm_opens(run).items()}
    for message in run.of_type("comm_msg"):
        data = message["content"]["data"]
        if data.get("method") == "update" and message["content"]["comm_id"] in final:
            final[message["content"]["comm_id"]].update(data["state"])
    slider = next(s for s in final.values() if s.get("description") == "GPIO34")
    pickers = [s for s in final.values() if s["_model_name"] == "DropdownModel"]
    rates = [s for s in final.values() if s.get("description") == "Hz"]
    assert slider["value"] == 30000.0
    assert [p["_options_labels"][p["index"]] for p in pickers] == ["sine"]
    assert [r["value"] for r in rates] == [2.0]


def test_an_interrupted_blink_leaves_the_panel_drawn_and_working(fresh_kernel):
    fresh_kernel.execute("%board")
    code = (
        "import _simhw\nc = _simhw.code_for('pin', 'GPIO2')\ni = 0\n"
        "while True:\n    i += 1\n    _simhw.level(c, i % 2)\n    _simhw.sleep_ms(50)\n"
    )
    timer = threading.Timer(1.0, fresh_kernel.interrupt)
    timer.start()
    run = fresh_kernel.execute(code, timeout=30)
    timer.join()
    assert run.error is not None and run.error["ename"] == "KeyboardInterrupt"
    assert len(board_pins(run)) >= 4  # it blinked in the panel until the stop
    last_drawn = _levels(board_pins(run)[-1])["GPIO2"]
    level = fresh_kernel.execute("print(i % 2)").stdout.strip()
    assert last_drawn == level  # the final state was drawn
    after = fresh_kernel.execute("_simhw.level(c, 1 - i % 2)")
    assert _levels(board_pins(after)[-1])["GPIO2"] == str(1 - int(level))


def _picture_id(run) -> str:
    opened = comm_opens(run).items()
    return next(comm_id for comm_id, state in opened if "BoardPicture" in state.get("_anywidget_id", ""))


def _send_custom(session: KernelSession, comm_id: str, content: dict) -> None:
    client = session.client
    client.shell_channel.send(
        client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
    )


def test_the_pictures_buttons_press_and_release_while_a_cell_runs(fresh_kernel):
    # What board.js sends on pointer down/up over the micro:bit's button A, and on a click of an input
    # pin's switch: the board sees each, while a loop runs.
    shown = fresh_kernel.execute("%connect sim microbit\n%board")
    picture = _picture_id(shown)
    code = (
        "from microbit import *\nseen = []\n"
        "for i in range(400):\n"
        "    a = button_a.is_pressed()\n"
        "    if not seen or seen[-1] != a:\n"
        "        seen.append(a)\n"
        "        print('A', a)\n"
        "    if seen == [False, True, False]:\n"
        "        break\n"
        "    sleep(20)\n"
    )
    pressed = []

    def on_message(message: dict) -> None:
        if message["msg_type"] == "stream" and "A False" in message["content"]["text"] and not pressed:
            _send_custom(fresh_kernel, picture, {"kind": "press", "name": "button_a", "value": 1})
            pressed.append(1)
        elif message["msg_type"] == "stream" and "A True" in message["content"]["text"] and len(pressed) == 1:
            _send_custom(fresh_kernel, picture, {"kind": "press", "name": "button_a", "value": 0})
            pressed.append(0)

    run = fresh_kernel.execute(code, on_message=on_message, timeout=60)
    assert run.status == "ok", run.error
    assert run.stdout == "A False\nA True\nA False\n"


def test_a_click_on_an_input_pin_of_the_picture_toggles_it(fresh_kernel):
    shown = fresh_kernel.execute("%board")
    picture = _picture_id(shown)
    fresh_kernel.execute("from machine import Pin\nb = Pin(0, Pin.IN, Pin.PULL_UP)\nprint(b.value())")
    levels = []
    for _ in range(2):
        _send_custom(fresh_kernel, picture, {"kind": "toggle", "name": "GPIO0"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # (the click is handled as its own shell message)
            value = fresh_kernel.execute("print(b.value())").stdout.strip()
            if not levels or value != levels[-1]:
                break
            time.sleep(0.1)
        levels.append(value)
    assert levels == ["0", "1"]  # pressed: pulled low; clicked again: released, high again


def test_sensor_sliders_stay_while_a_loop_reads_the_sensor(fresh_kernel):
    fresh_kernel.execute("%board")
    code = (
        "from machine import I2C, Pin\nimport time\n"
        "i2c = I2C(0, scl=Pin(22), sda=Pin(21))\nbuf = bytearray(7)\n"
        "for i in range(15):\n"
        "    i2c.writeto(0x38, b'\\xac\\x33\\x00')\n    time.sleep_ms(80)\n    i2c.readfrom_into(0x38, buf)\n"
    )
    run = fresh_kernel.execute(code)
    assert run.status == "ok", run.error
    opened = comm_opens(run)
    slider = next(c for c, s in opened.items() if s.get("description") == "aht20.temperature")
    row = next(c for c, s in opened.items() if f"IPY_MODEL_{slider}" in s.get("children", []))
    # Every children list of the panel's controls box, in order: once the row is in, it stays in.
    boxes = [
        (m["content"]["comm_id"], m["content"]["data"]["state"]["children"])
        for m in run.of_type("comm_msg")
        if "children" in m["content"]["data"].get("state", {})
    ]
    container = next(c for c, children in boxes if f"IPY_MODEL_{row}" in children)
    shown = [f"IPY_MODEL_{row}" in children for c, children in boxes if c == container]
    assert shown and all(shown[shown.index(True) :]), shown  # no flicker: never taken away
    after = fresh_kernel.execute("x = 1")
    later = [
        m["content"]["data"].get("state", {}).get("children")
        for m in after.of_type("comm_msg")
        if m["content"]["comm_id"] == container
    ]
    assert all(f"IPY_MODEL_{row}" in children for children in later if children is not None)  # nor after


def _states(runs: list, model: str) -> dict[str, dict]:
    """comm_id -> the newest state of each widget of ``model`` opened or updated in ``runs``."""
    final: dict[str, dict] = {}
    for run in runs:
        for comm_id, state in comm_opens(run).items():
            final[comm_id] = dict(state)
        for message in run.of_type("comm_msg"):
            data = message["content"]["data"]
            if data.get("method") == "update" and message["content"]["comm_id"] in final:
                final[message["content"]["comm_id"]].update(data["state"])
    return {c: s for c, s in final.items() if s.get("_model_name") == model}


def test_the_signal_picker_follows_what_drives_the_input(fresh_kernel):
    runs = [fresh_kernel.execute("%board")]
    code = "from machine import ADC, Pin\nadc = ADC(Pin(34))\nprint(adc.read_u16() >= 0)"
    runs.append(fresh_kernel.execute("%signal GPIO34 noise amplitude=1000 offset=30000\n" + code))
    [picker] = _states(runs, "DropdownModel").values()
    assert picker["_options_labels"][picker["index"]] == "noise"
    runs.append(fresh_kernel.execute("%signal GPIO34 off\nprint(adc.read_u16())"))
    [picker] = _states(runs, "DropdownModel").values()
    assert picker["_options_labels"][picker["index"]] == "slider"  # released: a drag sets a value again
    runs.append(fresh_kernel.execute("%signal GPIO34 sine 1Hz amplitude=1000 offset=30000"))
    runs.append(fresh_kernel.execute("%reset\n" + code))
    listed = fresh_kernel.execute("%signal").stdout
    [picker] = _states(runs, "DropdownModel").values()
    shown = picker["_options_labels"][picker["index"]]
    assert ("GPIO34: sine" in listed) == (shown == "sine")  # what %signal says drives it, after a reset too


def test_after_a_reset_an_unused_pin_shows_no_level(fresh_kernel):
    fresh_kernel.execute("%board")
    run = fresh_kernel.execute("from machine import Pin\nb = Pin(0, Pin.IN, Pin.PULL_UP)\nprint(b.value())")
    toggle = next(c for c, s in comm_opens(run).items() if s.get("description") == "GPIO0")
    _send_update(fresh_kernel, toggle, {"value": True})  # pressed: GPIO0 driven low
    assert fresh_kernel.execute("print(b.value())").stdout.strip() == "0"
    reset = fresh_kernel.execute("%reset")
    assert reset.status == "ok", reset.error
    pins = board_pins(reset)[-1]
    assert pins["GPIO0"]["m"] == "unused" and pins["GPIO0"]["v"] is None  # no stale LED
