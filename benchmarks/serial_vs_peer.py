"""The same cells on the same QEMU micro:bit through this kernel and through jupyter-micropython-kernel.

Run from the repository root: ``python benchmarks/serial_vs_peer.py [--runs N]``. It needs
qemu-system-arm and the micro:bit firmware (Debian packages), and makes a separate venv for the peer
kernel (PyPI ``jupyter-micropython-kernel`` plus ``ipykernel``, which it uses without declaring it) the
first time. Prints each cell's median round trip (request to idle) for both kernels and the ratio
ours/peer (target <= 1.0), then the upload throughput of a 3 KB cell on QEMU's pty (no baud rate: the
small-buffer pacing), then, for both kernels on one line, over a 115200-baud line (tests/serial_line.py):
upload KB/s and its share of the line's 11,520 B/s, and how many of the runs arrived whole.
Upload time = the 3 KB cell's round trip minus the trivial cell's (median of each).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kernel_driver import KernelSession  # noqa: E402
from tests.qemu_microbit import QemuMicrobit, qemu_missing_reason  # noqa: E402
from tests.serial_line import LineRelay  # noqa: E402

PEER_VENV = Path(tempfile.gettempdir()) / "micropython-kernel-bench-peer-venv"
PEER_PACKAGES = ["jupyter-micropython-kernel==0.1.3.2", "ipykernel"]

CELLS = {
    "trivial": "x = 1",
    "print": "print(6 * 7)",
    "loop, 20 lines": "for i in range(20):\n    print(i, i * i)",
}
EXPECTED = f"sum {sum(i * 2 for i in range(45))}"
BIG_CELL = (
    "\n".join(f"v{i} = {i} * 2  # a comment to make the cell longer, as real cells are" for i in range(45))
    + "\nprint('sum', "
    + " + ".join(f"v{i}" for i in range(45))
    + ")"
)


def peer_kernel_dir() -> Path:
    """A kernelspec folder for the peer, pointing at its own venv (made on first use)."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"making {PEER_VENV} for the peer kernel ({', '.join(PEER_PACKAGES)}) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    folder = Path(tempfile.mkdtemp(prefix="peer-kernelspec-"))
    spec = folder / "kernels" / "peer-micropython"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "jupyter_micropython_kernel", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "peer", "language": "python"})
    )
    return folder


def time_cell(session: KernelSession, code: str, timeout: float = 60) -> tuple[float, str]:
    started = time.perf_counter()
    run = session.execute(code, timeout=timeout)
    return time.perf_counter() - started, run.stdout


def measure_block(session: KernelSession, runs: int, times: dict[str, list[float]]) -> None:
    for _ in range(3):  # warm up (the first cells after a connect are slower)
        for code in CELLS.values():
            time_cell(session, code)
    for _ in range(runs):  # the cells in turn, so that a slow moment touches them alike
        for name, code in CELLS.items():
            times[name].append(time_cell(session, code)[0])


def upload_over_line(session: KernelSession, runs: int, line_rate: float) -> str:
    """The 3 KB cell ``runs`` times over the line: KB/s, share of the line, runs that arrived whole."""
    trivial = statistics.median(time_cell(session, "x = 1")[0] for _ in range(10))
    times, whole = [], 0
    for done in range(runs):
        try:
            seconds, out = time_cell(session, BIG_CELL, timeout=30)
        except Exception as err:  # noqa: BLE001 (a board that hangs is a result: the runs stop there)
            return f"hung after {done} runs ({type(err).__name__}); {whole} whole"
        times.append(seconds)
        whole += out.strip() == EXPECTED
    upload = statistics.median(times) - trivial
    rate = len(BIG_CELL) / upload
    return f"{rate / 1024:5.1f} KB/s = {rate / line_rate:4.0%} of line, {whole}/{runs} whole"


