# Samples the GC heap while a cell runs on the simulated board (for the kernel's %heap view).
# It is a _simhw timer: it runs only where the code waits (time.sleep, ticks_ms), never inside a
# tight loop. Observing must not change the heap it shows: gc.mem_free() reads the allocation table
# without collecting, and the sample goes out on _simhw's fast path (a preallocated array), so a
# sample allocates nothing. It is one of the kernel's own timers: it does not keep the VM running
# between cells (nothing changes the heap there unless the user's own timers run). Importing it
# again does nothing (one watcher per VM).
import gc

import _simhw
from utime import ticks_add, ticks_ms

PERIOD_MS = 200


class _Watch:
    def __init__(self):
        self._code = _simhw.code_for("heap", "free")
        self._due = ticks_add(ticks_ms(), PERIOD_MS)

    def _fire(self):
        _simhw.level(self._code, gc.mem_free())  # (< 2**20: the simulated heaps are at most 512 KB)
        self._due = ticks_add(ticks_ms(), PERIOD_MS)
        return self._due


_simhw.add_timer(_Watch(), idle=False)
