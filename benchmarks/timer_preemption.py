"""machine.Timer during a pure compute loop on the simulated board, as a notebook runs it.

A 10 ms periodic Timer runs while a cell spins in ``while`` for 1 s with no hardware or time calls
inside: on a port the callbacks preempt the loop (micropython.schedule); here the VM's second thread
does it (mpy/_simhw.py, docs/architecture.md). Prints, over RUNS cells: callbacks per cell, lateness of
each callback after its due time (p50, p95, max, in ms), and the loop's speed with the timer against
the same loop without one (the cost of being preempted). Target (issue 16): >= 90 callbacks, p50 <= 2 ms.

    python benchmarks/timer_preemption.py [RUNS]
"""

from __future__ import annotations

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
late = array('i', [0] * 200)
count = 0
def cb(t):
    global count
    now = time.ticks_us()
    due_ms = time.ticks_add(t._due, -10)  # (_fire moved _due on by one period before calling)
    if count < 200:
        late[count] = time.ticks_diff(now, time.ticks_add(us0, time.ticks_diff(due_ms, ms0) * 1000))
    count += 1
m = time.ticks_ms()
while time.ticks_ms() == m:
    pass
ms0, us0 = time.ticks_ms(), time.ticks_us()
timer = Timer(0, period=10, callback=cb) if WITH_TIMER else None
n = 0
t0 = time.ticks_ms()
while time.ticks_diff(time.ticks_ms(), t0) < 1000:
    n += 1
if timer:
    timer.deinit()
print(count, n, list(late[:min(count, 200)]))
"""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    env = dict(os.environ, MICROPYTHON_KERNEL_FLASH="clean")
    kernel = KernelSession(env=env)
    try:
        counts, lateness, with_timer, without = [], [], [], []
        for _ in range(runs):
            for flag, loops in ((False, without), (True, with_timer)):
                run = kernel.execute(CELL.replace("WITH_TIMER", str(flag)), timeout=60)
                assert run.error is None, run.error
                count, n, late = run.stdout.strip().split(" ", 2)
                loops.append(int(n))
                if flag:
                    counts.append(int(count))
                    lateness += [value / 1000 for value in eval(late)]  # noqa: S307 (our own output)
    finally:
        kernel.close()
    lateness.sort()
    p95 = lateness[int(0.95 * (len(lateness) - 1))]
    print(f"10 ms Timer during a 1 s pure loop, {runs} cells")
    print(f"  callbacks per cell: min {min(counts)}, median {statistics.median(counts)}, max {max(counts)}")
    print(
        f"  lateness: p50 {statistics.median(lateness):.2f} ms, p95 {p95:.2f} ms, max {lateness[-1]:.2f} ms"
        f" ({len(lateness)} callbacks)"
    )
    ratio = statistics.median(with_timer) / statistics.median(without)
    print(
        f"  loop iterations in 1 s: {statistics.median(without):,.0f} without a timer, "
        f"{statistics.median(with_timer):,.0f} with it (ratio {ratio:.2f})"
    )


if __name__ == "__main__":
    main()
