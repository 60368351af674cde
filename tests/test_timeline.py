"""The logic analyzer: the timeline recorded from the simulated board, %timeline, %export timeline F.vcd
read back by Debian's sigrok-cli (its timing and I2C/SPI decoders), and the %%host helpers."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess

import numpy as np
import pytest

from micropython_kernel.board.timeline import Timeline, duty, edges, frequency, period, pulse_width
from tests.conftest import skip_unless_ci
from tests.kernel_driver import KernelSession

# A 25 ms blink of 40 toggles, each edge due 25 ms after the last one was due (a late wake-up on a loaded
# machine shortens the next sleep instead of shifting every edge after it).
BLINK = """
from machine import Pin
import time
led = Pin(2, Pin.OUT)
due = time.ticks_us()
for i in range(40):
    led.value(i % 2 == 0)
    due = time.ticks_add(due, 25000)
    time.sleep_us(max(0, time.ticks_diff(due, time.ticks_us())))
"""

AHT20_WRITE = """
from machine import I2C, SPI
i2c = I2C(0, freq=100000)
i2c.writeto(0x38, b'\\xac\\x33\\x00')
spi = SPI(1, baudrate=1000000)
spi.write(b'\\x12\\x34')
"""


def sigrok(*args: str) -> list[str]:
    if shutil.which("sigrok-cli") is None:
        skip_unless_ci("no sigrok-cli (Debian package sigrok-cli)")
    done = subprocess.run(["sigrok-cli", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def ok(session: KernelSession, code: str) -> str:
    run = session.execute(code, timeout=120)
    assert run.error is None, run.error
    return run.stdout


@pytest.fixture(scope="module")
def session(notebook_folder):
    session = KernelSession(cwd=str(notebook_folder))
    yield session
    session.close()


@pytest.fixture(scope="module")
def blink_vcd(session, notebook_folder):
    ok(session, "%timeline clear")
    ok(session, BLINK)
    out = ok(session, "%export timeline blink.vcd")
    assert "to blink.vcd" in out
    return notebook_folder / "blink.vcd"


def blink_intervals(vcd) -> list[float]:
    """Seconds between the edges of GPIO2 as sigrok's timing decoder measures them."""
    lines = sigrok("-i", str(vcd), "-I", "vcd", "-P", "timing:data=GPIO2", "-A", "timing=time")
    pattern = re.compile(r"timing-1: ([\d.]+) (s|ms|us|\u03bcs|\u00b5s|ns) ")
    scale = {"s": 1, "ms": 1e-3, "us": 1e-6, "\u03bcs": 1e-6, "\u00b5s": 1e-6, "ns": 1e-9}
    return [float(m.group(1)) * scale[m.group(2)] for m in map(pattern.search, lines) if m]


def test_sigrok_times_the_blink_at_25_ms(blink_vcd):
    intervals = blink_intervals(blink_vcd)
    assert 38 <= len(intervals) <= 39  # 40 edges (sigrok leaves out the first one, next to the start)
    # The board's own clock: a stalled VM on a loaded machine makes a few intervals late (and the next
    # ones early), not the middle one.
    assert statistics.median(intervals) == pytest.approx(0.025, rel=0.03)


