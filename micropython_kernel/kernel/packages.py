"""Published MicroPython packages: wheels fetched on this computer by pip, their files for a board's /lib.

``%mip install NAME`` (mpremote's word) takes wheels of pure MicroPython source from PyPI, as
``micropython-ahtx0`` and ``micropython-lis3dh`` are published. pip does the fetching (an index, proxies
and certificates as the user configured them); the kernel only reads the wheel, a zip file. A wheel
that is not for every platform, or holds compiled code (a CPython extension), is refused: a board
cannot import it. So is one with no ``.py``/``.mpy`` file (type stubs, a CPython-only tool).
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

MICROPYTHON_SUFFIXES = (".py", ".mpy")
COMPILED_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".c", ".h", ".pyx", ".o", ".a")
PIP_TIMEOUT = 120.0  # seconds for pip to fetch one package
_WHEEL_TAGS = re.compile(r"-(?P<python>[^-]+)-(?P<abi>[^-]+)-(?P<platform>[^-]+)\.whl$")


class PackageRefused(Exception):
    """The package cannot go onto a board; the message says why."""


@dataclass(frozen=True)
class PackageFile:
    path: str  # relative to /lib, with "/" between folders
    data: bytes


async def fetch_wheel(name: str, folder: Path) -> Path:
    """``pip download`` the wheel of ``name`` (no dependencies) into ``folder``; return its path."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    command += ["--disable-pip-version-check", "--no-input", "-q", "-d", str(folder), name]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), PIP_TIMEOUT)
    except (asyncio.TimeoutError, asyncio.CancelledError):
        process.kill()
        await process.wait()
        raise
    wheels = sorted(folder.glob("*.whl"))
    if process.returncode != 0 or not wheels:
        reason = _pip_reason(output.decode("utf-8", "replace"))
        raise PackageRefused(f"pip could not fetch a wheel of {name!r}: {reason}")
    return wheels[0]


def _pip_reason(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith("ERROR")]
    if any("No matching distribution" in line for line in lines):
        return (
            "no wheel of it on the package index (a source-only package, a misspelt name, or no "
            "network); %put the driver's .py file instead"
        )
    return lines[-1] if lines else (output.strip().splitlines() or ["pip failed"])[-1]


def micropython_files(wheel: Path) -> list[PackageFile]:
    """The MicroPython files of ``wheel`` (paths as they go under /lib); PackageRefused if none."""
    tags = _WHEEL_TAGS.search(wheel.name)
    if tags is None:
        raise PackageRefused(f"{wheel.name} is not a wheel file name")
    try:
        archive = zipfile.ZipFile(wheel)
    except (zipfile.BadZipFile, OSError) as err:
        raise PackageRefused(f"{wheel.name} is not a readable wheel ({err})") from err
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/") and ".dist-info/" not in n]
        compiled = [n for n in names if n.lower().endswith(COMPILED_SUFFIXES)]
        if compiled or tags["platform"] != "any" or tags["abi"] != "none":
            what = (
                f"compiled parts ({', '.join(compiled[:3])})" if compiled else f"a {tags['platform']} build"
            )
            raise PackageRefused(
                f"{wheel.name} has {what}: that is CPython code, which a MicroPython board cannot run. "
                "Look for the package's MicroPython version (often named micropython-...)."
            )
        sources = [n for n in names if n.endswith(MICROPYTHON_SUFFIXES) and ".data/" not in n]
        if not sources:
            raise PackageRefused(
                f"{wheel.name} has no MicroPython files (.py or .mpy): nothing a board could import"
            )
        return [PackageFile(name, archive.read(name)) for name in sorted(sources)]


async def package_files(name: str, local_wheel: Path | None = None) -> tuple[str, list[PackageFile]]:
    """The wheel's name and its MicroPython files: ``local_wheel``, or ``name`` fetched from the index."""
    if local_wheel is not None:
        return local_wheel.name, micropython_files(local_wheel)
    with tempfile.TemporaryDirectory(prefix="micropython-kernel-mip-") as folder:
        wheel = await fetch_wheel(name, Path(folder))
        return wheel.name, micropython_files(wheel)
