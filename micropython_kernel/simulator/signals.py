"""Signals that drive the simulated board's inputs: a constant (a slider, a button), generators
(sine, square, triangle, noise, random walk) and a recorded CSV replayed at its own timestamps.

Generators travel to the VM as a formula (``wire()``), which ``_simhw`` evaluates whenever code reads
the input: a tight loop sampling an ADC sees a smooth sine, with no traffic on the pipe. A CSV replay
is a list of steps the host sends at their times. ``value_at(t)`` gives the host the same curve
(noise and walks are random: the VM draws its own).

``MICROPYTHON_KERNEL_SEED`` (an int) seeds both sides' random numbers: a submission graded twice sees
the same noise (the same values in the order it reads them) and the same walk steps.
"""

from __future__ import annotations

import csv
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

SEED_ENV = "MICROPYTHON_KERNEL_SEED"


def seed_from_environment() -> int | None:
    """The seed of ``MICROPYTHON_KERNEL_SEED``, or None when unset; ValueError if it is no integer."""
    text = os.environ.get(SEED_ENV, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{SEED_ENV}={text!r}: the seed must be an integer") from None


def _host_seed() -> int | None:
    try:
        return seed_from_environment()
    except ValueError:  # SimulatedBoard reports it; the module still imports
        return None


# The host's own draws (value_at of noise and walks), seeded like the VM's.
_random = random.Random(_host_seed())


class Signal:
    """What drives one input over time."""

    def wire(self) -> str | None:
        """The form ``_simhw`` evaluates, or None for a signal the host steps (a replay)."""
        raise NotImplementedError

    def value_at(self, t: float) -> float:
        """The value ``t`` seconds after the signal was set."""
        raise NotImplementedError


@dataclass
class Constant(Signal):
    value: float

    def wire(self) -> str:
        return repr(float(self.value))

    def value_at(self, t: float) -> float:
        return float(self.value)


@dataclass
class Generator(Signal):
    """A periodic or random signal: ``offset + amplitude * shape(rate * t)``."""

    kind: str  # "sine", "square", "triangle", "noise", "walk"
    rate: float = 1.0  # Hz (for a walk: steps a second)
    amplitude: float = 1.0
    offset: float = 0.0
    _walk: list[float] = field(default_factory=list, repr=False)

    KINDS = ("sine", "square", "triangle", "noise", "walk")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown signal {self.kind!r}: choose one of {', '.join(self.KINDS)}")
        if self.rate <= 0:
            raise ValueError("a signal's rate must be above 0 Hz")

    def wire(self) -> str:
        return f"~{self.kind} {self.rate!r} {float(self.amplitude)!r} {float(self.offset)!r}"

    def value_at(self, t: float) -> float:
        phase = (t * self.rate) % 1
        if self.kind == "sine":
            shape = math.sin(2 * math.pi * phase)
        elif self.kind == "square":
            shape = 1.0 if phase < 0.5 else -1.0
        elif self.kind == "triangle":
            shape = 4 * phase - 1 if phase < 0.5 else 3 - 4 * phase
        elif self.kind == "noise":
            shape = 2 * _random.random() - 1
        else:  # walk: the same steps as _simhw, kept within offset +- amplitude
            value = self._walk[-1] if self._walk else self.offset
            value += self.amplitude * (2 * _random.random() - 1) / 10
            value = min(max(value, self.offset - self.amplitude), self.offset + self.amplitude)
            self._walk[:] = [value]
            return value
        return self.offset + self.amplitude * shape


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

    def wire(self) -> None:
        return None

    def value_at(self, t: float) -> float:
        if self.loop and self.duration > 0:
            t %= self.duration
        value = self.steps[0][1]
        for when, step in self.steps:
            if when > t:
                break
            value = step
        return value

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