def test_host_helpers_agree_with_sigrok(session, blink_vcd):
    theirs = blink_intervals(blink_vcd)
    out = ok(
        session,
        "%%host\nimport json\nprint(json.dumps({'period': period('GPIO2'), 'frequency': frequency(2), "
        "'duty': duty('GPIO2'), 'high': pulse_width('GPIO2'), 'low': pulse_width('GPIO2', level=0), "
        "'edges': edges('GPIO2').t.tolist(), 'first': edges('GPIO2').edge[0], "
        "'kinds': sorted(set(timeline.kind)), 'columns': list(timeline.columns)}))",
    )
    got = json.loads(out)
    assert len(got["edges"]) == 40 and got["first"] == "rising"
    ours = np.diff(got["edges"])
    # sigrok's intervals are ours (to the VCD's 1 us steps), possibly without the first or the last
    offsets = range(len(ours) - len(theirs) + 1)
    offset = min(offsets, key=lambda o: float(np.abs(ours[o : o + len(theirs)] - theirs).sum()))
    assert np.allclose(ours[offset : offset + len(theirs)], theirs, atol=2e-6)
    highs, lows = ours[0::2], ours[1::2]  # the blink starts with a rising edge
    assert got["high"] == pytest.approx(np.median(highs), abs=1e-9)
    assert got["low"] == pytest.approx(np.median(lows), abs=1e-9)
    # period: rising to rising, a whole cycle (sigrok's timing shows each half of it), the median cycle
    cycles = np.diff(np.array(got["edges"])[0::2])
    assert got["period"] == pytest.approx(np.median(cycles), abs=1e-9)
    assert got["period"] == pytest.approx(np.median(theirs[0::2]) + np.median(theirs[1::2]), rel=0.03)
    assert got["frequency"] == pytest.approx(1 / got["period"])
    assert 0.45 < got["duty"] < 0.55
    assert got["columns"][:4] == ["t", "pin", "value", "kind"]
    assert "pin" in got["kinds"]


def test_sigrok_decodes_the_aht20_write_and_spi(session, notebook_folder):
    ok(session, "%timeline clear")
    ok(session, AHT20_WRITE)
    ok(session, "%export timeline bus.vcd")
    vcd = notebook_folder / "bus.vcd"
    lines = sigrok(
        "-i", str(vcd), "-I", "vcd", "-P", "i2c:scl=GPIO18:sda=GPIO19", "-A", "i2c=address-write:data-write"
    )
    lines = [line for line in lines if ": " in line.partition("i2c-1: ")[2]]  # (not the "Write" row)
    assert lines == ["i2c-1: Address write: 38", "i2c-1: Data write: AC", "i2c-1: Data write: 33",
                     "i2c-1: Data write: 00"]  # fmt: skip
    lines = sigrok(
        "-i", str(vcd), "-I", "vcd", "-P", "spi:clk=GPIO14:mosi=GPIO13:miso=GPIO12", "-A", "spi=mosi-data"
    )
    assert [line.split()[-1] for line in lines] == ["12", "34"]
    frame = ok(session, "%%host\nprint(timeline[timeline.kind == 'i2c'].detail.tolist())")
    assert "0x38 write ac 33 00" in frame
    run = session.execute("%timeline")  # the view: the transfers as labelled blocks
    custom = [m["content"]["data"] for m in run.of_type("comm_msg")]
    data = [c["content"] for c in custom if c.get("method") == "custom" and c["content"]["kind"] == "data"]
    lanes = {lane["name"]: lane for lane in data[-1]["lanes"]}
    assert [block[2] for block in lanes["I2C(GPIO18,GPIO19)"]["blocks"]] == ["0x38 write ac 33 00"]
    a, b, _ = lanes["I2C(GPIO18,GPIO19)"]["blocks"][0]
    assert b - a == pytest.approx(38 / 100_000, rel=0.05)  # start, 4 bytes of 9 clocks, stop at 100 kHz
    assert [block[2] for block in lanes["SPI(GPIO14,GPIO13,GPIO12)"]["blocks"]] == ["write 12 34"]


def test_recording_off_and_on(session):
    ok(session, "%timeline clear")
    assert "recording off" in ok(session, "%timeline off")
    ok(session, BLINK.replace("range(40)", "range(4)"))
    assert ok(session, "%%host\nprint(len(timeline))").strip() == "0"
    assert "recording on" in ok(session, "%timeline on")
    ok(session, "led.value(1)\nled.value(0)")
    assert int(ok(session, "%%host\nprint(len(edges('GPIO2')))")) >= 1
    run = session.execute("%timeline GPIO99")
    assert run.error is not None and "GPIO99" in run.error["evalue"]


