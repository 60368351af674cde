"""The lessons in notebooks/ run top to bottom without an error cell, as a student would run them.

Every lesson runs on the simulated board, except 07 (real boards), which runs against the QEMU
micro:bit (MicroPython v1.9.2): its pty is handed to the kernel as the default target, the way a
user with a board sets MICROPYTHON_KERNEL_TARGET. The kernel starts in the notebooks' folder, as
Jupyter starts it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
REAL_BOARD_LESSON = NOTEBOOK_DIR / "07-real-boards.ipynb"
CELL_TIMEOUT = 60  # seconds; a lesson's cells take well under a few seconds each


def run_lesson(path: Path, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """Execute the notebook; nbclient raises CellExecutionError at the first error cell."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="micropython",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute(**({"env": env} if env is not None else {}))
    return notebook


def errors_in(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        f"{output.get('ename')}: {output.get('evalue')}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


def test_the_lessons_are_numbered_in_order() -> None:
    numbers = [int(path.name[:2]) for path in LESSONS]
    assert numbers == list(range(1, 8)), [path.name for path in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=[path.stem for path in LESSONS])
def test_lesson_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "micropython"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", [p for p in LESSONS if p != REAL_BOARD_LESSON], ids=lambda p: p.stem)
def test_lesson_runs_on_the_simulated_board(path: Path) -> None:
    before = set(NOTEBOOK_DIR.iterdir())
    notebook = run_lesson(path)
    assert errors_in(notebook) == []
    assert set(NOTEBOOK_DIR.iterdir()) == before, "a lesson must clean up the files it makes"
    # Every code cell ran (nothing was skipped after a silent failure).
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")


def test_real_board_lesson_runs_on_the_qemu_microbit(microbit) -> None:
    before = set(NOTEBOOK_DIR.iterdir())
    notebook = run_lesson(REAL_BOARD_LESSON, env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=microbit.port))
    assert errors_in(notebook) == []
    assert set(NOTEBOOK_DIR.iterdir()) == before
    text = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == "stream"
    )
    # It really ran on the micro:bit's firmware, not on the simulated board.
    assert "MicroPython 1.9.2" in text and f"Connected to {microbit.port}" in text


def test_readme_links_the_lessons_in_order() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Lessons", 1)[1].split("\n## ", 1)[0]
    linked = re.findall(r"\]\((notebooks/[0-9][0-9]-[^)]+\.ipynb)\)", section)
    assert linked == [f"notebooks/{path.name}" for path in LESSONS]
