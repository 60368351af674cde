"""A saved notebook keeps every view (headless Debian Chromium): each %plot output keeps its own picture
once a newer one is shown; shutting the kernel down from the Kernel menu turns the live views into their
pictures too, so after a save and a reopen no output says "model not found"; nbconvert shows the same
pictures. Saved while the views are live, then the kernel shut down or killed, then reopened (JupyterLab 4
and Notebook 7): the new kernel gives the saved views their models back as their newest pictures
(kernel/saved_views.py), so again no "model not found"."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.jupyterlab_page import CHROMIUM, CHROMIUM_FLAGS, jupyterlab, write_notebook
from tests.notebook_page import api, menu, open_notebook, saved_views, wait_for, wait_for_kernel

sync_api = pytest.importorskip("playwright.sync_api", reason="the test extras install playwright")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELLS = [
    "%board",
    "%plot",
    "for i in range(20):\n    print('apples:%d' % i)",
    "%plot --clear",
    "for i in range(20):\n    print('pears:%d' % (20 - i))",
    "%heap",
    "keep = bytearray(3000)",
]


def _kernels(base: str, token: str) -> list[dict]:
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=20) as response:
        return json.loads(response.read())


def _until(condition, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.25)


def _menu(page, top: str, item: str) -> None:
    page.click(f"div.lm-MenuBar-itemLabel:text-is('{top}')")
    page.click(f"li.lm-Menu-item:has-text('{item}')")


def test_a_saved_notebook_keeps_every_view(tmp_path: Path) -> None:
    path = tmp_path / "views.ipynb"
    write_notebook(path, CELLS)
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(f"{base}/lab/tree/views.ipynb?token={token}")
            page.wait_for_selector("text=MicroPython | Idle", timeout=90_000)
            _menu(page, "Run", "Run All Cells")
            _until(
                lambda: page.locator(".jp-InputPrompt").nth(len(CELLS) - 1).inner_text().strip() == "[7]:",
                what="Run All",
            )
            _until(lambda: all(k["execution_state"] == "idle" for k in _kernels(base, token)), what="idle")
            # The first plot is its picture now; the second plot and the heap are live charts.
            _until(lambda: page.locator(".mpk-chart canvas").count() >= 2, what="the live charts")
            assert page.locator(".jp-OutputArea-output img").count() >= 1
            _menu(page, "Kernel", "Shut Down Kernel")
            if page.locator("button:has-text('Shut Down')").count():
                page.click("button:has-text('Shut Down')")
            _until(
                lambda: page.locator(".mpk-chart canvas").count() == 0,
                what="the live views to become pictures",
            )
            page.keyboard.press("Control+s")
            _until(
                lambda: (
                    len(saved_views(path)) == 4 and not [v for v in saved_views(path) if WIDGET_VIEW in v]
                ),
                what="save",
            )
            page.close()
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(f"{base}/lab/tree/views.ipynb?token={token}")
            page.wait_for_selector(".jp-OutputArea-output img", timeout=90_000)
            _until(lambda: page.locator(".jp-OutputArea-output img").count() >= 4, what="the pictures")
            assert "model not found" not in page.content()
        finally:
            browser.close()
    views = saved_views(path)
    plots = [v["image/svg+xml"] for v in views if "mpk-plot" in v.get("image/svg+xml", "")]
    assert len(plots) == 2 and "apples" in plots[0] and "pears" not in plots[0] and "pears" in plots[1]
    html = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", "--stdout", str(path)],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout  # fmt: skip
    pictures = [
        base64.b64decode(b).decode() for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
    assert len([p for p in pictures if "mpk-" in p]) == 4


def _picture_texts(page) -> list[str]:
    """The SVG text of every picture in the page's outputs (an image output's data URL or a picture
    widget's blob URL, fetched in the page)."""
    return page.evaluate(
        """async () => Promise.all([...document.querySelectorAll('.jp-OutputArea-output img')]
            .map(async img => (await fetch(img.src)).text()))"""
    )


@pytest.mark.timeout(600)
@pytest.mark.parametrize(("frontend", "ending"), [("lab", "shut down"), ("notebook7", "killed")])
def test_a_notebook_saved_while_its_views_are_live_reopens_with_their_pictures(
    tmp_path: Path, frontend: str, ending: str
) -> None:
    path = tmp_path / "live.ipynb"
    write_notebook(path, CELLS)
    with jupyterlab(tmp_path) as (base, token), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            open_notebook(page, base, token, "live.ipynb", frontend)
            menu(page, "Run", "Run All Cells")
            last_prompt = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").last
            wait_for(page, lambda: last_prompt.inner_text().strip() == "[7]:", timeout=300, what="Run All")
            kernel_id = wait_for_kernel(base, token)
            wait_for(page, lambda: page.locator(".mpk-chart canvas").count() >= 2, what="the live charts")
            page.keyboard.press("Control+s")  # saved while the board, the second plot and the heap are live
            live_outputs = lambda: [v for v in saved_views(path) if WIDGET_VIEW in v]  # noqa: E731
            wait_for(page, lambda: len(live_outputs()) == 3, what="the save")
            if ending == "shut down":  # as a person does: Kernel > Shut Down, then close the tab
                menu(page, "Kernel", "Shut Down Kernel")
                confirm = page.locator(".jp-Dialog button:has-text('Shut Down')")
                if confirm.count():
                    confirm.first.click()
                running = lambda: [k for k in api(base, token, "/api/kernels") if k["id"] == kernel_id]  # noqa: E731
                wait_for(page, lambda: not running(), what="the kernel to shut down")
                page.close()
            else:  # the kernel dies (the server starts it again: a new process, nothing in its memory)
                page.close()
                pid = _kernel_pid(tmp_path)
                os.kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + 60
                while _kernel_pid(tmp_path, missing_ok=True) in (pid, None):
                    assert time.monotonic() < deadline, "the server did not start the kernel again"
                    time.sleep(0.25)
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            open_notebook(page, base, token, "live.ipynb", frontend)
            pictures_shown = page.locator(".jp-OutputArea-output img")
            wait_for(page, lambda: pictures_shown.count() >= 4, what="the pictures")
            page.wait_for_timeout(1000)  # (any late "model not found" would be there by now)
            if os.environ.get("MPK_SCREENSHOT_DIR"):
                shots = Path(os.environ["MPK_SCREENSHOT_DIR"])
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"reopened-live-{frontend}.png"), full_page=True)
            assert "model not found" not in page.content()
            pictures = [p for p in _picture_texts(page) if "mpk-" in p]
            plots = [p for p in pictures if "mpk-plot" in p]
            # each view shows its newest picture: the second plot has its pears (shown empty), the heap
            # its samples
            assert len(pictures) == 4 and len(plots) == 2
            assert "apples" in plots[0] and "pears" not in plots[0] and "pears" in plots[1]
            assert any("mpk-heap" in p for p in pictures)
        finally:
            browser.close()
    html = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", "--stdout", str(path)],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout  # fmt: skip
    assert html.count("data:image/svg+xml") >= 4 and "model not found" not in html


def _kernel_pid(root: Path, missing_ok: bool = False) -> int | None:
    """The pid of the one MicroPython kernel serving ``root``'s notebooks."""
    import psutil

    for process in psutil.process_iter(["cmdline", "cwd"]):
        cmdline = process.info["cmdline"] or []
        if "micropython_kernel" in " ".join(cmdline) and "-f" in cmdline and process.info["cwd"] == str(root):
            return process.pid
    if missing_ok:
        return None
    raise AssertionError("no kernel process found")
