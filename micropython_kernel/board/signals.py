"""Signals that drive a board's inputs (``BoardInputs``): a constant (a slider, a button), generators
(sine, square, triangle, noise, random walk) and a recorded CSV replayed at its own timestamps.

They are plain descriptions: the board that takes them decides how they reach its inputs. The simulated
board sends a generator to the VM as a formula (``wire()``) that its ``_simhw`` evaluates whenever code
reads the input, so a tight loop sampling an ADC sees a smooth sine with no traffic on the pipe; a CSV
replay is a list of steps the host sends at their times.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path


class Signal:
    """What drives one input over time."""


@dataclass
class Constant(Signal):
    value: float


@dataclass
class Generator(Signal):
    """A periodic or random signal: ``offset + amplitude * shape(rate * t)``."""

    kind: str  # "sine", "square", "triangle", "noise", "walk"
    rate: float = 1.0  # Hz (for a walk: steps a second)
    amplitude: float = 1.0
    offset: float = 0.0

    KINDS = ("sine", "square", "triangle", "noise", "walk")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown signal {self.kind!r}: choose one of {', '.join(self.KINDS)}")
        if self.rate <= 0:
            raise ValueError("a signal's rate must be above 0 Hz")


@dataclass
class Replay(Signal):
    """Recorded (seconds, value) steps replayed at their own times; ``loop`` starts over at the end."""

    steps: list[tuple[float, float]]
    loop: bool = False

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a replay needs at least one (time, value) row")
        self.steps.sort()
        start = self.steps[0][0]
        self.steps = [(t - start, v) for t, v in self.steps]

    @property
    def duration(self) -> float:
        return self.steps[-1][0]

    @classmethod
    def from_csv(cls, path: str | Path, column: str | int | None = None, loop: bool = False) -> Replay:
        """Rows of ``time, value`` from a CSV file (see ``from_csv_text``)."""
        with open(path, newline="") as handle:
            return cls.from_csv_text(handle.read(), Path(path).name, column, loop)

    @classmethod
    def from_csv_text(
        cls, text: str, name: str, column: str | int | None = None, loop: bool = False
    ) -> Replay:
        """Rows of ``time, value`` (a header line is skipped; ``column`` picks the value column by
        name or index, else the second). Times in seconds. Errors name the file and the row, never
        the file's content (it may be any file the user pointed at)."""
        rows = [row for row in csv.reader(text.splitlines()) if row and not row[0].lstrip().startswith("#")]
        header: list[str] = []
        if rows and not is_number(rows[0][0]):
            header = [cell.strip() for cell in rows.pop(0)]
        index = 1
        if isinstance(column, int):
            index = column
        elif column is not None:
            if column not in header:
                raise ValueError(
                    f"{name}: no column named {column!r} in its header ({len(header)} columns); "
                    "column=N picks the N-th column, counting from 0"
                )
            index = header.index(column)
        steps = []
        for number, row in enumerate(rows, start=2 if header else 1):
            if index < len(row) and not row[index].strip():
                continue  # an empty cell: this series had no value on that line (as %export writes it)
            try:
                step = (float(row[0]), float(row[index]))
            except (ValueError, IndexError) as err:
                raise ValueError(f"{name}, row {number}: expected 'time, value' numbers") from err
            if not all(math.isfinite(v) for v in step):
                raise ValueError(f"{name}, row {number}: expected finite numbers")
            steps.append(step)
        if not steps:
            raise ValueError(f"{name}: no 'time, value' rows")
        return cls(steps, loop=loop)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
