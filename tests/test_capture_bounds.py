"""A cell printing more than a recording keeps: the newest 1,000,000 samples stay, memory stays bounded."""

from __future__ import annotations

import psutil

from tests.kernel_driver import KernelSession

PRINTED = 1_100_000


def kernel_rss_mb(session: KernelSession) -> float:
    return psutil.Process(session.manager.provisioner.process.pid).memory_info().rss / 2**20


def test_a_million_samples_stay_bounded_and_usable(kernel: KernelSession) -> None:
    assert kernel.execute("pass").status == "ok"  # the board is up
    before = kernel_rss_mb(kernel)
    run = kernel.execute(f"for i in range({PRINTED}):\n    print(i, i % 7)", timeout=240)
    assert run.status == "ok", run.error
    grown = kernel_rss_mb(kernel) - before
    listing = kernel.execute("%capture").stdout
    assert "session: 1,000,000 samples of 0, 1 from 2 cells (100,000 oldest dropped" in listing
    # Columns of doubles: 1,000,000 x 3 x 8 bytes (+ the drop slack) and 100,000 lines, not a dict per sample.
    assert grown < 120, f"the kernel grew {grown:.0f} MB recording {PRINTED:,} samples"
    run = kernel.execute(
        "%%host\nprint(len(data), data['0'].iloc[0], data['0'].iloc[-1], len(lines), lines[-1])"
    )
    assert run.stdout == f"1000000 100000.0 {PRINTED - 1}.0 100000 {PRINTED - 1} {(PRINTED - 1) % 7}\n"
    assert kernel.execute("print('still responsive')").stdout == "still responsive\n"
