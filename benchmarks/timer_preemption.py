"""machine.Timer during a pure compute loop on the simulated board, as a notebook runs it.

A 10 ms periodic Timer runs while a cell spins in ``while n < N: n += 1`` for about 1 s (no call of
any kind inside): on a port the callbacks preempt the loop (micropython.schedule); here the VM's second thread
does it (mpy/_simhw.py, docs/architecture.md). Prints, over RUNS cells: callbacks per cell, lateness of
each callback after its due time (p50, p95, max, in ms), and the loop's time with the timer against
the same loop without one (the cost of being preempted). Target (issue 16): >= 90 callbacks, p50 <= 2 ms.

    python benchmarks/timer_preemption.py [RUNS]
"""

from __future__ import annotations

import ast
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tests.kernel_driver import KernelSession  # noqa: E402

# The expected time of each callback: the timer's own due (ms, an exact boundary of the VM's monotonic
# clock) converted to ticks_us through a (ms, us) pair read just as a new millisecond began.
CELL = """
from machine import Timer
from array import array
import time
late = array('i', [0] * 300)
late_ms = array('i', [0] * 300)
count = 0
def cb(t):
    global count
    now = time.ticks_us()
    due_ms = time.ticks_add(t._due, -10)  # (_fire moved _due on by one period before calling)
    if count < 300:
        late[count] = time.ticks_diff(now, time.ticks_add(us0, time.ticks_diff(due_ms, ms0) * 1000))
        late_ms[count] = time.ticks_diff(time.ticks_ms(), due_ms)
    count += 1
m = time.ticks_ms()
while time.ticks_ms() == m:
    pass
ms0, us0 = time.ticks_ms(), time.ticks_us()
timer = Timer(0, period=10, callback=cb) if WITH_TIMER else None
n = 0
while n < ITERATIONS:  # a pure loop: no call at all
    n += 1
elapsed = time.ticks_diff(time.ticks_us(), us0)
if timer:
    timer.deinit()
print(min(count, 300), elapsed)
print(list(late[:min(count, 300)]))
print(list(late_ms[:min(count, 300)]))
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    env = dict(os.environ, MICROPYTHON_KERNEL_FLASH="clean")
    kernel = KernelSession(env=env)
    try:
        counts, late_us, late_ms, with_timer, without = [], [], [], [], []
        # Iterations that take about 1 s here without a timer (the VM's speed varies with the machine).
        probe = kernel.execute(
            "import time\nt = time.ticks_us()\nn = 0\nwhile n < 1000000:\n    n += 1\n"
            "print(time.ticks_diff(time.ticks_us(), t))"
        )
        iterations = int(1_000_000 * 1_000_000 / int(probe.stdout.split()[-1]))
        for _ in range(runs):
            for flag, times in ((False, without), (True, with_timer)):
                cell = CELL.replace("WITH_TIMER", str(flag)).replace("ITERATIONS", str(iterations))
                run = kernel.execute(cell, timeout=60)
                assert run.error is None, run.error
                first, micro, milli = run.stdout.strip().splitlines()[-3:]
                count, elapsed_us = (int(word) for word in first.split())
                times.append(elapsed_us / 1e6)
                if flag:
                    counts.append(count * 1e6 / elapsed_us)  # callbacks a second of the loop
                    late_us += [value / 1000 for value in ast.literal_eval(micro)]
                    late_ms += ast.literal_eval(milli)
    finally:
        kernel.close()
    print(f"10 ms Timer during a pure loop of {iterations:,} iterations (~1 s), {runs} cells")
    print(
        f"  callbacks a second of loop: min {min(counts):.0f}, median {statistics.median(counts):.0f}, "
        f"max {max(counts):.0f} (100 = every period)"
    )
    print(
        f"  lateness (ticks_us against the due millisecond): p50 {statistics.median(late_us):.2f} ms, "
        f"p95 {percentile(late_us, 0.95):.2f} ms, max {max(late_us):.2f} ms, min {min(late_us):.2f} ms "
        f"({len(late_us)} callbacks; the two clocks' millisecond edges differ by up to ~0.4 ms)"
    )
    p50_ms, p95_ms = statistics.median(late_ms), percentile(late_ms, 0.95)
    print(f"  lateness (whole ticks_ms): p50 {p50_ms} ms, p95 {p95_ms} ms, max {max(late_ms)} ms")
    ratio = statistics.median(with_timer) / statistics.median(without)
    print(
        f"  the loop took {statistics.median(without):.3f} s without a timer, "
        f"{statistics.median(with_timer):.3f} s with it (ratio {ratio:.2f}: the cost of being preempted)"
    )


if __name__ == "__main__":
    main()
