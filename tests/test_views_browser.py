"""The live views as a class uses them, in JupyterLab 4 and Notebook 7 (headless Debian Chromium):
every control works every time while code runs, the micro:bit's buttons press and release, Run All keeps
each plot's own picture, and a saved notebook shows every view after a shut down, a reopen and nbconvert.
Screenshots go to MPK_SCREENSHOT_DIR when it is set (the README's pictures come from there)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.jupyterlab_page import CHROMIUM, CHROMIUM_FLAGS, jupyterlab, write_notebook
from tests.notebook_page import (
    menu,
    open_notebook,
    output_text,
    run_cell,
    saved_views,
    wait_for,
    wait_for_kernel,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="the test extras install playwright")
FRONTENDS = ["lab", "notebook7"]
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# Prints each change of GPIO0 (a button to ground: PULL_UP) and of the ADC on GPIO34, until it saw
# 4 clicks and 2 drags (a drag: changes after a still second) and nothing moved for 2 s (or 90 s).
CONTROLS_LOOP = """from machine import Pin, ADC
import time
b = Pin(0, Pin.IN, Pin.PULL_UP)
adc = ADC(Pin(34))
last_b, last_a = b.value(), adc.read_u16()
print('start', last_b, last_a)
clicks = drags = 0
quiet = moved = time.ticks_ms()
for i in range(4500):
    v, a = b.value(), adc.read_u16()
    if v != last_b:
        last_b, clicks, quiet = v, clicks + 1, time.ticks_ms()
        print('GPIO0', v)
    if a != last_a:
        if time.ticks_diff(time.ticks_ms(), moved) > 1000:
            drags += 1  # a change after a still second: a new drag
        last_a, quiet = a, time.ticks_ms()
        moved = quiet
        print('ADC', a)
    if clicks >= 4 and drags >= 2 and time.ticks_diff(time.ticks_ms(), quiet) > 2000:
        break
    time.sleep_ms(20)
print('done')"""

BUTTON_LOOP = """from microbit import *
seen = [button_a.is_pressed()]
print('A', seen[-1])
for i in range(3000):
    a = button_a.is_pressed()
    if a != seen[-1]:
        seen.append(a)
        print('A', a)
    if seen == [False, True, False]:
        break
    sleep(20)
print('done')"""


def _shots() -> Path | None:
    folder = os.environ.get("MPK_SCREENSHOT_DIR")
    return Path(folder) if folder else None


def _shot(locator, name: str) -> None:
    folder = _shots()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(folder / name))


def _browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def _drag_slider(page, slider, fraction: float) -> None:
    """Drag an ipywidgets slider's handle to ``fraction`` of its track, with the mouse."""
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-base").first.bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    target = track["x"] + track["width"] * fraction
    for step in range(1, 9):
        page.mouse.move(box["x"] + (target - box["x"]) * step / 8, box["y"] + box["height"] / 2)
        page.wait_for_timeout(30)
    page.mouse.up()


