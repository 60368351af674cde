"""Install the ``micropython`` kernelspec (pip install registers it too, as wheel data files)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "micropython"


def kernel_json(python: str = sys.executable, allow_host: bool = True) -> dict[str, object]:
    argv = [python, "-m", "micropython_kernel", "-f", "{connection_file}"]
    if not allow_host:  # graders and hub admins: no CPython cells in the kernel process
        argv.append("--MicroPythonKernel.allow_host=False")
    return {
        "argv": argv,
        "display_name": "MicroPython",
        "language": "python",
        # Message mode: the stop button arrives as a message on the control channel (works on Windows
        # too, and never raises KeyboardInterrupt inside the kernel's own code).
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }


def install(user: bool = False, prefix: str | None = None, allow_host: bool = True) -> str:
    """Write the kernelspec and return the folder it went to."""
    with tempfile.TemporaryDirectory() as folder:
        spec = kernel_json(allow_host=allow_host)
        (Path(folder) / "kernel.json").write_text(json.dumps(spec, indent=2))
        return KernelSpecManager().install_kernel_spec(folder, KERNEL_NAME, user=user, prefix=prefix)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m micropython_kernel install", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for the current user")
    where.add_argument("--sys-prefix", action="store_true", help="install into sys.prefix (the venv)")
    where.add_argument("--prefix", help="install under this prefix")
    parser.add_argument(
        "--no-host", action="store_true", help="switch %%%%host cells off (CPython in the kernel process)"
    )
    options = parser.parse_args(argv)
    prefix = sys.prefix if options.sys_prefix else options.prefix
    path = install(user=options.user, prefix=prefix, allow_host=not options.no_host)
    print(f"Installed the MicroPython kernelspec in {path}")
