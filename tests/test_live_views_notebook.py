"""The live-views notebook runs headless from top to bottom (as `jupyter execute` or CI would)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.widget_messages import WIDGET_VIEW

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "live-views.ipynb"


def test_live_views_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="micropython").execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    widgets = [o for o in outputs if o.output_type == "display_data" and WIDGET_VIEW in o.data]
    assert len(widgets) == 3  # %board, %plot, %heap
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "blinked" in text and "10 blocks kept" in text
    # The widget states saved with the notebook: the plot drew both labelled series.
    states = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    # (the board picture and the heap map are AnyModels too; only charts have series)
    charts = [s["state"]["series"] for s in states.values() if "series" in s["state"]]
    assert ["sin", "cos"] in charts
