"""A notebook saved while its views are live gets their models back from a new kernel, as pictures
(kernel/saved_views.py), through jupyter_client as ipywidgets' manager asks for them: comm_info_request
for "jupyter.widget", then each model's state. (tests/test_saved_views_browser.py does it in the page.)"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from tests.kernel_driver import KernelSession, MessagePump

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _ask_for_widgets(pump: MessagePump) -> tuple[dict, dict]:
    """As the page does when it connects: (comm_info_reply content, comm_open states by id)."""
    client = pump.client
    request = client.session.msg("comm_info_request", {"target_name": "jupyter.widget"})
    client.shell_channel.send(request)
    msg_id = request["header"]["msg_id"]
    while True:
        reply = client.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert pump.wait_for(lambda: pump.idle(msg_id), timeout=30)
    opens = {m["content"]["comm_id"]: m for m in pump.messages(msg_id, "comm_open")}
    return reply["content"], opens


def _kernel(tmp_path: Path, notebook: Path | None) -> KernelSession:
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    if notebook is not None:
        env["JPY_SESSION_NAME"] = str(notebook)
    return KernelSession(env=env, cwd=str(tmp_path))


def test_a_saved_live_plot_comes_back_as_its_newest_picture(tmp_path: Path) -> None:
    first = _kernel(tmp_path, None)
    try:
        pump = MessagePump(first)
        _ask_for_widgets(pump)  # a page that renders widgets (it never gets a newer output)
        shown = first.execute("%plot")
        (output,) = [m["content"] for m in shown.messages if m["msg_type"] == "display_data"]
        model_id = output["data"][WIDGET_VIEW]["model_id"]
        assert "pears" not in output["data"]["image/svg+xml"]  # shown empty
        assert first.execute("for i in range(5):\n    print('pears:%d' % i)").status == "ok"
    finally:
        first.close()
    # The notebook as the page saved it: the output as it was shown (a widget and its first picture).
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("%plot")
    cell.outputs = [nbformat.v4.new_output("display_data", data=output["data"])]
    notebook.cells = [cell, nbformat.v4.new_code_cell("x = 1")]
    path = tmp_path / "saved.ipynb"
    nbformat.write(notebook, path)

    second = _kernel(tmp_path, path)
    try:
        pump = MessagePump(second)
        info, opens = _ask_for_widgets(pump)
        assert model_id in info["comms"]
        state = opens[model_id]["content"]["data"]["state"]
        assert state["_model_name"] == "ImageModel" and state["format"] == "svg+xml"
        picture = opens[model_id]["buffers"][0].tobytes().decode()
        assert "mpk-plot" in picture and "pears" in picture  # the newest picture, not the saved one
        _, again = _ask_for_widgets(pump)  # (a reconnecting page: nothing made twice)
        assert not again
        assert second.execute("print(1 + 1)").stdout == "2\n"
    finally:
        second.close()


def test_a_kernel_without_its_notebook_or_with_a_broken_one_makes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [{"outputs": [{"data": {"' + WIDGET_VIEW + '": 3}}]}')  # cut short
    for notebook in (None, broken, tmp_path / "gone.ipynb"):
        session = _kernel(tmp_path, notebook)
        try:
            info, opens = _ask_for_widgets(MessagePump(session))
            assert info["status"] == "ok" and not info["comms"] and not opens
            assert session.execute("print('ok')").stdout == "ok\n"
        finally:
            session.close()
