"""Simulated I2C/SPI buses: transfers per second in the VM against what the real wire allows, and the
heap that ``import machine`` costs a program.

A 6-byte register read (the LIS3DH's OUT_X_L..OUT_Z_H) is, on the wire, start + address + register +
repeated start + address + 6 data bytes + stop: 9 bytes of 9 clocks each plus starts and stops, 85
clocks, ~0.21 ms at 400 kHz, so a real bus tops out near 4,700 such reads a second. The simulated bus
holds each transfer for its wire time (a floor: it is never faster than the wire), so its rate should
sit just under that bound at each ``freq``; an empty Python method in the same loop shows the VM's own
speed. Busy machines (other processes on the CPUs) lower the ratios.
Run: python benchmarks/i2c_bus.py [--reads N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.kernel_driver import KernelSession  # noqa: E402

CLOCKS_PER_READ = (9 * 2 + 2) + (9 * 7 + 2)  # write the register address, then read 6 bytes
FREQS = (100_000, 400_000, 1_000_000)

LOOP = """
import time
from machine import I2C, SPI, Pin
spi = SPI(1, baudrate=1_000_000)
class Empty:
    def readfrom_mem(self, addr, memaddr, n):
        return b"      "
def rate(bus, n):
    buf = bytearray(6)
    t = time.ticks_us()
    for _ in range(n):
        bus.readfrom_mem(0x18, 0xA8, 6)
    return n * 1e6 / time.ticks_diff(time.ticks_us(), t)
def spi_rate(n):
    buf = bytearray(64)
    t = time.ticks_us()
    for _ in range(n):
        spi.write(buf)
    return n * 1e6 / time.ticks_diff(time.ticks_us(), t)
rates = [rate(I2C(0, scl=Pin(22), sda=Pin(21), freq=f), {n}) for f in {freqs}]
print(*rates, rate(Empty(), {n}), spi_rate({n}))
"""

HEAP = """
import gc
gc.collect(); a = gc.mem_free()
import machine
gc.collect(); b = gc.mem_free()
print(a - b)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=20_000)
    reads = parser.parse_args().reads
    session = KernelSession()
    try:
        heap = session.execute("%reset\n" + HEAP)  # a fresh VM: machine not imported yet
        assert heap.error is None, heap.error
        run = session.execute(LOOP.format(n=reads, freqs=FREQS), timeout=600)
        assert run.error is None, run.error
        *simulated, empty, spi = (float(word) for word in run.stdout.split())
        heap_bytes = int(heap.stdout.strip().splitlines()[-1])  # after %reset's own line
        events = session.execute("%pins --events 1").stdout.strip().splitlines()[-1]
    finally:
        session.close()
    print(f"I2C 6-byte register reads ({reads:,} at each freq):")
    for freq, measured in zip(FREQS, simulated, strict=True):
        bound = freq / CLOCKS_PER_READ
        ratio = measured / bound
        print(f"  freq={freq:>9,}: {measured:9,.0f} /s, real wire at best {bound:9,.0f} /s: {ratio:5.2f}x")
    print(f"  the same loop on an empty Python method: {empty:,.0f} /s")
    spi_bound = 1e6 / (64 * 8)
    print(f"SPI 64-byte writes at 1 MHz: {spi:,.0f} /s, real wire at best {spi_bound:,.0f} /s", end="")
    print(f": {spi / spi_bound:.2f}x")
    print(f"heap a program pays for `import machine` (I2C/SPI included): {heap_bytes:,} bytes")
    print(f"last event on the board state: {events}")


if __name__ == "__main__":
    main()
