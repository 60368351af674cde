"""Widget plumbing through jupyter_client: coalescing, input from the page while a cell runs, survival
of %reset and of a switch of target."""

from __future__ import annotations

import time

import psutil
import pytest

from tests.kernel_driver import KernelSession
from tests.widget_messages import WIDGET_VIEW, chart_messages, comm_opens, html_values, shown_widgets


@pytest.fixture()
def fresh_kernel():
    """A kernel of its own: these tests look for widgets' comms as they are first opened."""
    session = KernelSession()
    yield session
    session.close()


def test_a_flood_of_lines_is_coalesced(kernel):
    kernel.execute("%plot --clear --hide-data")
    started = time.monotonic()
    run = kernel.execute("for i in range(100000):\n    print(i)")
    elapsed = time.monotonic() - started
    assert run.status == "ok", run.error
    redraws = chart_messages(run)
    # At most ~30 redraws a second of the cell (plus the final one), never one per line.
    assert 1 <= len(redraws) <= 30 * elapsed + 3
    assert len(run.of_type("comm_msg")) <= 2 * (30 * elapsed + 3)
    assert "0=99999" in html_values(run, "mpk-plot-status")[-1]  # the final state is drawn
    assert run.stdout == ""  # hidden data lines are not output (nor counted against its limit)
    kernel.execute("%plot --show-data --clear")


def test_widget_input_reaches_the_kernel_while_a_cell_runs(fresh_kernel):
    shown = fresh_kernel.execute("%plot")
    window = next(
        comm_id
        for comm_id, state in comm_opens(shown).items()
        if state.get("_model_name") == "BoundedIntTextModel" and state.get("description") == "window"
    )
    client = fresh_kernel.client
    sent_at: list[float] = []
    drawn_10: list[float] = []

    drawn: list[int] = []

    def on_message(message: dict) -> None:
        data = message["content"].get("data", {})
        if message["msg_type"] != "comm_msg":
            return
        if data.get("method") == "custom":
            drawn.append(len(data["content"]["t"]))
        status = str(data.get("state", {}).get("value", ""))
        if not sent_at and len(drawn) > 3:  # the plot is drawing: move the widget as a user would
            request = client.session.msg(
                "comm_msg", {"comm_id": window, "data": {"method": "update", "state": {"value": 10}}}
            )
            client.shell_channel.send(request)
            sent_at.append(time.monotonic())
        elif sent_at and not drawn_10 and ">10 samples shown" in status:
            drawn_10.append(time.monotonic())  # the plot uses the new window of 10

    code = "import time\nfor i in range(40):\n    print(i)\n    time.sleep(0.05)"
    run = fresh_kernel.execute(code, on_message=on_message)
    assert run.status == "ok", run.error
    assert sent_at and drawn_10, "the change from the page was not applied while the cell ran"
    assert run.arrival[-1] > 0  # (the lag is printed by benchmarks/widget_rate.py)


def test_views_survive_reset_and_a_switch_of_target(fresh_kernel):
    first = fresh_kernel.execute("%board\n%plot")
    panel_ids = set(comm_opens(first))
    again = fresh_kernel.execute("%reset\nprint(1)\nprint(2)")
    assert again.status == "ok", again.error
    assert {u["comm_id"] for u in _comm_msgs(again)} <= panel_ids  # the same widgets, no new ones
    assert [m["kind"] for m in chart_messages(again)][-1] in ("reset", "append")  # the plot still draws
    # Another board: the esp32's panel keeps its picture (it never turns into the pico's panel) and
    # the plot goes on; %board shows the pico.
    switched = fresh_kernel.execute("%connect sim pico\nprint(3)")
    assert switched.status == "ok", switched.error
    pictures = [m["content"]["data"] for m in switched.of_type("update_display_data")]
    board_pictures = [p for p in pictures if "mpk-board-picture" in p.get("image/svg+xml", "")]
    assert board_pictures and board_pictures[-1]["text/plain"].startswith("simulated esp32")
    assert WIDGET_VIEW not in board_pictures[-1]
    assert chart_messages(switched)  # the plot still draws
    shown = fresh_kernel.execute("%board")
    assert shown_widgets(shown) and comm_opens(shown)  # a new panel, of the pico
    assert shown.of_type("display_data")[-1]["content"]["data"]["text/plain"].startswith("simulated pico")


def _comm_msgs(run):
    return [m["content"] for m in run.of_type("comm_msg")]


def test_floods_with_every_view_shown_do_not_grow_the_kernel(fresh_kernel):
    kernel_process = psutil.Process(fresh_kernel.manager.provisioner.process.pid)
    fresh_kernel.execute("%board\n%plot --hide-data\n%heap")
    toggles = "import _simhw\nc = _simhw.code_for('pin', 'GPIO4')\n"
    toggles += "for i in range(100000):\n    _simhw.level(c, i & 1)"
    lines = "for i in range({n}):\n    print('a:%d b:%d' % (i, -i))"
    # Warm up until the bounded histories are full (100,000 data samples, 10,000 events, and the timeline's
    # ring of 2**20 events: 18.9 MB, board/timeline.py).
    assert fresh_kernel.execute(lines.format(n=110_000), timeout=120).status == "ok"
    assert fresh_kernel.execute(toggles.replace("100000", "1100000"), timeout=120).status == "ok"
    before = kernel_process.memory_info().rss
    for _ in range(5):
        assert fresh_kernel.execute(toggles).status == "ok"
        assert fresh_kernel.execute(lines.format(n=30_000), timeout=120).status == "ok"
    after = kernel_process.memory_info().rss
    # Stated bound: 500,000 more toggles and 150,000 more data lines grow the kernel by < 10 MB.
    assert after - before < 10 * 1024 * 1024, (before, after)
    print(f"kernel RSS {before / 2**20:.1f} MB -> {after / 2**20:.1f} MB")
