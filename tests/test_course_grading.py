"""The example course (notebooks/course) through real nbgrader, as a teacher runs it.

generate_assignment must reproduce the released notebooks in the repo; submissions (right, wrong, an
endless loop, a Timer that never stops, input(), a deep sleep, sys.exit(), a MemoryError) are
autograded, feedback is generated and the grades exported; every score is asserted, a runaway never
hangs the grader (the per-cell timeout interrupts it), and one submission graded twice gets the same
grade and the same (seeded) noisy readings. The bound on the whole run is the test's timeout.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

COURSE = Path(__file__).resolve().parent.parent / "notebooks" / "course"
NOTEBOOKS = {"blink": "blink.ipynb", "adc-average": "adc-average.ipynb"}
SOLUTION_CELL = {"blink": "start_blinking", "adc-average": "solution"}

BLINK_ANSWERS = {
    "right": """\
def start_blinking(hz):
    def toggle(timer):
        led.value(not led.value())

    return Timer(0, period=round(500 / hz), callback=toggle)
""",
    # Toggles at hz, so it blinks at half the rate asked for.
    "wrong": """\
def start_blinking(hz):
    return Timer(0, freq=hz, callback=lambda t: led.value(not led.value()))
""",
    "endless": """\
def start_blinking(hz):
    while True:
        led.value(not led.value())
        time.sleep_ms(round(500 / hz))
""",
    # Right, and a second Timer that never stops (it flickers GPIO4 all through the grading): the
    # grade must not change, and nothing may hang.
    "neverstops": """\
def start_blinking(hz):
    def toggle(timer):
        led.value(not led.value())

    return Timer(0, period=round(500 / hz), callback=toggle)


flicker = Pin(4, Pin.OUT)
Timer(1, freq=20, callback=lambda t: flicker.value(not flicker.value()))
""",
    "exits": """\
import sys

def start_blinking(hz):
    sys.exit()
""",
}
ADC_ANSWERS = {
    "right": """\
def read_average(adc, n):
    total = 0
    for _ in range(n):
        total += adc.read_u16()
    return total // n


def report(adc, count):
    for _ in range(count):
        print("raw:%d avg:%d" % (adc.read_u16(), read_average(adc, 16)))
""",
    # The last reading, not the mean.
    "wrong": """\
def read_average(adc, n):
    for _ in range(n):
        value = adc.read_u16()
    return value


def report(adc, count):
    for _ in range(count):
        print("raw:%d avg:%d" % (adc.read_u16(), read_average(adc, 16)))
""",
    "asks": """\
def read_average(adc, n):
    n = int(input("how many readings? "))
    return sum(adc.read_u16() for _ in range(n)) // n


def report(adc, count):
    print(read_average(adc, count))
""",
    "sleeps": """\
import machine

def read_average(adc, n):
    machine.deepsleep()  # saving power between readings


def report(adc, count):
    read_average(adc, count)
""",
    "hoards": """\
def read_average(adc, n):
    buffers = [bytearray(64 * 1024) for _ in range(n)]
    return sum(adc.read_u16() for _ in buffers) // n


def report(adc, count):
    print(read_average(adc, count))
""",
}
EXPECTED = {
    ("blink", "right"): 6,
    ("blink", "wrong"): 1,  # it blinks, but not at 2 Hz (on the board or on the timeline) nor in halves
    ("blink", "endless"): 0,
    ("blink", "neverstops"): 6,
    ("blink", "exits"): 0,
    ("adc-average", "right"): 5,
    ("adc-average", "wrong"): 1,  # only the steady input averages right
    ("adc-average", "asks"): 0,
    ("adc-average", "sleeps"): 0,
    ("adc-average", "hoards"): 0,
}


def nbgrader(course: Path, *args: str, timeout: float = 900) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=timeout,  # a hung grader fails here instead of hanging the suite
    )
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def submit(course: Path, assignment: str, student: str, answer: str) -> None:
    """A student's notebook: the released one with their answer in the solution cell."""
    notebook = nbformat.read(course / "release" / assignment / NOTEBOOKS[assignment], as_version=4)
    cells = [
        c
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == SOLUTION_CELL[assignment]
    ]
    assert len(cells) == 1
    cells[0].source = answer
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / NOTEBOOKS[assignment])


def cell_outputs(notebook_path: Path, grade_id: str) -> list[dict]:
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell.outputs
    raise KeyError(grade_id)


