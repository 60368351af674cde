"""The hardware wire (simulator/wire.py) spoken by both ends: the VM's _simwire writes every kind of
frame and the host's codec reads back exactly what was sent; the host's input lines (constants,
generators, releases, control lines) are read by the VM as the host meant them. Real VM, real pipes."""

from __future__ import annotations

import asyncio
import math

import pytest

from micropython_kernel.board.signals import Constant, Generator
from micropython_kernel.simulator.board import SimulatedBoard
from micropython_kernel.simulator.wire import EventReader, decode_value, input_line, signal_wire

# Events as VM code emits them (kind, target, the value given to emit) -> the value the host must see.
EMITTED = [
    ("pwm", "GPIO5", (0.25, 1000), (0.25, 1000)),
    ("mode", "GPIO4", ("in", "up"), ("in", "up")),
    ("mode", "GPIO4", ("out", None), ("out", None)),
    ("display", "matrix", "09090:90909", [[0, 9, 0, 9, 0], [9, 0, 9, 0, 9]]),
    ("neopixel", "GPIO13", "ff0000,00ff7f", [(255, 0, 0), (0, 255, 127)]),
    ("sensor", "aht20.temperature", 21.5, 21.5),
    ("i2c", "bus0", "write 0x38 3", "write 0x38 3"),
]


async def _with_board(check):
    board = SimulatedBoard("esp32")
    try:
        await board.start()
        return await check(board)
    finally:
        await board.close()


def test_every_frame_the_vm_writes_reads_back_on_the_host() -> None:
    async def check(board: SimulatedBoard) -> list:
        lines = ["import _simhw", "c = _simhw.code_for('pin', 'GPIO2')"]
        lines += [f"_simhw.emit({kind!r}, {target!r}, {value!r})" for kind, target, value, _ in EMITTED]
        lines += ["for v in (1, 0, 1, 1048575):\n    _simhw.level(c, v)", "_simhw.flush()"]
        board.state.events.clear()
        await board.query("\n".join(lines))
        board.refresh_state()
        return list(board.state.events)

    events = asyncio.run(_with_board(check))
    seen = [(e.kind, e.target, e.value) for e in events if e.kind != "background"]
    for kind, target, _, expected in EMITTED:  # the text frame (T), every kind's value shape
        assert (kind, target, expected) in seen
    fast = [e.value for e in events if e.kind == "pin" and e.target == "GPIO2"]  # D then B frames
    assert fast == [1, 0, 1, 1048575]
    assert all(e.t > 0 for e in events)  # ticks mapped to the host's clock


def test_the_host_codec_refuses_what_the_vm_should_never_send() -> None:
    reader = EventReader()
    payload = b"12 pin GPIO2 nan\nbad \n\n"
    reader.raw += b"junk that is no frame" + b"T" + len(payload).to_bytes(4, "little") + payload
    assert reader.segments() == [[]]  # the junk skipped, the non-finite value and the bad line dropped
    assert reader.junk and reader.dropped == 3  # (the empty line is no event either)
    with pytest.raises(ValueError):
        decode_value("display", "12a")


def test_input_lines_from_the_host_are_what_the_vm_reads() -> None:
    async def check(board: SimulatedBoard) -> list[str]:
        hardware = board.hardware
        answers = []
        for name, wire in [
            ("GPIO34", signal_wire(Constant(0.75))),
            ("aht20.temperature", signal_wire(Constant(-12.5))),
            ("GPIO35", signal_wire(Generator("square", 1.0, 2.0, 10.0))),
        ]:
            hardware.send_input(name, wire)
            answers.append(await board.query(f"import _simhw\nprint(_simhw.value_of({name!r}))"))
        hardware.send_input("GPIO34", None)  # released: the VM's default again
        answers.append(await board.query("print(_simhw.value_of('GPIO34', 'default'))"))
        return answers

    constant, quantity, square, released = asyncio.run(_with_board(check))
    assert float(constant) == 0.75 and float(quantity) == -12.5
    assert float(square) in (8.0, 12.0)  # offset 10 +- amplitude 2: the VM evaluates the formula
    assert released.strip() == "default"
    assert input_line("GPIO34", None) == b"GPIO34\n" and input_line("x", "1.0") == b"x 1.0\n"
    assert not math.isnan(float(constant))
