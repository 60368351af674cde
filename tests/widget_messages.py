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
