"""End to end: JupyterLab in headless Chromium shows %board, and the LED blinks while a cell runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.jupyterlab_page import CHROMIUM, CHROMIUM_FLAGS, jupyterlab, write_notebook

sync_api = pytest.importorskip("playwright.sync_api", reason="the test extras install playwright")

BLINK = """from machine import Pin
import time
led = Pin(2, Pin.OUT)
for i in range(40):
    led.value(i % 2)
    time.sleep(0.1)
print('done')"""
LED = '.mpk-pin[data-pin="GPIO2"]'  # the esp32 profile's LED pin


def test_led_blinks_in_jupyterlab(tmp_path: Path) -> None:
    write_notebook(tmp_path / "blink.ipynb", ["%board", BLINK])
    screenshot = Path(os.environ.get("MPK_SCREENSHOT_DIR", tmp_path)) / "board-blink.png"
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            page.goto(f"{base}/lab/tree/blink.ipynb?token={token}")
            page.wait_for_selector("text=MicroPython | Idle", timeout=90_000)
            page.click(".jp-Cell .jp-InputArea-editor >> nth=0")
            page.keyboard.press("Shift+Enter")  # %board
            page.wait_for_selector(".mpk-board .mpk-pin", timeout=30_000)
            page.keyboard.press("Shift+Enter")  # the blink cell
            page.wait_for_function("document.querySelectorAll('.jp-InputPrompt')[1].innerText.includes('*')")
            levels: list[str | None] = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                levels.append(page.get_attribute(LED, "data-level"))
                if len(levels) == 40:
                    page.screenshot(path=str(screenshot))
                if page.locator(".jp-InputPrompt").nth(1).inner_text().strip() != "[*]:":
                    break  # the blink cell ended
                page.wait_for_timeout(25)
            changes = sum(1 for a, b in zip(levels, levels[1:], strict=False) if a != b)
            assert {"0", "1"} <= set(levels), levels
            assert changes >= 6, levels  # a blink, seen while the cell ran, not just a final state
            assert page.locator('.jp-OutputArea-output:has-text("done")').count()
        finally:
            browser.close()
