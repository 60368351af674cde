"""Simulated I2C/SPI buses: transfers per second in the VM, against the bound of a real 400 kHz bus,
and the heap that the bus modules take.

A 6-byte register read (the LIS3DH's OUT_X_L..OUT_Z_H) is, on the wire, start + address + register +
repeated start + address + 6 data bytes + stop: 9 bytes of 9 clocks each, 81 clocks, ~0.2 ms at 400 kHz,
so a real bus tops out near 4,900 such reads a second. The simulated bus is compared with that figure
and with the same loop calling an empty Python method (the floor of any MicroPython-source bus).
Run: python benchmarks/i2c_bus.py [--reads N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.kernel_driver import KernelSession  # noqa: E402

REAL_BUS_READS_PER_S = 400_000 / 81  # clocks per second / clocks per 6-byte register read

LOOP = """
import time
from machine import I2C, SPI, Pin
i2c = I2C(0, scl=Pin(22), sda=Pin(21))
spi = SPI(1)
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
print(rate(i2c, {n}), rate(Empty(), {n}), spi_rate({n}))
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
        run = session.execute(LOOP.format(n=reads), timeout=300)
        assert run.error is None, run.error
        simulated, empty, spi = (float(word) for word in run.stdout.split())
        heap_bytes = int(heap.stdout.strip().splitlines()[-1])  # after %reset's own line
        events = session.execute("%pins --events 1").stdout.strip().splitlines()[-1]
    finally:
        session.close()
    print(f"I2C 6-byte register reads, simulated bus:  {simulated:10,.0f} /s ({reads:,} reads)")
    print(f"  same loop on an empty Python method:     {empty:10,.0f} /s")
    print(f"  real 400 kHz bus, at best:               {REAL_BUS_READS_PER_S:10,.0f} /s")
    print(f"  simulated / real bus:                    {simulated / REAL_BUS_READS_PER_S:10.2f}x")
    print(f"  simulated / empty method:                {simulated / empty:10.3f}x")
    print(f"SPI 64-byte writes, simulated bus:         {spi:10,.0f} /s")
    print(f"heap taken by `import machine` (with the I2C/SPI modules): {heap_bytes:,} bytes")
    print(f"last event on the board state: {events}")


if __name__ == "__main__":
    main()
