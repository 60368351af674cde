# The heap ballast of the simulated board (MicroPython source, runs inside the VM): the host calls
# hold_heap once at start, after the hardware modules are loaded, so user code sees the real board's
# heap (gc.mem_free(), MemoryError where the board has them) with the simulator's own modules (C in a
# firmware) held apart.

_ballast = []


def _largest_free_block(total):
    low, high = 0, total  # binary search on what one allocation can take
    while high - low > 64:
        size = (low + high) // 2
        try:
            bytearray(size)
            low = size
        except MemoryError:
            high = size
    return low


def _fresh_qstr_pool():
    # Names are interned in qstr pools on the heap, each new pool twice the size of the last: after
    # the hardware modules' names, the user's first new names would take KBs at once (3.6 KB measured
    # on the micro:bit profile, a third of its heap). Fill the current pool with throwaway names until
    # the next one is allocated, before the heap is held: a firmware's own names live in ROM.
    import gc

    free = gc.mem_free()
    for index in range(2048):
        getattr(None, "_q" + str(index), None)  # getattr interns the name
        now = gc.mem_free()
        if free - now >= 1024:
            return
        free = now


def hold_heap(free_bytes):
    """Hold all but ``free_bytes`` of the free heap, so user code sees the real board's heap.

    Loading the hardware modules leaves holes all over the heap; they are filled (big regions with
    one allocation each, small holes with one-block objects) and then the biggest regions are given
    back, so what stays free is in large pieces, as on a fresh board whose modules are in flash."""
    import gc

    _ballast.clear()
    _fresh_qstr_pool()
    gc.collect()
    if gc.mem_free() <= free_bytes:
        return
    # 256 lists of 16 rather than one of 4096: after the boot and the hardware modules the heap can be
    # fragmented down to ~1 KB pieces (measured on the micro:bit profile after a reset).
    keep = [[None] * 16 for _ in range(256)]
    regions = []
    while len(regions) < 16:
        gc.collect()
        size = _largest_free_block(gc.mem_free())
        if size < 4096:
            break
        regions.append(bytearray(size - 64))
    index = 0
    while index < 4096:  # the small holes, block by block
        try:
            keep[index >> 4][index & 15] = index + 0.5  # a float: one heap block
        except MemoryError:
            break
        index += 1
    while regions and gc.mem_free() < free_bytes:  # give back the biggest regions first
        regions.pop(0)
        gc.collect()
    while index > 0 and gc.mem_free() < free_bytes:  # then small holes, 16 at a time
        for _ in range(min(16, index)):
            index -= 1
            keep[index >> 4][index & 15] = None
        gc.collect()
    _ballast.append(keep)
    _ballast.append(regions)
    _ballast.append(bytearray(max(0, gc.mem_free() - free_bytes - 64)))
