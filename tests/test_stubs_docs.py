"""Docs where the cursor is: Shift-Tab (inspect_request) and completion through jupyter_client, with
signatures and docstrings from each profile's MicroPython stubs (PyPI, pinned in kernel/stubs.py,
fetched once by ``python -m micropython_kernel stubs``) merged with the board's live dir()."""

from __future__ import annotations

import pytest

from micropython_kernel.kernel import stubs
from tests.kernel_driver import KernelSession

COMMON = [
    "time.sleep",
    "time.sleep_ms",
    "time.sleep_us",
    "time.ticks_ms",
    "time.ticks_us",
    "time.ticks_add",
    "time.ticks_diff",
    "micropython.const",
    "micropython.mem_info",
    "micropython.kbd_intr",
    "micropython.opt_level",
    "machine.reset",
    "machine.unique_id",
    "machine.freq",
]
WITH_PINS = [
    "machine.Pin",
    "machine.Pin.value",
    "machine.Pin.irq",
    "machine.ADC",
    "machine.I2C",
    "machine.PWM",
]
PROFILES = {"esp32": COMMON + WITH_PINS, "pico": COMMON + WITH_PINS, "pyboard": COMMON + WITH_PINS}
PROFILES["microbit"] = COMMON  # its stubs' machine has no Pin (pins live in the microbit module)


@pytest.fixture(scope="module")
def kernel():
    stubs.download()  # once per machine; the kernel itself never fetches
    session = KernelSession()
    assert session.execute("import machine, time, micropython").status == "ok"
    yield session
    session.close()


def inspect(session: KernelSession, code: str, cursor: int | None = None) -> str:
    reply = session.client.inspect(code, len(code) if cursor is None else cursor, reply=True, timeout=30)
    content = reply["content"]
    assert content["status"] == "ok"
    return content["data"].get("text/plain", "") if content["found"] else ""


def complete(session: KernelSession, code: str) -> dict:
    return session.client.complete(code, len(code), reply=True, timeout=30)["content"]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_signatures_and_docstrings_on_every_profile(kernel, profile):
    # (machine does not fit beside the cell in the micro:bit's 9 KB heap: its docs come from the stubs alone)
    imports = "time, micropython" if profile == "microbit" else "machine, time, micropython"
    assert kernel.execute(f"%connect sim {profile}\nimport {imports}").status == "ok"
    index = stubs.for_platform(stubs_platform(profile))
    assert index is not None
    found = 0
    for name in PROFILES[profile]:
        text = inspect(kernel, name)
        doc = index.lookup(name)
        assert doc is not None and doc.doc, name
        leaf = name.rsplit(".", 1)[-1]
        assert f"{name}(" in text or f"{leaf}(" in text, (name, text[:200])
        assert doc.doc.splitlines()[0] in text, (name, text[:300])  # the docstring
        found += 1
    assert found >= 10


def stubs_platform(profile: str) -> str:
    from micropython_kernel.simulator.profiles import get_profile

    return get_profile(profile).platform


def test_shift_tab_where_makers_press_it(kernel):
    assert kernel.execute("%connect sim esp32\nfrom machine import Pin\nimport time").status == "ok"
    text = inspect(kernel, "Pin(")  # the cursor right after the parenthesis
    assert text.startswith("Pin(id") and "A pin object is used to control I/O pins" in text
    assert "on the board" in text and "type:" in text  # the live object too
    assert "sleep_ms(ms: int" in inspect(kernel, "time.sleep_ms(")
    assert inspect(kernel, "machine.Pin").startswith("machine.Pin(id")
    led = "led = Pin(2, Pin.OUT)\nled.value"
    assert kernel.execute(led).status == "ok"
    assert "led.value()" in inspect(kernel, led)  # an instance: its class's method


def test_completion_offers_signatures_and_hides_the_simulator(kernel):
    assert kernel.execute("%connect sim esp32\nimport machine, time").status == "ok"
    content = complete(kernel, "machine.")
    matches = set(content["matches"])
    assert {"Pin", "ADC", "I2C", "PWM", "Timer", "reset", "freq"} <= matches
    assert "PinBase" not in matches and not any(m.startswith("_") for m in matches)
    assert not {"setting", "ticks_add", "sleep_us"} & matches  # what the simulator's machine.py imports
    types = {t["text"]: t for t in content["metadata"]["_jupyter_types_experimental"]}
    assert types["Pin"]["type"] == "class" and types["Pin"]["signature"].startswith("Pin(id")
    assert types["reset"]["type"] == "function"
    content = complete(kernel, "time.sleep_")
    assert set(content["matches"]) == {"sleep_ms", "sleep_us"}
    signatures = {
        t["text"]: t.get("signature", "") for t in content["metadata"]["_jupyter_types_experimental"]
    }
    assert signatures["sleep_ms"].startswith("sleep_ms(ms: int")


def test_live_names_without_stubs_still_complete(kernel):
    assert kernel.execute("%connect sim esp32\nmy_value = 3").status == "ok"
    assert "my_value" in complete(kernel, "my_v")["matches"]
    assert "value: 3" in inspect(kernel, "my_value")
