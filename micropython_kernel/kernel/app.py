"""The kernel application: ipykernel's IPKernelApp, with the shell channel on the kernel's own loop.

ipykernel 7 receives shell messages on a thread of their own (for kernel subshells, a way to run code
of one kernel on several threads) and hands each to the main thread over an inproc socket, and each
reply back: two thread hand-offs a message. A board runs one thing at a time, so this kernel offers no
subshells; its shell socket is read on the main loop, ipykernel's path for kernels without them.
Comm messages still reach widgets while a cell runs (``Kernel.shell_main`` dispatches them without
waiting for the cell, on either path). Measured: 0.4-0.5 ms of a trivial cell's 3.5-4 ms CPU on a slow
host (benchmarks/cell_cpu.py).
"""

from __future__ import annotations

from typing import Any

from ipykernel.kernelapp import IPKernelApp


class MicroPythonKernelApp(IPKernelApp):
    def init_sockets(self) -> None:  # type: ignore[override]
        super().init_sockets()
        self.shell_channel_thread: Any = None  # (kernel_info then lists no "kernel subshells")
