"""Helper code the kernel runs on the target for the views (heap, watched pins), and its parsing.

Each runs inside a function that deletes itself, so the user's names (their own ``gc``, ``sys``) are
left untouched.
"""

from __future__ import annotations

import re

# mem_info() prints "max free sz: N" in GC blocks; a block is 4 machine words (16 bytes on 32-bit
# boards, 32 on 64-bit).
# On the simulated board it also starts _heapwatch (samples while later cells wait); not on a real one.
HEAP_QUERY = """def _mpk_heap():
    import gc, micropython, sys
    try:
        import _heapwatch
    except ImportError:
        pass
    gc.collect()
    micropython.mem_info()
    print('mpk-heap', gc.mem_free(), gc.mem_alloc(), 16 if sys.maxsize < 2**32 else 32)
_mpk_heap()
del _mpk_heap"""
# A real board tells the kernel nothing about its pins: the ones the user asked to watch are read after
# each cell and on the panel's refresh button. Pin(id) with no mode keeps the pin's configuration.
PINS_QUERY = """def _mpk_pins():
    out = []
    try:
        import machine
        for p in {ids!r}:
            try:
                out.append(str(machine.Pin(p).value()))
            except Exception:
                out.append('?')
    except ImportError:
        pass
    print('mpk-pins', ' '.join(out))
_mpk_pins()
del _mpk_pins"""
_HEAP_LINE = re.compile(r"mpk-heap (\d+) (\d+) (\d+)")
_MAX_FREE = re.compile(r"max free sz: (\d+)")


def parse_heap_report(text: str) -> tuple[int, int, int | None] | None:
    """(free, used, largest free block in bytes) from HEAP_QUERY's output."""
    line = _HEAP_LINE.search(text)
    if line is None:
        return None
    free, used, block = (int(g) for g in line.groups())
    max_free = _MAX_FREE.search(text)
    return free, used, int(max_free.group(1)) * block if max_free else None


def parse_pins_report(text: str) -> list[int | None]:
    """The levels PINS_QUERY printed, in the order asked (None: the board could not read that pin)."""
    words = text.split("mpk-pins", 1)[-1].split()
    return [int(word) if word.isdigit() else None for word in words]