def test_export_refuses_paths_outside_and_empty(session):
    run = session.execute("%export timeline ../outside.vcd")
    assert run.error is not None and "outside" in run.error["evalue"]
    run = session.execute("%export timeline blink.csv")
    assert run.error is not None and ".vcd" in run.error["evalue"]


BASE = 5_000_000_000  # microseconds on the board's clock (t = 0 is the first event's time)


def test_ring_keeps_the_newest_events_in_order():
    timeline = Timeline(capacity=1000, details=10)
    pin = timeline.channel("pin", "GPIO2")
    for start in range(0, 2500, 300):  # batches that wrap the ring at odd places
        count = min(300, 2500 - start)
        t = BASE + np.arange(start, start + count, dtype=np.int64) * 1000
        timeline.append(
            t, np.full(count, pin, np.uint16), (np.arange(start, start + count) % 2).astype(np.float32)
        )
    assert len(timeline) == 1000 and timeline.total == 2500
    rows = timeline.events()
    assert np.all(np.diff(rows["t"]) == 1000)
    assert timeline.seconds(rows["t"][0]) == pytest.approx(1.5)  # the first 1,500 were overwritten
    assert period(timeline, "GPIO2") == pytest.approx(0.002)
    assert frequency(timeline, 2) == pytest.approx(500)
    assert duty(timeline, "GPIO2") == pytest.approx(0.5)
    assert pulse_width(timeline, "GPIO2") == pytest.approx(0.001)
    assert len(edges(timeline, "GPIO2", start=1.6, end=1.7)) == 101
    assert timeline.memory_bytes == 1000 * 18
    for n in range(15):  # details are bounded too
        timeline.add_detail(n)
    assert timeline.detail(0) is None and timeline.detail(14) == 14


def test_pwm_pin_measures_from_its_setting():
    timeline = Timeline(capacity=100)
    timeline.append_one(BASE + 10, "pwm", "GPIO5", 0.25, 1000)
    assert period(timeline, "GPIO5") == pytest.approx(0.001)
    assert duty(timeline, "GPIO5") == pytest.approx(0.25)
    assert pulse_width(timeline, "GPIO5") == pytest.approx(0.00025)
    with pytest.raises(ValueError, match="GPIO7"):
        period(timeline, "GPIO7")


def test_view_sends_lanes_reduced_to_pixels():
    from micropython_kernel.board.state import BoardState
    from micropython_kernel.widgets.timeline_view import TimelineView, lane_data

    state = BoardState()
    timeline = state.timeline
    pin = timeline.channel("pin", "GPIO2")
    n = 1_000_000  # a tight toggle loop: a change every microsecond
    timeline.append(
        BASE + np.arange(n, dtype=np.int64), np.full(n, pin, np.uint16), (np.arange(n) % 2).astype("f4")
    )
    timeline.append_one(BASE + n + 500_000, "pin", "GPIO2", 1.0)  # then one slow edge
    rows = timeline.events()
    lane = lane_data(timeline, rows, "pin", "GPIO2", 0.0, 1.6, 800)
    assert lane["dense"] and lane["dense"][0][0] == pytest.approx(0.0, abs=0.01)
    assert len(lane["steps"]) <= 800 and lane["steps"][-1] == [1.5, 1.0]
    zoomed = lane_data(timeline, rows, "pin", "GPIO2", 0.5, 0.50001, 800)  # 10 us: every edge
    assert not zoomed["dense"] and len(zoomed["steps"]) == 11
    view = TimelineView(state, ["GPIO2"], window=None)
    data = view.data()
    assert [lane["name"] for lane in data["lanes"]] == ["GPIO2"] and data["follow"]
    assert len(str(data)) < 60_000  # a million events, a few KB a redraw
    figures = view.measure({"lane": "GPIO2", "view_t0": 0.0, "view_t1": 0.9})
    assert figures["period"] == pytest.approx(2e-6) and figures["over"] == "over the span shown"
    snapshot = view.snapshot()
    assert snapshot["image/svg+xml"].startswith("<svg") and "GPIO2" in snapshot["image/svg+xml"]
    assert "1,000,001 events" in snapshot["text/plain"]


