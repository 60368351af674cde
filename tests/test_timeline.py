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
    pattern = re.compile(r"timing-1: ([\d.]+) ms")
    return [float(m.group(1)) / 1000 for m in map(pattern.search, lines) if m]


def test_sigrok_times_the_blink_at_25_ms(blink_vcd):
    intervals = blink_intervals(blink_vcd)
    assert 36 <= len(intervals) <= 39  # 40 edges (sigrok leaves out the first one or two next to the start)
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
    offset = min(range(len(ours) - len(theirs) + 1), key=lambda o: abs(ours[o] - theirs[0]))
    assert np.allclose(ours[offset : offset + len(theirs)], theirs, atol=2e-6)
    highs, lows = ours[0::2], ours[1::2]  # the blink starts with a rising edge
    assert got["high"] == pytest.approx(np.mean(highs), abs=1e-9)
    assert got["low"] == pytest.approx(np.mean(lows[: len(highs)]), abs=1e-9)
    # period: rising to rising, a whole cycle (sigrok's timing shows each half of it)
    assert got["period"] == pytest.approx((got["edges"][-2] - got["edges"][0]) / 19)
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


def test_ring_keeps_the_newest_events_in_order():
    timeline = Timeline(capacity=1000, details=10)
    pin = timeline.channel("pin", "GPIO2")
    for start in range(0, 2500, 300):  # batches that wrap the ring at odd places
        count = min(300, 2500 - start)
        t = timeline.origin_us + np.arange(start, start + count, dtype=np.int64) * 1000
        timeline.append(
            t, np.full(count, pin, np.uint16), (np.arange(start, start + count) % 2).astype(np.float32)
        )
    assert len(timeline) == 1000 and timeline.total == 2500
    rows = timeline.events()
    assert np.all(np.diff(rows["t"]) == 1000)
    assert timeline.seconds(rows["t"][0]) == pytest.approx(1.5)
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
    timeline.append_one(timeline.origin_us + 10, "pwm", "GPIO5", 0.25, 1000)
    assert period(timeline, "GPIO5") == pytest.approx(0.001)
    assert duty(timeline, "GPIO5") == pytest.approx(0.25)
    assert pulse_width(timeline, "GPIO5") == pytest.approx(0.00025)
    with pytest.raises(ValueError, match="GPIO7"):
        period(timeline, "GPIO7")
