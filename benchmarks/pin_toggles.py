"""Pin toggles a second in the simulated VM, with and without hardware events, and the kernel's memory
after 1,000,000 toggles (all figures from the same run, through the real kernel).

- bare loop: the same loop with no pin (what the VM does for nothing);
- pin, events off: Pin.value() with _simhw.observe(False) (a pin nobody watches);
- pin, events on: every write an event on the kernel's BoardState and its timeline (the default);
- the same with %timeline off (events still reach the board panel; the timeline keeps none).

Run: python benchmarks/pin_toggles.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.kernel_driver import KernelSession  # noqa: E402

SETUP = """
from machine import Pin
import time, _simhw
led = Pin(2, Pin.OUT)
def bare(n):
    for i in range(n):
        x = i & 1
def toggles(n):
    value = led.value
    for i in range(n):
        value(i & 1)
def rate(loop, n):
    start = time.ticks_us()
    loop(n)
    return n * 1e6 / time.ticks_diff(time.ticks_us(), start)
"""


def rate(session: KernelSession, code: str) -> float:
    run = session.execute(code, timeout=300)
    assert run.error is None, run.error
    return float(run.stdout.split()[-1])


def best_of(session: KernelSession, code: str, runs: int = 3) -> float:
    return max(rate(session, code) for _ in range(runs))


def main() -> None:
    session = KernelSession()
    try:
        assert session.execute(SETUP).error is None
        process = psutil.Process(session.manager.provisioner.process.pid)
        n = 100_000
        bare = best_of(session, f"print(rate(bare, {n}))")
        off = best_of(session, f"_simhw.observe(False)\nprint(rate(toggles, {n}))\n_simhw.observe(True)")
        on = best_of(session, f"print(rate(toggles, {n}))")
        session.execute("%timeline off")
        untimed = best_of(session, f"print(rate(toggles, {n}))")
        session.execute("%timeline on")
        print(f"{n:,}-toggle loop, best of 3 (toggles a second in the VM):")
        print(f"  bare loop (no pin)        {bare:14,.0f}")
        print(f"  pin, events off           {off:14,.0f}")
        print(f"  pin, events to the kernel {on:14,.0f}")
        cost = 1 - on / untimed
        print(f"  ... with %timeline off    {untimed:14,.0f} (the timeline's recording costs {cost:.0%})")
        print(f"  slowdown from events: {off / on:.2f}x (target <= 3x); pin vs bare loop: {bare / on:.1f}x")

        before = process.memory_info().rss
        million = rate(session, "print(rate(toggles, 1_000_000))")
        run = session.execute("%pins --events 1")
        after = process.memory_info().rss
        for _ in range(4):
            rate(session, "print(rate(toggles, 1_000_000))")
        later = process.memory_info().rss
        print(f"1,000,000 toggles: {million:,.0f} toggles a second; last event: {run.stdout.split()[-3:]}")
        print(
            f"kernel RSS: {before / 2**20:.1f} MB before, {after / 2**20:.1f} MB after 1,000,000 toggles, "
            f"{later / 2**20:.1f} MB after 5,000,000 ({(later - before) / 2**20:+.1f} MB)"
        )
    finally:
        session.close()


if __name__ == "__main__":
    main()