def line_figures(runs: int) -> str:
    board = QemuMicrobit()
    line = LineRelay(board.port, baud=115200)
    ours = peer = None
    try:
        ours = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=line.port))
        assert ours.execute("print(1)").status == "ok"
        our_text = upload_over_line(ours, runs, line.bytes_per_second)
        ours.execute("%disconnect")
        peer = KernelSession(kernel_name="peer-micropython")
        peer.execute(f"%serialconnect --port={line.port} --baud=115200", timeout=30)
        peer_text = upload_over_line(peer, runs, line.bytes_per_second)
    finally:
        for session in (ours, peer):
            if session is not None:
                session.close()
        line.kill()
        board.kill()
    return f"ours {our_text} | peer {peer_text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--line-only", action="store_true", help="only the 115200-baud line figures")
    options = parser.parse_args()
    reason = qemu_missing_reason()
    if reason:
        sys.exit(f"cannot run: {reason}")
    os.environ["JUPYTER_PATH"] = str(peer_kernel_dir())
    if options.line_only:
        print_line_figures(options.runs)
        return
    board = QemuMicrobit()
    ours = peer = None
    our_times: dict[str, list[float]] = {name: [] for name in CELLS}
    peer_times: dict[str, list[float]] = {name: [] for name in CELLS}
    try:
        ours = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port))
        peer = KernelSession(kernel_name="peer-micropython")
        # Blocks taken in turn on the one board (each kernel lets go of the port for the other), so
        # that a change in the host's load touches both kernels alike.
        blocks = 3
        for _ in range(blocks):
            assert ours.execute(f"%connect {board.port}").status == "ok"
            measure_block(ours, options.runs // blocks, our_times)
            ours.execute("%disconnect")
            peer.execute(f"%serialconnect --port={board.port} --baud=115200", timeout=30)
            measure_block(peer, options.runs // blocks, peer_times)
            peer.execute("%disconnect", timeout=30)

        assert ours.execute(f"%connect {board.port}").status == "ok"
        big_times = []
        for _ in range(5):
            seconds, out = time_cell(ours, BIG_CELL)
            assert out.startswith("sum"), out
            big_times.append(seconds)
        ours.execute("%disconnect")
        peer.execute(f"%serialconnect --port={board.port} --baud=115200", timeout=30)
        try:  # the peer writes line by line with no pacing: it may never finish on this board
            peer_big, peer_big_out = time_cell(peer, BIG_CELL, timeout=60)
            finished = "sum" in peer_big_out
            peer_big_text = f"{len(BIG_CELL) / peer_big / 1024:.1f} KB/s" if finished else "no answer"
        except Exception as err:  # noqa: BLE001 (a timeout of the peer is a result, not a crash)
            peer_big_text = f"did not finish in 60 s ({type(err).__name__})"
    finally:
        for session in (ours, peer):
            if session is not None:
                session.close()
        board.kill()

    our_medians = {name: statistics.median(values) for name, values in our_times.items()}
    peer_medians = {name: statistics.median(values) for name, values in peer_times.items()}
    options.runs = len(our_times["trivial"])
    print(f"\nQEMU micro:bit (MicroPython v1.9.2), median of {options.runs} runs per cell, request to idle:")
    print(f"{'cell':<16} {'ours ms':>9} {'peer ms':>9} {'ours/peer':>10}   (fastest run: ours, peer)")
    for name in CELLS:
        ratio = our_medians[name] / peer_medians[name]
        fastest = f"{min(our_times[name]) * 1e3:.1f}, {min(peer_times[name]) * 1e3:.1f}"
        medians = f"{our_medians[name] * 1e3:9.1f} {peer_medians[name] * 1e3:9.1f}"
        print(f"{name:<16} {medians} {ratio:10.2f}   ({fastest})")
    big = statistics.median(big_times)
    print(
        f"\n3 KB cell ({len(BIG_CELL)} bytes, paced for the 64-byte UART buffer): "
        f"ours {big * 1e3:.0f} ms median of 5 = {len(BIG_CELL) / big / 1024:.1f} KB/s; peer: {peer_big_text}"
    )

    print_line_figures(options.runs)


def print_line_figures(runs: int) -> None:
    print(f"3 KB cell over a 115200-baud line (11,520 B/s), {runs} runs each: {line_figures(runs)}")


if __name__ == "__main__":
    main()
