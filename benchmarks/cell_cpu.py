"""CPU a trivial cell costs: the kernel process and its VM, per cell, against ipykernel in the same run.

On a shared machine a burst of cells (a class pressing Run at once) is bounded by the CPU each cell
costs, not by its round trip alone: 30 cells of C ms on 2 cores need 15*C ms. CPU time (user + system,
from /proc via psutil) is what other load on the machine changes least.
Run: python benchmarks/cell_cpu.py [--cells 200] [--code "x = 1"]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.kernel_driver import KernelSession  # noqa: E402


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def processes(session: KernelSession) -> tuple[psutil.Process, list[psutil.Process]]:
    kernel = psutil.Process(session.manager.provisioner.process.pid)  # type: ignore[union-attr]
    return kernel, kernel.children(recursive=True)


def measure(session: KernelSession, code: str, cells: int) -> tuple[float, float, float]:
    """(kernel ms, VM ms, median round-trip ms) per cell over ``cells`` cells, after a warm-up."""
    for _ in range(20):
        assert session.execute(code).status == "ok"
    kernel, children = processes(session)
    before = cpu_seconds(kernel), sum(cpu_seconds(p) for p in children)
    trips = []
    for _ in range(cells):
        started = time.perf_counter()
        assert session.execute(code).status == "ok"
        trips.append(time.perf_counter() - started)
    after = cpu_seconds(kernel), sum(cpu_seconds(p) for p in children)
    return (
        (after[0] - before[0]) / cells * 1e3,
        (after[1] - before[1]) / cells * 1e3,
        statistics.median(trips) * 1e3,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--code", default="x = 1")
    options = parser.parse_args()

    print(
        f"CPU per trivial cell {options.code!r}, {options.cells} cells (load average {psutil.getloadavg()})"
    )
    for name in ("micropython", "python3"):
        session = KernelSession(name)
        try:
            if name == "micropython":
                session.execute("%connect sim esp32")
            kernel_ms, vm_ms, trip_ms = measure(session, options.code, options.cells)
        finally:
            session.close()
        label = "micropython kernel (simulated esp32)" if name == "micropython" else "ipykernel (python3)"
        print(f"  {label:38s} kernel {kernel_ms:5.2f} ms  VM {vm_ms:5.2f} ms  round trip {trip_ms:5.2f} ms")


if __name__ == "__main__":
    main()