def error_names(notebook_path: Path) -> set[str]:
    notebook = nbformat.read(notebook_path, as_version=4)
    return {
        o.ename
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A teacher's copy of the course: its config and sources, nothing graded yet."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(COURSE / "nbgrader_config.py", root)
    shutil.copytree(COURSE / "source", root / "source")
    return root


@pytest.mark.timeout(1500)
def test_the_course_through_nbgrader(course: Path):
    for assignment in NOTEBOOKS:
        nbgrader(course, "generate_assignment", assignment)
        released = nbformat.read(course / "release" / assignment / NOTEBOOKS[assignment], as_version=4)
        in_repo = nbformat.read(COURSE / "release" / assignment / NOTEBOOKS[assignment], as_version=4)
        assert [c.source for c in released.cells] == [c.source for c in in_repo.cells], (
            f"notebooks/course/release/{assignment} is out of date: run nbgrader generate_assignment"
        )
        source = "".join(c.source for c in released.cells)
        assert "BEGIN SOLUTION" not in source and "HIDDEN TESTS" not in source
        assert "raise NotImplementedError()" in source  # the code stub of nbgrader_config.py

    for (assignment, student), _ in EXPECTED.items():
        answers = BLINK_ANSWERS if assignment == "blink" else ADC_ANSWERS
        submit(course, assignment, student, answers[student])
    for assignment in NOTEBOOKS:
        nbgrader(course, "autograde", assignment)
        nbgrader(course, "generate_feedback", assignment)
    nbgrader(course, "export", "--to", "grades.csv")

    with open(course / "grades.csv", newline="") as handle:
        scores = {
            (row["assignment"], row["student_id"]): float(row["score"]) for row in csv.DictReader(handle)
        }
    # (The export lists every student for every assignment: one not submitted scores 0.)
    assert {key: scores[key] for key in EXPECTED} == {key: float(points) for key, points in EXPECTED.items()}
    assert all(score == 0 for key, score in scores.items() if key not in EXPECTED)

    autograded = course / "autograded"
    # The runaways were stopped (and said so), the crashes reported as the board reported them.
    assert "CellTimeoutError" in error_names(autograded / "endless" / "blink" / "blink.ipynb")
    assert not error_names(autograded / "neverstops" / "blink" / "blink.ipynb")
    assert "BoardRestarted" in error_names(autograded / "exits" / "blink" / "blink.ipynb")
    # (input() on a grader, which takes no input: EOFError at once, as from an empty console)
    assert "EOFError" in error_names(autograded / "asks" / "adc-average" / "adc-average.ipynb")
    assert "CellTimeoutError" in error_names(autograded / "sleeps" / "adc-average" / "adc-average.ipynb")
    assert "MemoryError" in error_names(autograded / "hoards" / "adc-average" / "adc-average.ipynb")
    for student in ("right", "wrong"):
        for assignment, name in NOTEBOOKS.items():
            feedback = course / "feedback" / student / assignment / name.replace(".ipynb", ".html")
            assert feedback.exists() and "Test cell" in feedback.read_text()

    # Graded again: the same grade, and the same seeded noise read by the board.
    report = autograded / "right" / "adc-average" / "adc-average.ipynb"
    first = cell_outputs(report, "test-report")
    nbgrader(course, "autograde", "adc-average", "--student", "right", "--force")
    again = cell_outputs(report, "test-report")
    assert [o.get("text") for o in again] == [o.get("text") for o in first]
    assert "spread raw" in first[0]["text"]
    nbgrader(course, "export", "--to", "again.csv")
    with open(course / "again.csv", newline="") as handle:
        rows = {(row["assignment"], row["student_id"]): float(row["score"]) for row in csv.DictReader(handle)}
    assert rows[("adc-average", "right")] == 5.0


def test_the_seed_and_clean_flash_reach_the_kernel():
    """The course's config sets them for the kernels nbgrader starts (unless the teacher did)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROPYTHON_KERNEL_")}
    code = (
        "import runpy, os\n"
        "from traitlets.config import Config\n"
        "runpy.run_path('nbgrader_config.py', {'get_config': Config})\n"
        "print(os.environ['MICROPYTHON_KERNEL_FLASH'], os.environ['MICROPYTHON_KERNEL_SEED'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=COURSE, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["clean", "101"], out.stderr
