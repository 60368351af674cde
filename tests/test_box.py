"""A simulated board whose boot fails says so, instead of passing a bare unix VM off as the board."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from micropython_kernel.board.errors import BoardError
from micropython_kernel.simulator import confine
from micropython_kernel.simulator.board import SimulatedBoard


def test_a_failed_boot_is_an_error_not_a_bare_vm() -> None:
    async def start_starved_board() -> None:
        board = SimulatedBoard("microbit")
        # A flash of one block: littlefs cannot be formatted there, so the boot fails before the mount.
        board.box.layout = dataclasses.replace(board.box.layout, block_count=1)
        try:
            with pytest.raises(BoardError, match="failed to boot"):
                await board.start()
            assert board.repl is None and not board.vm.alive()
        finally:
            await board.close()

    asyncio.run(start_starved_board())


def test_without_confinement_the_board_works_and_says_so() -> None:
    """Where Linux offers no Landlock/seccomp (macOS, old kernels) the VM runs unconfined, and says so."""

    async def start_unconfined_board() -> tuple[dict[str, str], str]:
        board = SimulatedBoard("esp32")
        ask_for_confinement = board.box.env
        board.box.env = lambda: {k: v for k, v in ask_for_confinement().items() if k != confine.ENV_NAME}
        try:
            await board.start()
            return board.info.details, await board.query("import sys\nprint(sys.platform)")
        finally:
            await board.close()

    details, platform = asyncio.run(start_unconfined_board())
    assert details["sandbox"] == confine.UNCONFINED
    assert platform == "esp32\n"  # still dressed as the board, flash mounted
