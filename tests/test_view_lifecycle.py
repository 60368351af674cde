"""Each %plot/%board/%heap output keeps its own picture: a view is live until a newer view of its kind
is shown, then its output becomes its static picture (update_display_data by display_id). Live views
carry a picture too, kept current after each cell for frontends that do not render widgets, and become
pictures when the kernel shuts down. Checked through jupyter_client, nbclient, nbconvert and `run`."""

from __future__ import annotations

import base64
import json
import queue
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.jupyterlab_page import write_notebook
from tests.kernel_driver import CellRun, KernelSession
from tests.widget_messages import WIDGET_VIEW

SVG = "image/svg+xml"


@pytest.fixture()
def fresh_kernel():
    session = KernelSession()
    yield session
    session.close()


def _shown(run: CellRun) -> list[tuple[str, dict]]:
    """(display_id, data) of each display_data the cell showed."""
    return [
        (m["content"]["transient"].get("display_id", ""), m["content"]["data"])
        for m in run.of_type("display_data")
    ]


def _updates(run: CellRun, display_id: str) -> list[dict]:
    return [
        m["content"]["data"]
        for m in run.of_type("update_display_data")
        if m["content"]["transient"].get("display_id") == display_id
    ]


def test_a_newer_plot_turns_the_last_one_into_its_picture(fresh_kernel):
    first = fresh_kernel.execute("%plot\nfor i in range(5):\n    print('apples:%d' % i)")
    [(first_id, first_data)] = _shown(first)
    assert first_id and WIDGET_VIEW in first_data and SVG in first_data  # live, with a picture
    second = fresh_kernel.execute("%plot --clear\nfor i in range(5):\n    print('pears:%d' % i)")
    [(second_id, second_data)] = _shown(second)
    assert second_id != first_id and WIDGET_VIEW in second_data
    frozen = _updates(second, first_id)
    assert frozen, "the first plot's output was not replaced"
    assert WIDGET_VIEW not in frozen[-1]  # a picture only: a saved notebook shows it without a kernel
    assert "apples" in frozen[-1][SVG] and "pears" not in frozen[-1][SVG]
    assert "apples" in frozen[-1]["text/plain"]
    # ... and its widgets closed (nothing draws them any more).
    closed = {m["content"]["comm_id"] for m in second.of_type("comm_close")}
    assert first_data[WIDGET_VIEW]["model_id"] in closed


def test_clear_then_plot_shows_one_live_plot(fresh_kernel):
    cleared = fresh_kernel.execute("%plot --clear")
    again = fresh_kernel.execute("%plot\nprint(1, 2)")
    [(cleared_id, _)] = _shown(cleared)
    assert _updates(again, cleared_id) and WIDGET_VIEW not in _updates(again, cleared_id)[-1]
    assert len([d for _, d in _shown(again) if WIDGET_VIEW in d]) == 1


def test_an_earlier_board_panel_keeps_its_board(fresh_kernel):
    microbit = fresh_kernel.execute("%connect sim microbit\n%board")
    [(microbit_id, _)] = _shown(microbit)
    esp32 = fresh_kernel.execute("%connect sim esp32\n%board")
    frozen = _updates(esp32, microbit_id)
    assert frozen and frozen[-1]["text/plain"].startswith("simulated microbit")
    assert 'class="mpk-px"' in frozen[-1][SVG]  # the micro:bit's 5x5 display, not the ESP32's picture
    [(_, live)] = _shown(esp32)
    assert live["text/plain"].startswith("simulated esp32") and 'class="mpk-px"' not in live[SVG]


def test_a_live_view_carries_a_current_picture_after_each_cell(fresh_kernel):
    shown = fresh_kernel.execute("%plot")
    [(plot_id, _)] = _shown(shown)
    run = fresh_kernel.execute("for i in range(5):\n    print('volts:%d' % i)")
    updates = _updates(run, plot_id)
    assert updates and WIDGET_VIEW in updates[-1]  # still live
    assert "volts" in updates[-1][SVG]  # ... and its picture shows the new data