def test_timeline_magic_shows_a_view_with_lanes(session):
    ok(session, "led.value(1)\nled.value(0)")
    run = session.execute("%timeline GPIO2 --window 5")
    assert run.error is None, run.error
    assert run.of_type("display_data")
    custom = [m["content"]["data"] for m in run.of_type("comm_msg")]
    data = [c["content"] for c in custom if c.get("method") == "custom" and c["content"]["kind"] == "data"]
    assert data and [lane["name"] for lane in data[-1]["lanes"]] == ["GPIO2"]
    assert data[-1]["t1"] - data[-1]["t0"] <= 5
    run = session.execute("%timeline --window -1")
    assert run.error is not None and "positive" in run.error["evalue"]


def test_vcd_names_a_pins_analog_readings_apart(tmp_path):
    from micropython_kernel.board.vcd import write_vcd

    timeline = Timeline(capacity=100)
    timeline.append_one(BASE, "pin", "GPIO34", 0.0)
    timeline.append_one(BASE + 10, "adc", "GPIO34", 30000.0)
    timeline.append_one(BASE + 20, "pwm", "GPIO5", 0.5, 1000)
    path = tmp_path / "mixed.vcd"
    assert write_vcd(timeline, path) == 4  # a level, a reading, a PWM's duty and freq
    text = path.read_text()
    for var in ("wire 1 ! GPIO34 ", " GPIO34.adc ", " GPIO5.duty ", " GPIO5.freq "):
        assert var in text, var
    sigrok("-i", str(path), "-I", "vcd", "--show")  # sigrok-cli reads it


def test_a_level_the_host_drives_is_on_the_timeline(session):
    ok(session, "%timeline clear")
    ok(session, "from machine import Pin\nbutton = Pin(4, Pin.IN)")
    ok(session, "%signal GPIO4 1")
    ok(session, "%signal GPIO4 0")
    out = ok(session, "%%host\nprint(edges('GPIO4').edge.tolist())")
    assert out.strip() == "['falling']"  # 1 then 0: the first level is not an edge


def test_display_pwm_and_adc_changes_are_recorded(notebook_folder):
    session = KernelSession(cwd=str(notebook_folder))
    try:
        ok(session, "%connect sim microbit")
        ok(
            session,
            "from microbit import *\ndisplay.show(Image.HEART)\npin0.write_analog(511)\npin1.read_analog()",
        )
        out = ok(
            session,
            "%%host\nimport json\nprint(json.dumps(sorted(set(timeline.kind))))\n"
            "print(timeline[timeline.kind == 'display'].detail.iloc[-1])",
        )
        kinds, frame = out.splitlines()
        assert {"display", "pwm", "adc"} <= set(json.loads(kinds))
        assert frame == "09090:99999:99999:09990:00900"  # the heart, row by row
    finally:
        session.close()


def test_analog_lane_keeps_its_shape_when_reduced():
    from micropython_kernel.widgets.timeline_view import lane_data

    timeline = Timeline(capacity=100_000)
    adc = timeline.channel("adc", "GPIO34")
    t = BASE + np.arange(50_000, dtype=np.int64) * 20  # a reading every 20 us for 1 s
    readings = (32768 + 30000 * np.sin(np.arange(50_000) / 50_000 * 2 * np.pi)).astype(np.float32)
    timeline.append(t, np.full(len(t), adc, np.uint16), readings)
    lane = lane_data(timeline, timeline.events(), "adc", "GPIO34", 0.0, 1.0, 500)
    assert len(lane["steps"]) == 500 and not lane["dense"]
    values = [v for _, v in lane["steps"]]
    assert max(values) == pytest.approx(62768, rel=0.01) and min(values) == pytest.approx(2768, rel=0.05)
    assert lane["low"] == pytest.approx(2768, abs=5) and lane["high"] == pytest.approx(62768, abs=5)
