"""%plot and %heap through jupyter_client: the comm messages a frontend receives."""

from __future__ import annotations

import csv
import re

import pytest

from tests.widget_messages import (
    WIDGET_VIEW,
    chart_messages,
    chart_series,
    chart_shows,
    html_values,
    shown_widgets,
    updates,
)


@pytest.fixture(scope="module")
def kernel(notebook_folder):
    """The module's kernel runs in its notebook folder (%plot --export writes only there)."""
    from tests.kernel_driver import KernelSession

    session = KernelSession(cwd=str(notebook_folder))
    yield session
    session.close()


def test_plot_shows_a_widget(kernel):
    run = kernel.execute("%plot")
    assert run.status == "ok", run.error
    assert len(shown_widgets(run)) == 1
    assert run.of_type("display_data")[0]["content"]["data"][WIDGET_VIEW]["version_major"] == 2


def test_plot_parses_every_line_format(kernel, notebook_folder):
    kernel.execute("%plot --clear")
    code = (
        "for i in range(20):\n"
        "    print(i, i * 2)\n"
        "    print((i, -i))\n"
        "    print('temp:%d hum:%d' % (20 + i, 40))\n"
        "    print('acc=%e' % (i * 1e3))\n"
        "    print('not data', i)\n"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    assert "temp:39 hum:40" in run.stdout and "not data 19" in run.stdout  # still shown as text
    names = chart_series(run)[-1]
    assert names == ["0", "1", "temp", "hum", "acc"]
    assert chart_shows(run, names) == {"0": 40, "1": 40, "temp": 20, "hum": 20, "acc": 20}
    path = notebook_folder / "samples.csv"
    export = kernel.execute("%plot --export samples.csv")
    assert export.status == "ok", export.error
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["t", "0", "1", "temp", "hum", "acc"]
    assert len(rows) == 1 + 80
    assert rows[-2][1:] == ["", "", "39.0", "40.0", ""]  # one row per printed line
    assert rows[-1][1:] == ["", "", "", "", "19000.0"]


def test_plot_png_export(kernel, notebook_folder):
    kernel.execute("%plot --clear")
    kernel.execute("for i in range(50):\n    print('x:%d' % i)")
    path = notebook_folder / "plot.png"
    run = kernel.execute("%plot --export plot.png")
    assert run.status == "ok", run.error
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Wrote 50 samples" in run.stdout


def test_plot_window_bounds_what_is_drawn(kernel):
    kernel.execute("%plot --clear --window 30")
    run = kernel.execute("for i in range(200):\n    print(i)")
    assert chart_shows(run, ["0"], window=30) == {"0": 30}
    assert max(len(m["t"]) for m in chart_messages(run)) <= 30  # never more than the window is sent
    bad = kernel.execute("%plot --window 1")
    assert bad.error["ename"] == "UsageError"
    kernel.execute("%plot --window 500")


def test_plot_can_hide_data_lines(kernel):
    kernel.execute("%plot --clear --hide-data")
    run = kernel.execute("for i in range(5):\n    print(i)\n    print('line', i)\nprint('end', end='')")
    assert run.stdout == "line 0\nline 1\nline 2\nline 3\nline 4\nend"
    assert chart_shows(run, ["0"]) == {"0": 5}
    shown = kernel.execute("%plot --show-data\nprint(7)\nprint(8, end='')")
    assert shown.stdout == "7\n8"
    assert "0=8" in html_values(shown, "mpk-plot-status")[-1]  # a last line with no newline is data too


def test_plot_updates_while_the_cell_runs(kernel):
    kernel.execute("%plot --clear")
    code = "import time\nfor i in range(10):\n    print(i)\n    time.sleep(0.1)"
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    plot_updates = [
        (t, m)
        for t, m in zip(run.arrival, run.messages, strict=True)
        if m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "custom"
    ]
    # Drawn many times during the ~1 s cell, not only once at the end; each update carries only the
    # samples that are new (one a line here), not the window again.
    assert len(plot_updates) >= 5
    appends = [m["content"]["data"]["content"] for _, m in plot_updates]
    assert sum(len(a["t"]) for a in appends if a["kind"] == "append") <= 10
    idle = run.arrival[-1]
    assert plot_updates[0][0] < idle - 0.5


def test_heap_samples_after_each_cell(kernel):
    run = kernel.execute("%heap")
    assert run.status == "ok", run.error
    assert len(shown_widgets(run)) == 1
    first = html_values(run, "mpk-heap-summary")[-1]
    found = re.search(r"free ([\d.,]+) KB, used ([\d.,]+) KB, largest free block ([\d.,]+) KB", first)
    free, used, largest = (float(g.replace(",", "")) for g in found.groups())
    assert free + used == pytest.approx(128.0, abs=0.2)  # the esp32 profile's heap, as the board counts it
    assert 0 < largest <= free
    grow = kernel.execute("keep = [bytearray(1000) for i in range(20)]")
    summary = html_values(grow, "mpk-heap-summary")[-1]
    delta = int(re.search(r"used \+([\d,]+) bytes since", summary).group(1).replace(",", ""))
    assert 20_000 <= delta <= 30_000
    assert "after cell" in summary


def test_heap_marks_a_memory_error(kernel):
    kernel.execute("%heap")
    run = kernel.execute("big = bytearray(10_000_000)")
    assert run.error["ename"] == "MemoryError"
    markers = [m for message in chart_messages(run) for m in message["markers"]]
    assert markers and "MemoryError" in markers[-1][1]
    assert "MemoryError in 1 cell(s)" in html_values(run, "mpk-heap-summary")[-1]


def test_heap_query_keeps_user_names(kernel):
    kernel.execute("%heap\nimport gc\ngc_ref = gc")
    run = kernel.execute("print(gc is gc_ref, '_mpk_heap' in globals())")
    assert run.stdout == "True False\n"


def test_updates_are_parented_to_the_cell(kernel):
    run = kernel.execute("%plot\nfor i in range(3):\n    print(i)")
    assert updates(run)  # collected by parent msg_id: so they were parented to this cell


def test_heap_is_sampled_while_a_long_cell_waits(kernel):
    kernel.execute("%heap")
    code = (
        "import time\nhold = []\nfor i in range(10):\n    hold.append(bytearray(3000))\n    time.sleep(0.1)"
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    during = [
        (t, m["content"]["data"]["state"]["value"])
        for t, m in zip(run.arrival, run.messages, strict=True)
        if m["msg_type"] == "comm_msg" and "mpk-heap-summary" in str(m["content"]["data"].get("state"))
    ]
    counts = [int(re.search(r"(\d+) samples;", value).group(1)) for _, value in during]
    used = [float(re.search(r"used ([\d.,]+) KB", value).group(1).replace(",", "")) for _, value in during]
    assert len(during) >= 3 and during[0][0] < run.arrival[-1] - 0.4  # drawn while the cell ran
    assert counts == sorted(counts) and counts[-1] - counts[0] >= 3
    assert used[-2] > used[0] + 10  # the bytearrays the cell kept, seen as they grew (KB)


def test_heap_view_shows_the_block_map_and_each_cells_allocation(kernel):
    kernel.execute("%heap")
    run = kernel.execute("kept = [bytearray(1000) for i in range(10)]")
    assert run.status == "ok", run.error
    maps = [u["blocks"] for u in updates(run) if u.get("blocks")]
    assert maps, "no block map was sent"
    blocks = maps[-1]
    assert set(blocks) <= set(".h=TLDSABFMQ") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert blocks.count("A") >= 10  # the ten bytearrays are heads in the map
    cells = [u["value"] for u in updates(run) if 'class="mpk-heap-cells"' in str(u.get("value"))]
    allocated = re.findall(r"In \[(\d+)\]</td><td[^>]*>([+-][\d,]+) B", cells[-1])
    assert allocated and int(allocated[-1][1].replace(",", "")) >= 10_000  # this cell's ~10 KB
