"""BoardInputs: the capability of a board whose inputs the host can drive (pins, ADCs, sensors).

A simulated board has it (``Board.inputs``); a board on a serial port does not (``inputs`` is None):
its pins are driven by the world, not by the notebook. Widgets and magics use only this and the
``BoardState``, never the board's own classes, so a second simulator (or a test rig driving a real
board's pins) could offer the same controls.

Values are in each input's own unit: a digital pin 0..1, an ADC pin on the ``read_u16`` scale
(0..65535), a sensor quantity in its physical unit ("aht20.temperature" in degrees C). How one
number reads on a pin (``level``) is the board's rule, written once (docs/architecture.md, "Inputs").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from .signals import Constant, Signal

DIGITAL_RANGE = (0.0, 1.0)
ADC_RANGE = (0.0, 65535.0)  # read_u16


class BoardInputs(ABC):
    """The inputs of one board that the host can drive. Names are canonical after ``resolve``."""

    @abstractmethod
    def names(self) -> list[str]:
        """Every drivable input: pins first (as the profile names them), then sensor quantities."""

    @abstractmethod
    def resolve(self, name: str) -> str:
        """The canonical name of input ``name`` ("adc34" -> "GPIO34"); ValueError if there is none."""

    @abstractmethod
    def range(self, name: str) -> tuple[float, float]:
        """The usual range of input ``name`` (what a slider spans, what a generator swings across)."""

    @abstractmethod
    def set_signal(self, name: str, signal: Signal | None) -> None:
        """Drive input ``name`` with ``signal`` (a constant, a generator, a replay); None releases it."""

    def set_value(self, name: str, value: float) -> None:
        """Drive input ``name`` with a constant ``value`` (in its unit: see the module's docstring)."""
        self.set_signal(name, Constant(value))

    @abstractmethod
    def level(self, value: float) -> int:
        """The logic level (0 or 1) that a pin driven with the constant ``value`` reads."""

    @abstractmethod
    def signals(self) -> Mapping[str, Signal]:
        """The signals in force now, by input name (set by %signal, %replay, a widget ...)."""

    @abstractmethod
    def sensors(self) -> Mapping[str, list[str]]:
        """The sensor quantities by the sensor that measures them. The board's own sensors (the
        micro:bit's buttons and accelerometer) are under ``BOARD_SENSOR``; a chip's (``"aht20"``:
        ["aht20.temperature", "aht20.humidity"]) under its name."""


BOARD_SENSOR = ""  # the key of the board's own sensor quantities in ``BoardInputs.sensors()``
