"""The reader-thread channel (what Windows COM ports get), on the QEMU micro:bit's pty.

Driven at the Board level: the kernel on Linux picks the event-loop channel, so this is how the other
one gets exercised here, on the same real firmware.
"""

from __future__ import annotations

import asyncio

import pytest

from micropython_kernel.board.errors import BoardDisconnected
from micropython_kernel.board.serial import SerialBoard, ThreadedSerialChannel
from tests.qemu_microbit import QemuMicrobit

FOREVER = "from microbit import sleep\nwhile True:\n    sleep(10)"


async def _run(board: SerialBoard, code: str) -> tuple[str, str]:
    out = bytearray()
    result = await board.execute(code, out.extend)
    return out.decode(), result.stderr


def test_cells_interrupt_and_a_big_cell(microbit):
    async def scenario() -> None:
        board = SerialBoard(microbit.port, reader_thread=True)
        await board.start()
        try:
            assert isinstance(board.repl.channel, ThreadedSerialChannel)
            assert await _run(board, "x = 20\nprint(x + 1)") == ("21\n", "")
            code = "\n".join(f"v{i} = {i}  # padding to make a long cell, line {i}" for i in range(60))
            assert len(code) > 2500
            assert await _run(board, code + "\nprint(v59)") == ("59\n", "")
            running = asyncio.ensure_future(_run(board, FOREVER))
            await asyncio.sleep(0.5)
            await board.interrupt()
            out, stderr = await running
            assert "KeyboardInterrupt" in stderr
            assert await _run(board, "print(x)") == ("20\n", "")
        finally:
            await board.close()

    asyncio.run(scenario())


def test_a_vanishing_board():
    async def scenario() -> None:
        qemu = QemuMicrobit()
        board = SerialBoard(qemu.port, reader_thread=True)
        try:
            await board.start()
            running = asyncio.ensure_future(_run(board, FOREVER))
            await asyncio.sleep(0.5)
            qemu.kill()
            with pytest.raises(BoardDisconnected, match="went away"):
                await asyncio.wait_for(running, 5)
        finally:
            qemu.kill()
            await board.close()

    asyncio.run(scenario())
