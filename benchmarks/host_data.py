"""What captured data and %%host cost: start time, memory, round trips, 1,000,000 printed samples.

Measured in one run: the import time of the capture/host modules; the kernel's start; a cell printing
1,000,000 numeric lines with the session recording on and off; the kernel's RSS after start, after that,
after the first %%host cell (pandas, matplotlib imported lazily) and after %export; a trivial cell's round
trip before and after; the capture's own parsing cost (the same text fed in this process, against
splitting lines alone).
Run: python benchmarks/host_data.py [--samples N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from micropython_kernel.board.datalines import LineSplitter  # noqa: E402
from micropython_kernel.kernel.capture import DataRecorder  # noqa: E402
from micropython_kernel.kernel.cell_output import CellOutput  # noqa: E402
from micropython_kernel.kernel.output import OutputStreamer  # noqa: E402
from tests.kernel_driver import KernelSession  # noqa: E402

OUR_MODULES = (
    "micropython_kernel.kernel.capture",
    "micropython_kernel.kernel.host",
    "micropython_kernel.kernel.magics.data",
)


def rss_mb(session: KernelSession) -> float:
    return psutil.Process(session.manager.provisioner.process.pid).memory_info().rss / 2**20


def timed(session: KernelSession, code: str) -> float:
    started = time.perf_counter()
    run = session.execute(code, timeout=600)
    assert run.status == "ok", run.error
    return time.perf_counter() - started


def median_round_trip(session: KernelSession, runs: int) -> float:
    return statistics.median(timed(session, "x = 1") for _ in range(runs))


def import_ms() -> tuple[float, float]:
    """(our modules' own import time, the whole kernel module's) in ms, in a fresh interpreter."""
    command = [sys.executable, "-X", "importtime", "-c", "import micropython_kernel.kernel.kernel"]
    report = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    ours = total = 0.0
    for line in report.splitlines():
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[0].isdigit():
            if fields[2] in OUR_MODULES:
                ours += int(fields[0]) / 1000
            if fields[2] == "micropython_kernel.kernel.kernel":
                total = int(fields[1]) / 1000
    return ours, total


def feed_cost(samples: int) -> tuple[float, float, float]:
    """Seconds to decode and split ``samples`` printed lines alone, and to record them; recorded MB."""
    text = "".join(f"{i} {i % 97}\n" for i in range(samples)).encode()
    chunks = [text[i : i + 4096] for i in range(0, len(text), 4096)]
    splitter = LineSplitter()
    started = time.perf_counter()
    for chunk in chunks:
        splitter.feed(chunk.decode())
    split_only = time.perf_counter() - started
    recorder = DataRecorder()

    async def record() -> float:  # the kernel's pipeline for one cell, its text to nowhere
        output = CellOutput(OutputStreamer(lambda text: None), recorder.cell_recording())
        started = time.perf_counter()
        for chunk in chunks:
            output.feed(chunk)
        output.close()
        return time.perf_counter() - started

    recorded = asyncio.run(record())
    columns = recorder.session.samples
    held = sum(a.buffer_info()[1] * a.itemsize for a in [columns.times, *columns.series.values()])
    return split_only, recorded, held / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    options = parser.parse_args()
    n = options.samples

    ours, whole = import_ms()
    print(f"import: capture/host/data modules {ours:.1f} ms of {whole:.0f} ms for the kernel module")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        session = KernelSession(cwd=folder)
        timed(session, "pass")  # the simulated board starts on the first cell
        print(f"kernel start + first cell: {time.perf_counter() - started:.2f} s")
        try:
            before = median_round_trip(session, options.runs)
            rss_start = rss_mb(session)
            printing = f"for i in range({n}):\n    print(i, i % 97)"
            # The same cell with the session recording off and on, interleaved: what recording costs.
            cell_off, cell_on = [], []
            for _ in range(2):
                cell_off.append(timed(session, "%capture off\n" + printing))
                cell_on.append(timed(session, "%capture on\n" + printing))
            cell, cell_without = min(cell_on), min(cell_off)
            rss_printed = rss_mb(session)
            after_print = median_round_trip(session, options.runs)
            first_host = timed(session, "%%host\nimport matplotlib.pyplot as plt\nlen(data)")
            rss_host = rss_mb(session)
            second_host = timed(session, "%%host\nlen(data)")
            export = timed(session, "%export session all.csv")
            rss_export = rss_mb(session)
            after = median_round_trip(session, options.runs)
        finally:
            session.close()
    split_only, recorded, held = feed_cost(n)
    print(
        f"trivial cell round trip: {before * 1e3:.2f} ms empty, {after_print * 1e3:.2f} ms with {n:,} "
        f"samples kept (ratio {after_print / before:.2f}), {after * 1e3:.2f} ms after %%host and %export "
        f"(ratio {after / before:.2f})"
    )
    print(
        f"cell printing {n:,} numeric lines: {cell:.2f} s recorded, {cell_without:.2f} s with %capture off "
        f"(ratio {cell / cell_without:.2f}; best of 2 each)"
    )
    print(
        f"capture cost for {n:,} lines in-process: {recorded:.2f} s (splitting alone {split_only:.2f} s), "
        f"{recorded / cell:.0%} of that cell's time; arrays held: {held:.0f} MB"
    )
    print(
        f"first %%host (pandas + matplotlib import, DataFrame of {n:,}): {first_host:.2f} s; "
        f"next %%host: {second_host * 1e3:.0f} ms; %export of {n:,} samples: {export:.2f} s"
    )
    print(
        f"kernel RSS: {rss_start:.0f} MB started, {rss_printed:.0f} MB after {n:,} samples, "
        f"{rss_host:.0f} MB after %%host, {rss_export:.0f} MB after %export"
    )


if __name__ == "__main__":
    main()
