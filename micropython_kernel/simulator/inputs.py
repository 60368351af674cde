"""SimulatedInputs: the simulated board's BoardInputs (pins, ADCs, the board's and the chips' sensors).

Signals go to the VM through the HardwareModel, which sends them again to a fresh VM (a reset keeps what the
notebook drives); a CSV replay is stepped from here at its recorded times. A constant on a pin is also shown
on the BoardState at once, with the level the code will read: the rule for that is the VM's own
``mpy/_levels.py``, loaded here from the same file.
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
from collections.abc import Mapping
from functools import cache
from types import ModuleType

from ..board.inputs import ADC_RANGE, BOARD_SENSOR, DIGITAL_RANGE, BoardInputs
from ..board.signals import Constant, Replay, Signal
from ..board.state import TIMELINE, BoardState, HardwareEvent, PinState
from .devices import sensor_inputs
from .hardware import HardwareModel
from .profiles import BoardProfile
from .vm import MPY_LIB
from .wire import signal_wire


@cache
def levels() -> ModuleType:
    """``mpy/_levels.py``, the VM's rule for how a driven number reads on a pin (``level``, ``u16``)."""
    spec = importlib.util.spec_from_file_location("_mpk_levels", MPY_LIB / "_levels.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class SimulatedInputs(BoardInputs):
    def __init__(self, profile: BoardProfile, hardware: HardwareModel, state: BoardState) -> None:
        self._profile = profile
        self._hardware = hardware
        self._state = state
        self._signals: dict[str, Signal] = {}  # name -> the signal driving it (kept across VMs)
        self._replays: dict[str, asyncio.Task[None]] = {}
        # The board's own sensors (micro:bit buttons, accelerometer ...), then the chips' (aht20.x ...).
        self._ranges: dict[str, tuple[float, float]] = dict(profile.quantities)
        self._sensors: dict[str, list[str]] = {BOARD_SENSOR: list(profile.quantities)}
        for quantity in sensor_inputs().values():
            self._ranges[quantity.name] = (quantity.low, quantity.high)
            self._sensors.setdefault(quantity.name.split(".", 1)[0], []).append(quantity.name)

    def names(self) -> list[str]:
        return [spec.name for spec in self._profile.pins] + sorted(self._ranges)

    def resolve(self, name: str) -> str:
        spec = self._profile.pin(name)
        if spec is not None:
            return spec.name
        if name in self._ranges or "." in name:
            return name
        raise ValueError(
            f"{name!r} is not an input of the simulated {self._profile.name}: "
            f"use a pin ({', '.join(s.name for s in self._profile.pins[:4])} ...) or a sensor quantity"
        )

    def range(self, name: str) -> tuple[float, float]:
        name = self.resolve(name)
        spec = self._profile.pin(name)
        if spec is not None:
            return ADC_RANGE if "adc" in spec.capabilities else DIGITAL_RANGE
        return self._ranges.get(name, DIGITAL_RANGE)

    def set_signal(self, name: str, signal: Signal | None) -> None:
        name = self.resolve(name)
        replay = self._replays.pop(name, None)
        if replay is not None:
            replay.cancel()
        if signal is None:
            self._signals.pop(name, None)
            self._hardware.send_input(name, None)  # the VM sees its default again
        else:
            self._signals[name] = signal
            if isinstance(signal, Replay):  # stepped by the host, at the recorded times
                self._hardware.send_input(name, repr(float(signal.steps[0][1])))
                self._replays[name] = asyncio.ensure_future(self._replay(name, signal))
            else:
                self._hardware.send_input(name, signal_wire(signal))
        if isinstance(signal, Constant) and name in self._state.pins:
            # The board panel shows what the pin sees, even before code reads it.
            pin = self._state.pins[name]
            pin.value = levels().level(signal.value)
            if pin.analog is not None or signal.value > 1:
                pin.analog = levels().u16(signal.value)
            self._state.record_event(HardwareEvent(time.monotonic(), "input", name, signal.value))
        spec = self._profile.pin(name)
        if isinstance(signal, Constant) and spec is not None and signal.value <= 1:
            # A level the host drives (a board panel toggle, %signal): on the timeline at the host's
            # CLOCK_MONOTONIC, the VM's clock too (docs/architecture.md, Timeline).
            level = float(levels().level(signal.value))
            self._state.timeline.append_one(time.monotonic_ns() // 1000, "pin", name, level)
            self._state.notify(TIMELINE)

    async def _replay(self, name: str, signal: Replay) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            for when, value in signal.steps:
                await asyncio.sleep(max(0.0, start + when - loop.time()))
                self._hardware.send_input(name, repr(float(value)))
            if not signal.loop or signal.duration <= 0:
                return

    def stop_replays(self) -> None:
        """Stop every replay (the board is going away)."""
        for task in self._replays.values():
            task.cancel()
        self._replays.clear()

    def level(self, value: float) -> int:
        return levels().level(value)

    def signals(self) -> Mapping[str, Signal]:
        return self._signals

    def sensors(self) -> Mapping[str, list[str]]:
        return self._sensors

    def power_on_levels(self, pins: dict[str, PinState]) -> None:
        """Set ``pins`` (a fresh board's) to the levels the host still drives them with."""
        for name, wire in self._hardware.inputs.items():
            if name in pins and not wire.startswith("~"):
                pins[name].value = levels().level(float(wire))
