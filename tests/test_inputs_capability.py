"""The inputs capability (board/inputs.py): what widgets and magics may drive, checked on real boards.

A simulated board offers it and the VM's code reads what it sets; a serial board says it has none.
The pin rule (a level 0..1, or an ADC value above 1) is the VM's ``mpy/_levels.py``, and the host's
view of a driven pin (the board panel) must agree with what ``Pin.value()``/``ADC.read_u16()`` read.
"""

from __future__ import annotations

import asyncio

import pytest

from micropython_kernel.board.inputs import ADC_RANGE, BOARD_SENSOR, DIGITAL_RANGE, BoardInputs
from micropython_kernel.board.serial import SerialBoard
from micropython_kernel.board.signals import Constant, Generator
from micropython_kernel.simulator.board import SimulatedBoard
from micropython_kernel.simulator.inputs import levels

DRIVEN = [0, 0.2, 0.5, 0.99, 1, 2, 1000, 32767, 32768, 65535, 70000]


def run(coroutine_function):
    return asyncio.run(coroutine_function())


def test_a_serial_board_has_no_inputs() -> None:
    assert SerialBoard("/dev/does-not-exist").inputs is None  # (not opened: no port needed)


def test_the_simulated_board_declares_its_inputs() -> None:
    async def check() -> None:
        board = SimulatedBoard("microbit")
        try:
            inputs = board.inputs
            assert isinstance(inputs, BoardInputs)
            names = inputs.names()
            assert names[0] == "pin0" and "button_a" in names and "aht20.temperature" in names
            assert inputs.resolve("pin0") == "pin0"
            with pytest.raises(ValueError, match="not an input"):
                inputs.resolve("no_such_input")
            assert inputs.range("pin0") == ADC_RANGE  # an analog pin: the read_u16 scale
            assert inputs.range("pin5") == DIGITAL_RANGE
            assert inputs.range("aht20.temperature") == (-40.0, 85.0)
            sensors = inputs.sensors()
            assert "button_a" in sensors[BOARD_SENSOR] and "accelerometer.x" in sensors[BOARD_SENSOR]
            assert sensors["aht20"] == ["aht20.temperature", "aht20.humidity"]
            assert dict(inputs.signals()) == {}
        finally:
            await board.close()

    run(check)


def test_what_the_host_sets_is_what_the_code_reads() -> None:
    async def check() -> list[tuple[int, int, int | None, int | None]]:
        board = SimulatedBoard("esp32")
        seen = []
        try:
            await board.start()
            await board.query("from machine import ADC, Pin\np = Pin(34, Pin.IN)\na = ADC(Pin(35))")
            inputs = board.inputs
            assert inputs is not None
            for value in DRIVEN:
                inputs.set_value("GPIO34", value)
                inputs.set_value("GPIO35", value)
                read = (await board.query("print(p.value(), a.read_u16())")).split()
                shown_level = board.state.pins["GPIO34"].value
                shown_analog = board.state.pins["GPIO35"].analog
                assert inputs.level(value) == int(read[0]), value  # the capability states the VM's rule
                seen.append((int(read[0]), int(read[1]), shown_level, shown_analog))
            signal = Generator("sine", 2.0, 100.0, 500.0)
            inputs.set_signal("GPIO35", signal)
            assert inputs.signals()["GPIO35"] is signal
            inputs.set_signal("GPIO35", None)
            assert "GPIO35" not in inputs.signals()
        finally:
            await board.close()
        return seen

    for value, (level, u16, shown_level, shown_analog) in zip(DRIVEN, run(check), strict=True):
        assert level == levels().level(value) == shown_level, value
        assert u16 == levels().u16(value), value
        if value > 1:  # (a level 0..1 on a pin not yet read as ADC is shown as a level only)
            assert shown_analog == u16, value


def test_a_constant_drives_a_sensor_quantity() -> None:
    async def check() -> str:
        board = SimulatedBoard("microbit")
        try:
            await board.start()
            assert board.inputs is not None
            board.inputs.set_signal("button_a", Constant(1))
            return await board.query("from microbit import button_a\nprint(button_a.is_pressed())")
        finally:
            await board.close()

    assert run(check) == "True\n"
