"""The simulated board's I2C/SPI inputs, as the host sees them (names, defaults, units, ranges).

The chips themselves are MicroPython source that runs in the VM (``mpy/_sim_devices.py``); their
inputs are listed there once, as a plain literal, and read here without running that file, so the
host (``SimulatedInputs``, the widgets' sliders) and the VM can never disagree about them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache

from .vm import MPY_LIB


@dataclass(frozen=True)
class SensorInput:
    name: str  # e.g. "aht20.temperature"
    default: float  # what a fresh board reads
    unit: str  # "degC", "%RH", "m/s2", "bool"
    low: float  # the range a control offers (the chip's own measuring range)
    high: float


@cache
def sensor_inputs() -> dict[str, SensorInput]:
    """The inputs of the simulated chips and buses, by name, in the order the VM lists them."""
    tree = ast.parse((MPY_LIB / "_sim_devices.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "INPUTS" for t in node.targets):
            return {row[0]: SensorInput(*row) for row in ast.literal_eval(node.value)}
    raise RuntimeError("mpy/_sim_devices.py has no INPUTS literal")
