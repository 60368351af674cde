"""Start time of the simulated board's VM and the round trip of a trivial cell, per profile.

Run: python benchmarks/vm_start.py [RUNS]
Prints medians: SimulatedBoard.start() (spawn, banner, raw REPL, first query), a trivial cell (``x=1``),
and a bare unix-port VM started the same way with no flash or confinement, as the baseline of the same run.
Then the heap: gc.mem_free() after boot on the board against a bare VM with the profile's heap, and the
FlashLayout.boot_heap that would make them equal (simulator/flash.py).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from micropython_kernel.board.rawrepl import RawRepl
from micropython_kernel.simulator.board import SimulatedBoard
from micropython_kernel.simulator.flash import LAYOUTS
from micropython_kernel.simulator.flashstore import CLEAN, FlashChoice
from micropython_kernel.simulator.profiles import PROFILES
from micropython_kernel.simulator.vm import VmProcess

FREE_HEAP = "import gc\ngc.collect()\nprint(gc.mem_free())"


async def bare_vm_start(heap: int = 128 * 1024) -> tuple[float, int]:
    """Spawn the VM process directly and wait for its prompt: the floor under any board start.

    Returns the time to the prompt and gc.mem_free() there."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        vm = VmProcess(heap, Path(folder))
        repl = RawRepl(vm.start(), pacing=None, response_timeout=10.0)
        await repl.read_until(b">>> ")
        elapsed = time.perf_counter() - started
        await repl.enter(interrupt=False)
        out = bytearray()
        await repl.execute(FREE_HEAP, out.extend)
        repl.channel.close()
        vm.kill()
        return elapsed, int(out)


async def board_figures(profile: str, runs: int) -> tuple[float, float]:
    starts, trips = [], []
    for _ in range(runs):
        board = SimulatedBoard(profile, flash=FlashChoice(CLEAN))
        started = time.perf_counter()
        await board.start()
        starts.append(time.perf_counter() - started)
        for _ in range(20):
            t0 = time.perf_counter()
            await board.execute("x=1", lambda data: None)
            trips.append(time.perf_counter() - t0)
        await board.close()
    return statistics.median(starts), statistics.median(trips)


async def main(runs: int) -> None:
    bare = statistics.median([(await bare_vm_start())[0] for _ in range(runs)])
    print(f"bare VM process to first prompt: {bare * 1000:.1f} ms (median of {runs})")
    for name in PROFILES:
        start, trip = await board_figures(name, runs)
        print(
            f"{name:9} board start {start * 1000:6.1f} ms ({start / bare:.2f}x bare VM), "
            f"trivial cell {trip * 1000:.3f} ms"
        )
    for name, profile in PROFILES.items():
        _, bare_free = await bare_vm_start(profile.heap_bytes)
        board = SimulatedBoard(name, flash=FlashChoice(CLEAN))
        await board.start()
        free = int(await board.query(FREE_HEAP))
        await board.close()
        suggested = LAYOUTS[name].boot_heap + bare_free - free
        now = LAYOUTS[name].boot_heap
        print(f"{name:9} mem_free: bare VM {bare_free}, board {free} (boot_heap {now}; equal at {suggested})")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
