"""Stop-button latency and a 1,000-cell soak on the simulated board, with kernel memory before and after.

Run: python benchmarks/interrupt_and_soak.py [--serial]
``--serial`` measures the stop button on the pty board instead (tests/unix_board.py: a modern board's
UART), for code sent by raw-paste and by plain raw REPL, and skips the soak.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.kernel_driver import KernelSession  # noqa: E402

LOOPS = {
    "busy loop (while True: pass)": "while True:\n    pass",
    "sleeping loop (time.sleep_ms(10))": "import time\nwhile True:\n    time.sleep_ms(10)",
}


def interrupt_latency(session: KernelSession, code: str, runs: int = 5) -> float:
    latencies = []
    pressed: list[float] = []

    def press() -> None:
        time.sleep(0.5)
        pressed.append(time.perf_counter())
        session.interrupt()

    for _ in range(runs):
        thread = threading.Thread(target=press)
        thread.start()
        run = session.execute(code, timeout=30)
        ended = time.perf_counter()
        thread.join()
        assert run.error and run.error["ename"] == "KeyboardInterrupt", run.error
        latencies.append(ended - pressed[-1])
    return statistics.median(latencies)


def serial_latencies() -> None:
    from tests.unix_board import UnixBoard

    session = KernelSession()
    try:
        print("pty board: stop button -> KeyboardInterrupt reply (median of 5):")
        for raw_paste in (True, False):
            board = UnixBoard(raw_paste=raw_paste)
            try:
                assert session.execute(f"%connect {board.port}").status == "ok"
                way = "raw-paste" if raw_paste else "plain raw REPL"
                for name, code in LOOPS.items():
                    latency = interrupt_latency(session, code) * 1e3
                    print(f"  {way:<15} {name:<36} {latency:7.1f} ms  (target < 2000 ms)")
                session.execute("%disconnect")
            finally:
                board.kill()
    finally:
        session.close()


def main() -> None:
    if "--serial" in sys.argv:
        serial_latencies()
        return
    session = KernelSession()
    try:
        print("stop button -> KeyboardInterrupt reply (median of 5):")
        for name, code in LOOPS.items():
            print(f"  {name:<36} {interrupt_latency(session, code) * 1e3:7.1f} ms  (target < 2000 ms)")
        process = psutil.Process(session.manager.provisioner.process.pid)
        for i in range(100):
            session.execute(f"warm = {i}")
        before = process.memory_info().rss
        started = time.perf_counter()
        for i in range(1000):
            session.execute(f"values = [x * x for x in range({i % 300})]\nprint({i}, len(values))")
        elapsed = time.perf_counter() - started
        after = process.memory_info().rss
        print(f"1,000 mixed cells: {elapsed:.2f} s ({elapsed:.2f} ms a cell on average)")
        print(
            f"  kernel RSS before {before / 2**20:.1f} MB, after {after / 2**20:.1f} MB, "
            f"growth {(after - before) / 2**20:+.1f} MB (test bound: 20 MB)"
        )
    finally:
        session.close()


if __name__ == "__main__":
    main()
