# Samples the GC heap while a cell runs on the simulated board (for the kernel's %heap view).
# It is a _simhw timer: it runs only where the code waits (time.sleep, ticks_ms), never inside a
# tight loop, and gc.mem_free()/mem_alloc() read the allocation table without collecting: the cell's
# timing and heap are left as they were. Importing it again does nothing (one watcher per VM).
import gc

import _simhw
from utime import ticks_add, ticks_ms

PERIOD_MS = 200


class _Watch:
    def __init__(self):
        self._due = ticks_add(ticks_ms(), PERIOD_MS)

    def _fire(self):
        _simhw.emit("heap", "gc", (gc.mem_free(), gc.mem_alloc()))
        self._due = ticks_add(ticks_ms(), PERIOD_MS)
        return self._due


_simhw.add_timer(_Watch())
