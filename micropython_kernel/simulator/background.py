"""Between cells a real board keeps running its timer callbacks and irq handlers at the prompt: an LED
blinking from a ``machine.Timer`` goes on blinking, a button handler fires when the widget's button is
pressed. The unix VM runs nothing while its raw REPL waits for input, so while the VM has such work
(``HardwareModel.background``) this service runs ``_simhw.idle()`` in short slices whenever no cell does.

A cell that arrives wakes the VM (``HardwareModel.wake``), so it waits about a millisecond; a callback
that never returns gets a KeyboardInterrupt after ``UNSTICK_AFTER`` seconds. What callbacks print
between cells is kept and shown at the start of the next cell, as a serial console would show it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..board.errors import BoardDisconnected

if TYPE_CHECKING:
    from ..board.rawrepl import RawRepl
    from .hardware import HardwareModel

SLICE_MS = 500  # one idle() call; a waiting cell wakes it early
UNSTICK_AFTER = 2.0  # seconds a woken idle() may take before it is interrupted
MAX_OUTPUT = 64 * 1024  # bytes of between-cells output kept (the newest)


class BackgroundService:
    """Idles the VM between cells while it has background work.

    Its collaborators: ``hardware`` (does the VM want idling; wake it; take in its events), ``lock``
    (held while anything talks to the VM), ``repl()`` (the VM's raw REPL now, None without a VM) and
    ``interrupt_vm()`` (SIGINT to the VM: a callback that never returns)."""

    def __init__(
        self,
        hardware: HardwareModel,
        lock: asyncio.Lock,
        repl: Callable[[], RawRepl | None],
        interrupt_vm: Callable[[], None],
    ) -> None:
        self._hardware = hardware
        self._lock = lock
        self._repl = repl
        self._interrupt_vm = interrupt_vm
        self.output = bytearray()
        self._task: asyncio.Task[None] | None = None
        self._in_idle = False
        self._wanted = 0  # cells (or resets) waiting for the VM: no idle slice starts before them
        self._unstick: asyncio.TimerHandle | None = None

    def kick(self) -> None:
        """Start idling if the VM has background work and nothing idles yet."""
        if self._task is None and self._hardware.background and self._repl() is not None:
            self._task = asyncio.ensure_future(self._run())

    def wake(self) -> None:
        """A cell wants the VM: end the current idle slice now, and start none until ``served``.

        (Without the count, a cell arriving just after this service was granted the lock, but before
        its slice began, waited the whole slice: 500 ms a cell when cells came back to back.)"""
        self._wanted += 1
        if not self._in_idle:
            return
        self._hardware.wake()
        if self._unstick is None:
            self._unstick = asyncio.get_running_loop().call_later(UNSTICK_AFTER, self._interrupt_stuck)

    def served(self) -> None:
        """The cell that called ``wake`` has the VM now."""
        self._wanted = max(0, self._wanted - 1)

    def take_output(self) -> bytes:
        data = bytes(self.output)
        self.output.clear()
        return data

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _interrupt_stuck(self) -> None:
        self._unstick = None
        if self._in_idle:
            self._interrupt_vm()  # a callback that never returns: KeyboardInterrupt in it

    def _keep(self, data: bytes) -> None:
        self.output += data
        if len(self.output) > MAX_OUTPUT:
            del self.output[: len(self.output) - MAX_OUTPUT]

    async def _run(self) -> None:
        hardware = self._hardware
        try:
            while hardware.background:
                if self._wanted:  # a cell waits for the lock: it goes first
                    await asyncio.sleep(0.001)
                    continue
                async with self._lock:
                    repl = self._repl()
                    if repl is None or not hardware.background:
                        return
                    if self._wanted:
                        continue
                    self._in_idle = True
                    try:
                        stderr = await repl.execute(f"__import__('_simhw').idle({SLICE_MS})", self._keep)
                    finally:
                        self._in_idle = False
                        if self._unstick is not None:
                            self._unstick.cancel()
                            self._unstick = None
                    self._keep(stderr)
                    hardware.drain()
                await asyncio.sleep(0)  # a cell waiting for the lock goes first
        except BoardDisconnected:
            return  # the VM is gone: the next cell starts a fresh one
        finally:
            self._task = None
