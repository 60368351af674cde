"""Round trip of a trivial cell: MicroPython kernel (simulated board) vs ipykernel (python3), same run.

Also a 1,000,000-iteration loop on the simulated board against the MicroPython unix port run directly.
Run: python benchmarks/roundtrip.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from micropython_kernel.simulator.vm import RUN_VM  # noqa: E402
from tests.kernel_driver import KernelSession  # noqa: E402

LOOP = (
    "import time\nt = time.ticks_us()\nfor i in range(1000000):\n    pass\n"
    "print(time.ticks_diff(time.ticks_us(), t))"
)


def median_round_trip(session: KernelSession, code: str, runs: int) -> float:
    for _ in range(10):  # warm up
        session.execute(code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run = session.execute(code)
        times.append(time.perf_counter() - started)
        assert run.status == "ok", run.reply
    return statistics.median(times)


def loop_in_kernel(session: KernelSession) -> tuple[float, float]:
    started = time.perf_counter()
    run = session.execute(LOOP)
    wall = time.perf_counter() - started
    return int(run.stdout.strip()) / 1e6, wall


def loop_native() -> tuple[float, float]:
    # The same VM package, run as the `micropython` command with the same heap as the esp32 profile.
    started = time.perf_counter()
    command = [sys.executable, "-c", RUN_VM, "-X", "heapsize=131072", "-c", LOOP]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - started
    return int(out.strip()) / 1e6, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    micropython = KernelSession("micropython")
    python3 = KernelSession("python3")
    try:
        # Interleave the two kernels in rounds so both see the same machine load.
        ours, theirs = [], []
        for _ in range(5):
            ours.append(median_round_trip(micropython, "x = 1", runs // 5))
            theirs.append(median_round_trip(python3, "x = 1", runs // 5))
        ours_ms, theirs_ms = statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3
        print(f"trivial cell 'x = 1', median of {runs} round trips (execute_request -> idle + reply):")
        print(f"  micropython kernel (simulated esp32): {ours_ms:7.2f} ms")
        print(f"  ipykernel (python3):                  {theirs_ms:7.2f} ms")
        print(f"  ratio micropython/ipykernel:          {ours_ms / theirs_ms:7.2f}  (target <= 1.5)")

        in_vm, in_vm_wall = loop_in_kernel(micropython)
        native, native_wall = loop_native()
        print("1,000,000-iteration loop (time measured inside the VM with ticks_us):")
        print(f"  simulated board, in the kernel:       {in_vm:7.3f} s  (cell round trip {in_vm_wall:.3f} s)")
        print(f"  unix port run directly:               {native:7.3f} s  (process {native_wall:.3f} s)")
        print(f"  ratio simulated/native:               {in_vm / native:7.2f}")
    finally:
        micropython.close()
        python3.close()


if __name__ == "__main__":
    main()
