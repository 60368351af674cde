"""A saved notebook keeps every view, in JupyterLab 4 (headless Debian Chromium): each %plot output
keeps its own picture once a newer one is shown; shutting the kernel down from the Kernel menu turns
the live views into their pictures too, so after a save and a reopen no output says "model not found";
nbconvert shows the same pictures. (Measured beside it, not asserted: a notebook saved while its views
are live, then reopened after its kernel died, shows "model not found" for those live views:
docs/architecture.md, "Views in saved notebooks".)"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.jupyterlab_page import CHROMIUM, CHROMIUM_FLAGS, jupyterlab, write_notebook

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


def _views(path: Path) -> list[dict]:
    """The data of each view output in the saved notebook."""
    notebook = nbformat.read(path, as_version=4)  # (joins the lines a saved file splits text into)
    return [o.data for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "display_data"]


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
                lambda: len(_views(path)) == 4 and not [v for v in _views(path) if WIDGET_VIEW in v],
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
    views = _views(path)
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
