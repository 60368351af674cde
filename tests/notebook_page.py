"""Driving a notebook in a real page as a person does: JupyterLab 4 or Notebook 7 (both served by the
JupyterLab server of jupyterlab_page.py), headless Debian Chromium through Playwright."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

# The notebook's page in each frontend.
FRONTENDS = {"lab": "/lab/tree/{path}", "notebook7": "/notebooks/{path}"}


def api(base: str, token: str, path: str, method: str = "GET") -> Any:
    request = urllib.request.Request(f"{base}{path}?token={token}", method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def kernels(base: str, token: str) -> list[dict[str, Any]]:
    for attempt in range(20):  # (a server still starting a kernel can answer 500 for a moment)
        try:
            return api(base, token, "/api/kernels")
        except urllib.error.HTTPError:
            if attempt == 19:
                raise
            time.sleep(0.5)
    return []


def wait_for_kernel(base: str, token: str, state: str = "idle", timeout: float = 90) -> str:
    """Wait until a kernel is in ``state``; returns its id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [k for k in kernels(base, token) if k.get("execution_state") == state]
        if found:
            return found[0]["id"]
        time.sleep(0.25)
    raise AssertionError(f"no kernel became {state} in {timeout} s: {kernels(base, token)}")


def open_notebook(page: Any, base: str, token: str, path: str, frontend: str) -> None:
    page.goto(f"{base}{FRONTENDS[frontend].format(path=path)}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    wait_for_kernel(base, token)
    page.wait_for_timeout(500)  # (the page has connected to it)


def run_cell(page: Any, index: int) -> None:
    """Select cell ``index`` and run it (Shift+Enter), as a person does."""
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").nth(index).click()
    page.keyboard.press("Shift+Enter")


def prompt(page: Any, index: int) -> str:
    return page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").nth(index).inner_text().strip()


def wait_for(page: Any, condition: Any, timeout: float = 60, what: str = "") -> Any:
    """Poll ``condition()`` until it is truthy (a loaded machine gets time, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        page.wait_for_timeout(100)


def output_text(page: Any, index: int) -> str:
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    streams = cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']")
    return "\n".join(streams.nth(i).inner_text() for i in range(streams.count()))


def menu(page: Any, top: str, item: str) -> None:
    """Click a menu bar entry, then one of its items (JupyterLab and Notebook 7 share the menus)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def saved_views(path: Any) -> list[dict[str, Any]]:
    """The data of each display output in the notebook file at ``path`` as the server saved it; [] while
    the server is still writing it (a poll can find the file empty for a moment)."""
    import nbformat

    try:
        notebook = nbformat.read(path, as_version=4)  # (joins the lines a saved file splits text into)
    except (ValueError, OSError):  # (nbformat's NotJSONError is a ValueError)
        return []
    return [o.data for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "display_data"]
