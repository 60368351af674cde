"""%board through jupyter_client: the pin panel a frontend receives, fed by the simulated board's
hardware events (the ``_simhw`` calls that its ``machine`` module makes), and its input controls."""

from __future__ import annotations

import re
import threading
import time

import pytest

from micropython_kernel.simulator.profiles import get_profile
from tests.kernel_driver import KernelSession
from tests.widget_messages import comm_opens, html_values, shown_widgets, updates


def _levels(pins_html: str) -> dict[str, str]:
    """pin name -> data-level, from the panel's pins HTML."""
    return dict(re.findall(r'data-pin="([^"]+)" data-mode="[^"]*" data-level="([^"]*)"', pins_html))


def _modes(pins_html: str) -> dict[str, str]:
    return dict(re.findall(r'data-pin="([^"]+)" data-mode="([^"]*)"', pins_html))


@pytest.fixture()
def fresh_kernel():
    session = KernelSession()
    yield session
    session.close()


def test_board_shows_every_pin_of_the_profile(kernel):
    run = kernel.execute("%board")
    assert run.status == "ok", run.error
    assert len(shown_widgets(run)) == 1
    pins = _levels(html_values(run, "mpk-pins")[-1])
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
        (t, _levels(m["content"]["data"]["state"]["value"])["GPIO2"])
        for t, m in zip(run.arrival, run.messages, strict=True)
        if m["msg_type"] == "comm_msg" and 'class="mpk-pins"' in str(m["content"]["data"].get("state"))
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
    assert _levels(html_values(run, "mpk-pins")[-1])["GPIO4"] == "1"  # the final state is drawn


def test_pwm_and_display(kernel):
    kernel.execute("%board")
    code = (
        "import _simhw\n"
        "_simhw.emit('pwm', 'GPIO5', (0.25, 1000))\n"
        "_simhw.emit('display', 'display', '09000:00000:00000:00000:00005')\n"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    pins = html_values(run, "mpk-pins")[-1]
    assert _modes(pins)["GPIO5"] == "pwm" and "25% 1000 Hz" in pins
    display = html_values(run, "mpk-display")[-1]
    assert re.findall(r'data-b="(\d)"', display) == ["0", "9"] + ["0"] * 22 + ["5"]


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
    activity = [
        dict(re.findall(r'data-pin="([^"]+)"[^>]*data-activity="([^"]*)"', html))["GPIO5"]
        for html in html_values(run, "mpk-pins")
    ]
    assert "toggling" in activity[:-1]  # drawn as toggling while the loop ran
    assert activity[-1] == "" and _levels(html_values(run, "mpk-pins")[-1])["GPIO5"] == "0"  # settled


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
    levels = [_levels(html)["GPIO2"] for html in html_values(run, "mpk-pins")]
    changes = sum(1 for a, b in zip(levels, levels[1:], strict=False) if a != b)
    assert changes >= 5, levels  # (measured: ~19 drawn changes of the 40 at ~20 frames a second)


def test_microbit_display_and_its_input_controls(fresh_kernel):
    shown = fresh_kernel.execute("%connect sim microbit\n%board")
    controls = {state.get("description"): state["_model_name"] for state in comm_opens(shown).values()}
    assert controls.get("button_a") == "ToggleButtonModel"
    assert controls.get("accelerometer.x") == "FloatSliderModel"
    run = fresh_kernel.execute("from microbit import *\ndisplay.show(Image.HEART)")
    assert run.status == "ok", run.error
    heart = "".join(re.findall(r'data-b="(\d)"', html_values(run, "mpk-display")[-1]))
    assert heart == "0909099999999990999000900"  # Image.HEART, row by row


def test_watched_pins_are_read_after_each_cell(fresh_kernel):
    # What a real board's panel relies on (it sends no events): machine.Pin(id).value() after each
    # cell. Checked here on the simulated board under names its events do not use ("2", not "GPIO2").
    shown = fresh_kernel.execute("%board --watch 2 99")
    assert shown.status == "ok", shown.error
    assert _modes(html_values(shown, "mpk-pins")[-1])["2"] == "watched"
    run = fresh_kernel.execute("from machine import Pin\nled = Pin(2, Pin.OUT)\nled.value(1)")
    assert run.status == "ok", run.error
    levels = _levels(html_values(run, "mpk-pins")[-1])
    assert levels["2"] == "1" and levels["99"] == ""  # pin 99 does not exist: unknown
    off = fresh_kernel.execute("led.value(0)")
    assert _levels(html_values(off, "mpk-pins")[-1])["2"] == "0"


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
    assert len(html_values(run, "mpk-pins")) >= 4  # it blinked in the panel until the stop
    last_drawn = _levels(html_values(run, "mpk-pins")[-1])["GPIO2"]
    level = fresh_kernel.execute("print(i % 2)").stdout.strip()
    assert last_drawn == level  # the final state was drawn
    after = fresh_kernel.execute("_simhw.level(c, 1 - i % 2)")
    assert _levels(html_values(after, "mpk-pins")[-1])["GPIO2"] == str(1 - int(level))
