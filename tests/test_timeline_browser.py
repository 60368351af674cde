"""End to end: %timeline in JupyterLab in headless Chromium: lanes drawn while a blink runs, zoom, the
cursors' readout and the measured blink period."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.jupyterlab_page import CHROMIUM, CHROMIUM_FLAGS, jupyterlab, write_notebook

sync_api = pytest.importorskip("playwright.sync_api", reason="the test extras install playwright")

SETUP = "from machine import Pin\nimport time\nled = Pin(2, Pin.OUT)\nled.value(0)"
BLINK = """for i in range(30):
    led.value(i % 2 == 0)
    time.sleep_ms(100)
print('done')"""
VIEW = ".mpk-timeline"
LABEL = 130  # px of lane names (timeline.js)


def _dataset(page, key: str) -> str:
    return page.eval_on_selector(VIEW, f"el => el.dataset.{key} || ''")


def test_timeline_in_jupyterlab(tmp_path: Path) -> None:
    write_notebook(tmp_path / "timeline.ipynb", [SETUP, "%timeline GPIO2", BLINK])
    shots = Path(os.environ.get("MPK_SCREENSHOT_DIR", tmp_path))
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{base}/lab/tree/timeline.ipynb?token={token}")
            page.wait_for_selector("text=MicroPython | Idle", timeout=90_000)
            page.click(".jp-Cell .jp-InputArea-editor >> nth=0")
            page.keyboard.press("Shift+Enter")  # the pin
            page.keyboard.press("Shift+Enter")  # %timeline GPIO2
            page.wait_for_selector(VIEW, timeout=60_000)
            page.wait_for_function(f"document.querySelector('{VIEW}').dataset.lanes === '1'", timeout=30_000)
            page.keyboard.press("Shift+Enter")  # the blink: 3 s
            page.wait_for_function("document.querySelectorAll('.jp-InputPrompt')[2].innerText.includes('*')")
            # live: the view's end moves on while the cell runs
            ends, frames = [], []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                ends.append(float(_dataset(page, "t1") or 0))
                frames.append(int(_dataset(page, "frames") or 0))
                if len(ends) == 15:
                    page.screenshot(path=str(shots / "timeline-live.png"))
                if page.locator(".jp-InputPrompt").nth(2).inner_text().strip() != "[*]:":
                    break
                page.wait_for_timeout(100)
            assert len(set(ends)) >= 4, ends  # redrawn with newer events during the loop, not only at the end
            page.wait_for_selector('.jp-OutputArea-output:has-text("done")', timeout=30_000)
            page.wait_for_timeout(500)  # (the final state after the cell)

            canvas = page.locator(f"{VIEW} canvas")
            box = canvas.bounding_box()
            assert box is not None
            # the pin under the pointer is measured: the blink's period (100 ms high, 100 ms low)
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 17)
            page.wait_for_function(f"document.querySelector('{VIEW} .mpk-timeline-measure').dataset.period")
            period = float(page.eval_on_selector(f"{VIEW} .mpk-timeline-measure", "el => el.dataset.period"))
            assert period == pytest.approx(0.2, rel=0.1)
            assert "GPIO2: period" in page.inner_text(f"{VIEW} .mpk-timeline-measure")

            # two cursors one period apart read it back
            t0, t1 = float(_dataset(page, "t0")), float(_dataset(page, "t1"))
            plot = box["width"] - LABEL - 10

            def x_of(t: float) -> float:
                return box["x"] + LABEL + (t - t0) / (t1 - t0) * plot

            middle = (t0 + t1) / 2
            page.mouse.click(x_of(middle), box["y"] + 17)
            page.keyboard.down("Shift")
            page.mouse.click(x_of(middle + period), box["y"] + 17)
            page.keyboard.up("Shift")
            delta = float(page.eval_on_selector(f"{VIEW} .mpk-timeline-readout", "el => el.dataset.delta"))
            assert delta == pytest.approx(period, rel=0.02)
            assert "B - A = " in page.inner_text(f"{VIEW} .mpk-timeline-readout")

            # zoom: the span shown halves, then the whole run comes back
            page.click(f"{VIEW} button:has-text('Zoom in')")
            page.wait_for_function(
                f"(() => {{ const d = document.querySelector('{VIEW}').dataset; "
                f"return (d.t1 - d.t0) < {(t1 - t0) * 0.6}; }})()"
            )
            box = canvas.bounding_box()
            assert box is not None
            for _ in range(14):  # wheel zoom down to microseconds
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 17)
                page.mouse.wheel(0, -400)
            page.wait_for_timeout(300)
            span = float(_dataset(page, "t1")) - float(_dataset(page, "t0"))
            assert span <= 2e-6  # a microsecond across the lanes (the narrowest the view goes)
            page.screenshot(path=str(shots / "timeline-zoomed.png"))
            page.click(f"{VIEW} button:has-text('Live')")
            page.wait_for_function(
                f"(() => {{ const d = document.querySelector('{VIEW}').dataset; "
                f"return (d.t1 - d.t0) > {(t1 - t0) * 0.9}; }})()"
            )
            page.screenshot(path=str(shots / "timeline-after.png"))
        finally:
            browser.close()
