"""%heap must not measure itself: observing the heap costs the user's heap nothing (idle is a flat
line), a new board starts a new series, and the block map shows the board's own heap."""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from micropython_kernel.board.state import BoardState
from micropython_kernel.simulator.board import SimulatedBoard
from tests.kernel_driver import KernelSession
from tests.widget_messages import html_values


@pytest.fixture()
def fresh_kernel():
    session = KernelSession()
    yield session
    session.close()


def _growth(kernel: KernelSession, idle: float, code: str = "") -> int:
    """gc.mem_alloc() growth from one cell to the next, ``idle`` seconds apart (``code`` in between)."""
    assert kernel.execute("a = gc.mem_alloc()").status == "ok"
    time.sleep(idle)  # (the kernel idles; nothing is asserted about the time itself)
    run = kernel.execute(code + "print(gc.mem_alloc() - a)")
    assert run.status == "ok", run.error
    return int(run.stdout.split()[-1])


def test_an_idle_board_with_heap_shown_is_a_flat_line(fresh_kernel):
    fresh_kernel.execute("import gc, time")
    _growth(fresh_kernel, 0)  # (first-time costs: the compiler's own tables)
    measuring = _growth(fresh_kernel, 0)  # what the two measuring cells cost by themselves
    assert fresh_kernel.execute("%heap").status == "ok"
    _growth(fresh_kernel, 0)
    assert _growth(fresh_kernel, 0) == measuring
    assert _growth(fresh_kernel, 3) == measuring  # 3 s idle with %heap shown: nothing more


def test_sampling_while_a_cell_waits_costs_the_heap_nothing(fresh_kernel):
    fresh_kernel.execute("import gc, time")
    without = min(_growth(fresh_kernel, 0, "time.sleep(1.5)\n") for _ in range(3))
    fresh_kernel.execute("%heap")
    run = fresh_kernel.execute("time.sleep(1.5)")
    counts = [int(n) for n in re.findall(r"(\d+) samples;", " ".join(html_values(run, "mpk-heap-summary")))]
    assert counts and counts[-1] - counts[0] >= 3  # it did sample while the cell slept
    with_heap = min(_growth(fresh_kernel, 0, "time.sleep(1.5)\n") for _ in range(3))
    assert with_heap <= without


def test_a_new_board_starts_a_new_heap_series(fresh_kernel):
    fresh_kernel.execute("%heap")
    for _ in range(3):
        fresh_kernel.execute("x = 1")
    esp32 = html_values(fresh_kernel.execute("x = 2"), "mpk-heap-summary")[-1]
    assert int(re.search(r"(\d+) samples;", esp32).group(1)) >= 4
    pico = html_values(fresh_kernel.execute("%connect sim pico\nx = 3"), "mpk-heap-summary")[-1]
    assert int(re.search(r"(\d+) samples;", pico).group(1)) == 1  # the pico's own, none of the esp32's
    free, used = (
        float(g.replace(",", "")) for g in re.search(r"free ([\d.,]+) KB, used ([\d.,]+) KB", pico).groups()
    )
    assert free + used == pytest.approx(192.0, abs=0.2)  # the pico profile's heap


def _run(coroutine):
    return asyncio.run(coroutine)


def test_the_block_map_is_the_board_heap():
    async def check() -> None:
        board = SimulatedBoard("esp32", state=BoardState())
        await board.start()
        try:
            first = await board.read_heap(with_map=True)
            assert first is not None and first.blocks and first.block_bytes
            assert first.free + first.used == board.profile.heap_bytes
            # The map covers the board's heap only (not the VM's hardware modules and held ballast).
            size = first.block_bytes
            assert abs(len(first.blocks) * size - board.profile.heap_bytes) <= 16 * size
            assert abs(first.blocks.count(".") * first.block_bytes - first.free) <= 2 * first.block_bytes
            assert first.largest_free is not None and 0 < first.largest_free <= first.free
            await board.execute("keep = bytearray(20000)", lambda _: None)
            after = await board.read_heap(with_map=True)
            assert after is not None and after.blocks is not None
            assert 20000 <= first.free - after.free <= 21000
            assert re.search(r"[hA]={600,}", after.blocks)  # one object of 20,000 bytes: 625 blocks
        finally:
            await board.close()

    _run(check())


def test_each_cell_sample_carries_what_the_cell_allocated(fresh_kernel):
    fresh_kernel.execute("%heap")
    fresh_kernel.execute("x = 1")
    run = fresh_kernel.execute("keep = [bytearray(1000) for i in range(10)]")
    summary = html_values(run, "mpk-heap-summary")[-1]
    delta = int(re.search(r"used \+([\d,]+) bytes since", summary).group(1).replace(",", ""))
    assert 10_000 <= delta <= 12_000


def test_the_heap_picture_holds_the_block_map(fresh_kernel):
    """The picture a saved notebook keeps (a frontend that renders no widgets gets it after each cell):
    the chart and, under it, the block map of the board's heap, with its used bytes."""
    fresh_kernel.execute("%heap")
    run = fresh_kernel.execute("keep = bytearray(20000)")
    (update,) = [m["content"]["data"] for m in run.of_type("update_display_data")]
    svg = update["image/svg+xml"]
    assert 'class="mpk-heap"' in svg and 'class="mpk-heapmap"' in svg
    assert "block map of" in update["text/plain"]
    used = int(re.search(r"blocks: used ([\d,]+) B", svg).group(1).replace(",", ""))
    assert used >= 20_000
    assert svg.count("<rect") < 3000  # runs, not a rectangle a block
