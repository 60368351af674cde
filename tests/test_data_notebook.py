"""The board-data notebook runs top to bottom on the simulated board, as a user would run it."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "board-data-in-python.ipynb"


def test_board_data_notebook_runs(tmp_path: Path) -> None:
    copy = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    notebook = nbformat.read(copy, as_version=4)
    NotebookClient(
        notebook, timeout=120, kernel_name="micropython", resources={"metadata": {"path": tmp_path}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    text = "".join(output.get("text", "") for output in outputs)
    assert "40 samples, mean" in text and "wrote 40 samples of 'light' to light.csv" in text
    assert any("image/png" in output.get("data", {}) for output in outputs)
    assert (tmp_path / "light.csv").read_text().startswith("host_time,light\n")
    assert "different values read back" in text