def _settled_adc(page) -> int:
    """The ADC value the loop printed last, once no new value came for a second."""
    last = None
    while True:
        lines = [line for line in output_text(page, 1).splitlines() if line.startswith("ADC")]
        if lines and lines[-1] == last:
            return int(last.split()[1])
        last = lines[-1] if lines else None
        page.wait_for_timeout(1000)


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_every_control_works_every_time_while_a_loop_runs(tmp_path: Path, frontend: str) -> None:
    write_notebook(tmp_path / "controls.ipynb", ["%board", CONTROLS_LOOP, "print('after', b.value())"])
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = _browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            open_notebook(page, base, token, "controls.ipynb", frontend)
            run_cell(page, 0)
            page.wait_for_selector(".mpk-board .mpk-pin", timeout=60_000)
            run_cell(page, 1)
            wait_for(page, lambda: "start" in output_text(page, 1), what="the loop to start")
            toggle = page.locator(".widget-toggle-button", has_text="GPIO0")
            toggle.wait_for(timeout=30_000)
            for click in range(1, 5):  # each click after the previous one was seen, as a person does
                toggle.click()
                wait_for(
                    page,
                    lambda n=click: output_text(page, 1).count("GPIO0 ") >= n,
                    what=f"the board to see click {click}",
                )
            assert [line for line in output_text(page, 1).splitlines() if line.startswith("GPIO0")] == [
                "GPIO0 0", "GPIO0 1", "GPIO0 0", "GPIO0 1",
            ]  # fmt: skip
            slider = page.locator(".widget-slider", has_text="GPIO34")
            slider.wait_for(timeout=30_000)
            settled = []
            for fraction in (0.3, 0.8):
                before = output_text(page, 1).count("ADC ")
                _drag_slider(page, slider, fraction)
                readout = slider.locator(".widget-readout").first
                wait_for(
                    page,
                    lambda b=before: output_text(page, 1).count("ADC ") > b,
                    what=f"the board to see the drag to {fraction} (slider shows {readout.inner_text()})",
                )
                settled.append(_settled_adc(page))
            # Where the drags let go: ~30% and ~80% of the 0..65535 range (the handle is a few px wide).
            assert abs(settled[0] - 0.3 * 65535) < 6000 and abs(settled[1] - 0.8 * 65535) < 6000, settled
            wait_for(page, lambda: "done" in output_text(page, 1), timeout=90, what="the loop to end")
            _shot(
                page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".jp-OutputArea"),
                f"board-{frontend}.png",
            )
            toggle.click()  # once more, after the loop: the control still works
            page.wait_for_timeout(300)
            run_cell(page, 2)
            wait_for(page, lambda: "after" in output_text(page, 2), what="the cell after the loop")
            assert output_text(page, 2).strip() == "after 0"  # pressed again: pulled low
            # The picture shows the ADC pin as one.
            pin = page.locator('.mpk-board .mpk-pin[data-pin="GPIO34"]')
            assert pin.get_attribute("data-mode") == "adc"
        finally:
            browser.close()


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_the_microbit_buttons_press_and_release(tmp_path: Path, frontend: str) -> None:
    write_notebook(tmp_path / "buttons.ipynb", ["%connect sim microbit\n%board", BUTTON_LOOP])
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = _browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            open_notebook(page, base, token, "buttons.ipynb", frontend)
            run_cell(page, 0)
            button = page.locator('.mpk-board .mpk-button[data-button="button_a"]')
            button.wait_for(timeout=60_000)
            run_cell(page, 1)
            wait_for(page, lambda: "A False" in output_text(page, 1), what="the loop to start")
            button.scroll_into_view_if_needed()
            box = button.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.down()  # pressed, and held
            wait_for(page, lambda: "A True" in output_text(page, 1), what="the board to see the press")
            _shot(
                page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".jp-OutputArea"),
                f"microbit-{frontend}.png",
            )
            page.mouse.up()  # released
            wait_for(page, lambda: "done" in output_text(page, 1), what="the board to see the release")
            assert output_text(page, 1).split() == ["A", "False", "A", "True", "A", "False", "done"]
        finally:
            browser.close()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("frontend", FRONTENDS)
def test_run_all_of_lesson_3_keeps_each_plot_and_the_saved_notebook_every_view(
    tmp_path: Path, frontend: str
) -> None:
    # (tests/test_saved_views_browser.py checks the same life cycle on a small notebook in JupyterLab;
    # this is the lesson a class runs, in both frontends.)
    path = tmp_path / "lesson3.ipynb"
    shutil.copy(NOTEBOOKS / "03-analog-and-plotting.ipynb", path)
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = _browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            open_notebook(page, base, token, "lesson3.ipynb", frontend)
            menu(page, "Run", "Run All Cells")
            last_prompt = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").last
            wait_for(
                page,
                lambda: last_prompt.inner_text().strip() not in ("[*]:", "[ ]:", ""),
                timeout=300,
                what="Run All",
            )
            wait_for_kernel(base, token)
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert not errors.count(), errors.first.inner_text()
            # The newest plot is live; the earlier ones became their pictures, each its own.
            wait_for(page, lambda: page.locator(".mpk-chart canvas").count() >= 1, what="the live plot")
            assert page.locator(".jp-OutputArea-output img").count() >= 2
            _shot(page.locator(".mpk-chart").first, f"plot-{frontend}.png")
            menu(page, "Kernel", "Shut Down Kernel")
            confirm = page.locator(".jp-Dialog button:has-text('Shut Down')")
            if confirm.count():
                confirm.first.click()
            wait_for(
                page,
                lambda: page.locator(".mpk-chart canvas").count() == 0,
                what="the live views to become pictures",
            )
            page.keyboard.press("Control+s")
            wait_for(
                page,
                lambda: (
                    len(saved_views(path)) >= 4
                    and not [v for v in saved_views(path) if "application/vnd.jupyter.widget-view+json" in v]
                ),
                what="the notebook saved with its pictures",
            )
            page.reload()
            page.wait_for_selector(".jp-OutputArea-output img", timeout=90_000)
            wait_for(
                page, lambda: page.locator(".jp-OutputArea-output img").count() >= 4, what="the pictures"
            )
            assert "model not found" not in page.content()
            _shot(
                page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea"),
                f"reopened-{frontend}.png",
            )
        finally:
            browser.close()
    plots = [v["image/svg+xml"] for v in saved_views(path) if "mpk-plot" in v.get("image/svg+xml", "")]
    assert len(plots) >= 3 and len(set(plots)) == len(plots), "two plots show the same picture"
    assert "light" in plots[0] and "light" not in plots[-1]  # the first plot keeps the first cell's data
    html = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", "--stdout", str(path)],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout  # fmt: skip
    assert html.count("data:image/svg+xml") >= 4 and "VBox(" not in html
