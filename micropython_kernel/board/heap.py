"""Reading a MicroPython heap: free and used bytes, the largest free block, and the GC block map.

Any board answers HEAP_QUERY (it prints ``micropython.mem_info(1)``); the simulated board has a way that
allocates nothing on the heap it reads (``_simhw.end_of_cell``), and the same parsers read both.
See docs/architecture.md, "Observing the heap".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Inside a function that deletes itself, so the user's names (their own ``gc``) are left alone. No
# gc.collect(): the reading shows the heap as the user's code left it, garbage included, as the
# board's own gc.mem_free() would.
HEAP_QUERY = """def _mpk_heap():
    import gc, micropython, sys
    print('mpk-heap', gc.mem_free(), gc.mem_alloc(), 16 if getattr(sys, 'maxsize', 0) < 2**32 else 32)
    micropython.mem_info({with_map})
_mpk_heap()
del _mpk_heap"""
HEAP_LINE = re.compile(r"mpk-heap (\d+) (\d+) (\d+)")
FREE_LINE = re.compile(r"mpk-heap-free (\d+)")
_MAX_FREE = re.compile(r"max free sz: (\d+)")
_MAP_START = re.compile(r"GC memory layout; from [0-9a-fA-Fx]+:")
_MAP_LINE = re.compile(r"^([0-9a-fA-F]+): (\S*)$")
_ALL_FREE = re.compile(r"^\s*\((\d+) lines all free\)$")
FREE_BLOCK = "."
_FREE_RUN = re.compile(r"\.+")


@dataclass
class HeapReading:
    """The heap as the board's own code would count it."""

    free: int  # bytes
    used: int
    largest_free: int | None = None  # bytes in the largest free run of blocks
    block_bytes: int | None = None  # bytes in one GC block (16 on 32-bit boards, 32 on 64-bit)
    #: one character per GC block, as mem_info(1) prints it: "." free, "h" the head of an object, "="
    #: its tail, other letters heads by type (T tuple, L list, D dict, S string, A bytearray, B code)
    blocks: str | None = None


def parse_block_map(text: str) -> tuple[str, int | None] | None:
    """The block map that ``micropython.mem_info(1)`` printed in ``text`` (one character a block, runs
    of free lines expanded) and the bytes a block holds; None when there is no map."""
    start = _MAP_START.search(text)
    if start is None:
        return None
    blocks: list[str] = []
    offsets: list[tuple[int, int]] = []  # (byte offset, block index) of each printed line
    per_line = 0
    for raw in text[start.end() :].splitlines():
        line = raw.rstrip()
        free_run = _ALL_FREE.match(line)
        if free_run:
            blocks.append(FREE_BLOCK * int(free_run.group(1)) * per_line)
            continue
        match = _MAP_LINE.match(line.strip())
        if match is None:
            if line.strip():
                break  # the next thing printed
            continue
        index = sum(len(b) for b in blocks)
        offsets.append((int(match.group(1), 16), index))
        per_line = max(per_line, len(match.group(2)))
        blocks.append(match.group(2))
    if not blocks:
        return None
    block_bytes = None
    if len(offsets) >= 2 and offsets[1][1] > offsets[0][1]:
        block_bytes = (offsets[1][0] - offsets[0][0]) // (offsets[1][1] - offsets[0][1])
    return "".join(blocks), block_bytes


def largest_free_run(blocks: str) -> int:
    """Blocks in the longest run of free blocks."""
    return max((len(run) for run in _FREE_RUN.findall(blocks)), default=0)


def parse_heap_query(text: str) -> HeapReading | None:
    """What HEAP_QUERY printed, as a reading (None if the board answered something else)."""
    line = HEAP_LINE.search(text)
    if line is None:
        return None
    free, used, block = (int(g) for g in line.groups())
    max_free = _MAX_FREE.search(text)
    reading = HeapReading(free, used, int(max_free.group(1)) * block if max_free else None, block)
    block_map = parse_block_map(text)
    if block_map is not None:
        reading.blocks, reading.block_bytes = block_map[0], block_map[1] or block
    return reading