def test_no_live_output_is_sent_again_to_a_page_that_renders_widgets(fresh_kernel):
    client = fresh_kernel.client
    # What ipywidgets' manager in JupyterLab does when it connects: it opens the control comm.
    opened = client.session.msg(
        "comm_open", {"comm_id": "control-1", "target_name": "jupyter.widget.control", "data": {}}
    )
    client.shell_channel.send(opened)
    shown = fresh_kernel.execute("%plot")
    [(plot_id, _)] = _shown(shown)
    run = fresh_kernel.execute("for i in range(5):\n    print('volts:%d' % i)")
    assert not _updates(run, plot_id)  # (a new output would render a second view of each widget)


def test_live_views_become_pictures_when_the_kernel_shuts_down():
    session = KernelSession()
    try:
        run = session.execute("%board\n%plot\n%heap\nprint(1, 2)")
        ids = {display_id for display_id, _ in _shown(run)}
        assert len(ids) == 3
        client = session.client
        client.shutdown()
        pictures: dict[str, dict] = {}
        while set(pictures) != ids:
            try:
                message = client.get_iopub_msg(timeout=30)
            except queue.Empty:
                break
            if message["msg_type"] == "update_display_data":
                pictures[message["content"]["transient"]["display_id"]] = message["content"]["data"]
        assert set(pictures) == ids
        assert all(WIDGET_VIEW not in data and SVG in data for data in pictures.values())
    finally:
        session.close()


NOTEBOOK_CELLS = [
    "%board",
    "from machine import Pin\nPin(2, Pin.OUT).value(1)",
    "%plot",
    "for i in range(20):\n    print('apples:%d' % i)",
    "%plot --clear",
    "for i in range(20):\n    print('pears:%d' % (20 - i))",
    "%heap",
    "keep = bytearray(5000)",
]


def _views_notebook(path: Path) -> Path:
    write_notebook(path, NOTEBOOK_CELLS)
    return path


def _view_outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "display_data"]


def test_every_view_of_an_executed_notebook_has_its_picture(tmp_path):
    notebook = nbformat.read(_views_notebook(tmp_path / "views.ipynb"), as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="micropython").execute()
    views = _view_outputs(notebook)
    assert len(views) == 4  # %board, %plot, %plot --clear, %heap
    assert all(SVG in o.data and o.data["text/plain"] for o in views)
    live = [o for o in views if WIDGET_VIEW in o.data]
    assert len(live) == 3  # the first plot became its picture; the others are live, with pictures
    first_plot, second_plot = views[1].data[SVG], views[2].data[SVG]
    assert "apples" in first_plot and "pears" not in first_plot
    assert "pears" in second_plot and "apples" not in second_plot
    assert 'data-pin="GPIO2"' in views[0].data[SVG]


def test_nbconvert_html_and_run_show_the_pictures(tmp_path):
    executed = tmp_path / "executed.ipynb"
    source = _views_notebook(tmp_path / "views.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "micropython_kernel", "run", str(source), "--output", str(executed)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "VBox(" not in run.stdout and "apples" in run.stdout and "pears" in run.stdout
    html = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", "--stdout", str(executed)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert html.returncode == 0, html.stderr
    # nbconvert embeds each SVG as an <img> (data: URL): every view's picture, and no widget left.
    pictures = [
        base64.b64decode(b).decode()
        for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html.stdout)
    ]
    ours = [p for p in pictures if "mpk-" in p]
    assert len(ours) == 4, len(ours)
    assert "VBox(" not in html.stdout and 'type="application/vnd.jupyter.widget-view+json"' not in html.stdout
    saved = json.loads(executed.read_text())
    views = [o for c in saved["cells"] for o in c.get("outputs", []) if o["output_type"] == "display_data"]
    assert len(views) == 4 and not [o for o in views if WIDGET_VIEW in o["data"]]
