"""What a widget frontend receives, read from a cell's iopub messages."""

from __future__ import annotations

from typing import Any

from tests.kernel_driver import CellRun

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def shown_widgets(run: CellRun) -> list[str]:
    """Model ids of the widgets a cell displayed."""
    return [m["content"]["data"][WIDGET_VIEW]["model_id"] for m in run.of_type("display_data")]


def comm_opens(run: CellRun) -> dict[str, dict[str, Any]]:
    """comm_id -> the widget state sent when the comm opened."""
    return {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in run.of_type("comm_open")}


def updates(run: CellRun, comm_id: str | None = None) -> list[dict[str, Any]]:
    """The state changes sent as comm_msg 'update' (for one widget, or all)."""
    return [
        m["content"]["data"]["state"]
        for m in run.of_type("comm_msg")
        if m["content"]["data"].get("method") == "update"
        and (comm_id is None or m["content"]["comm_id"] == comm_id)
    ]


def html_values(run: CellRun, css_class: str) -> list[str]:
    """Every HTML value sent (at open or as an update) with an element of class ``css_class``."""
    values = [s.get("value", "") for s in comm_opens(run).values()] + [
        u.get("value", "") for u in updates(run)
    ]
    return [v for v in values if isinstance(v, str) and f'class="{css_class}"' in v]


def chart_messages(run: CellRun, comm_id: str | None = None) -> list[dict[str, Any]]:
    """The data a chart (widgets/chart.py) sent: custom messages {kind: reset|append, t, columns, markers}."""
    return [
        m["content"]["data"]["content"]
        for m in run.of_type("comm_msg")
        if m["content"]["data"].get("method") == "custom"
        and isinstance(m["content"]["data"].get("content"), dict)
        and m["content"]["data"]["content"].get("kind") in ("reset", "append")
        and (comm_id is None or m["content"]["comm_id"] == comm_id)
    ]


def chart_series(run: CellRun) -> list[list[str]]:
    """Every ``series`` (the chart's column names) sent, at open or as an update."""
    states = list(comm_opens(run).values()) + updates(run)
    return [s["series"] for s in states if "series" in s]


def chart_shows(run: CellRun, names: list[str], window: int | None = None) -> dict[str, int]:
    """What the page draws after this cell: series name -> values drawn, replaying the chart's messages
    from the last reset as chart.js does (appends trimmed to ``window`` points)."""
    messages = chart_messages(run)
    resets = [i for i, m in enumerate(messages) if m["kind"] == "reset"]
    assert resets, "the chart got no reset in this cell"
    columns: list[list[Any]] = [[] for _ in names]
    t: list[float] = []
    for message in messages[resets[-1] :]:
        t += message["t"]
        for column, new in zip(columns, message["columns"], strict=True):
            column += new
    if window is not None:
        t, columns = t[-window:], [c[-window:] for c in columns]
    return {name: sum(v is not None for v in column) for name, column in zip(names, columns, strict=True)}


def board_pins(run: CellRun) -> list[dict[str, dict[str, Any]]]:
    """Every ``pins`` state the board picture (widgets/board_picture.py) was sent, at open or as an update:
    pin name -> {m: mode, v: level, b: brightness, d: detail, t: toggling, i/p: an input, pressed}."""
    states = [s for s in comm_opens(run).values() if s.get("_anywidget_id", "").endswith("BoardPicture")]
    return [s["pins"] for s in states + updates(run) if isinstance(s.get("pins"), dict)]


def board_displays(run: CellRun) -> list[list[int] | None]:
    """Every 5x5 display (25 brightness values 0..9, row by row) the board picture was sent."""
    states = [s for s in comm_opens(run).values() if "display" in s and "pins" in s] + updates(run)
    return [s["display"] for s in states if "display" in s and not isinstance(s.get("display"), str)]
