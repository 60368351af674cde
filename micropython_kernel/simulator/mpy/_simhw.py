# The simulated board's side of the hardware channel (MicroPython source, runs inside the VM).
#
# Events (VM -> host) go over a pipe separate from the console, so printed output never mixes with
# hardware traffic; inputs (host -> VM: pin levels, ADC values, sensor quantities, signal generators)
# come back over a second pipe, polled without blocking. The host passes both file descriptors in the
# environment (MPK_EVENTS_FD, MPK_INPUTS_FD); without them (a VM run by hand) events are dropped and
# inputs keep their defaults, so the hardware modules still import and run.
#
# Wire format VM -> host: frames of  type byte + 4-byte little-endian length + payload:
#   b"D"  "code kind target"           declares a numeric code for the fast path (see code_for)
#   b"T"  "ticks_us kind target value\n" per event; value: str(number), or items joined by ","
#   b"B"  array("i") of pairs (code << 20 | value, ticks_us): pin levels and ADC values, cheaply
# ticks_us here is CLOCK_MONOTONIC in microseconds modulo 2**30 (measured: the host unwraps it).
# Wire format host -> VM: lines "name value\n" (value: a number) or "name ~kind p1 p2 ..." (a signal
# generator the VM evaluates at read time: exact in tight loops, no traffic), or "name" alone (remove);
# "!" alone ends idle() (a cell waits for the prompt); "?" asks for the code declarations again.
# Control events (not hardware): "background" (how many handlers and timers want idle() between
# cells) and "reset" (reboot() is about to end the VM).
#
# API for the other hardware modules (machine.py, microbit.py, sensor models):
#   emit(kind, target, value)      any event (pin, mode, pwm, adc, display, i2c, sensor ...)
#   code_for(kind, target) -> int  then level(code, value): the fast path for 0..2**20-1 integers
#   value_of(name, default)        the host-driven input now (polls the input pipe, ~0.5 us)
#   watch(name, callback)          callback(name, value) after the host changes ``name`` (irq)
#   add_timer(obj, idle=True) / remove_timer(obj): obj._due (ticks_ms) and obj._fire() -> next due
#                                  or None; idle=False: a timer of the kernel's own (the heap watch),
#                                  which does not keep idle() running between cells
#   service()                      deliver pending inputs and due timers now
#   sleep_ms(ms)                   sleep while delivering inputs and timers (time.sleep uses it)
#   flush()                        send buffered events now
#   end_of_cell(report)            the host's call after each cell: flush; report=1 also prints the
#                                  heap (free bytes, micropython.mem_info(1)) for the %heap view
#   observe(on)                    record fast-path events or not (benchmarks measure their cost)
#   reboot(kind)                   end the VM; the kernel starts a fresh one (machine.reset)
#   idle(ms)                       the host's call between cells: handlers and timers keep running
#   hold_heap(free)                hold the heap beyond the board's size (the host, at start)
import math
import random
import select
from array import array

from _board import setting  # MPK_* settings: the board's os has no getenv
from utime import sleep_ms as _os_sleep_ms
from utime import sleep_us as _os_sleep_us
from utime import ticks_add, ticks_diff, ticks_ms, ticks_us

_BATCH = 2048  # ints in the fast buffer before it is sent (1024 events, 8 KB)
_LATENCY_US = 20000  # events wait at most this long in a buffer while code runs

_events = None  # the event pipe (a file), or None when no host listens
_inputs_file = None
_poller = None
_fast = array("i", bytes(4 * _BATCH))  # preallocated: array.append grows a few items at a time
_used = 0  # ints of _fast in use
_text = bytearray()
_out = bytearray()
_due = 0  # ticks_us after which a fast-path event sends the buffers (the last flush + the latency)
_codes = {}  # (kind, target) -> code
_inputs = {}  # name -> value (a number) or a generator (a list, see _generator)
_watchers = {}  # name -> [callback]
_timers = []
_quiet_timers = []  # the kernel's own timers (the heap watch): no reason to run idle() for them
_in_service = False
_held = False  # machine.disable_irq()
_wake = False  # set by the host's "!" line: idle() returns


def _open_channels():
    global _events, _inputs_file, _poller
    # By number, not "/dev/fd/N": the board's filesystem (the flash) has no /dev.
    fd = setting("MPK_EVENTS_FD")
    if fd:
        _events = open(int(fd), "wb")
    fd = setting("MPK_INPUTS_FD")
    if fd:
        _inputs_file = open(int(fd), "rb")
        _poller = select.poll()
        _poller.register(_inputs_file, select.POLLIN)


_size = bytearray(4)  # a frame's length: reused, so that sending events allocates nothing


def _header(kind, n):
    # (one assignment a byte: a 4-tuple assignment would build a tuple on the heap)
    _size[0] = n & 255
    _size[1] = n >> 8 & 255
    _size[2] = n >> 16 & 255
    _size[3] = n >> 24 & 255
    _out.extend(kind)
    _out.extend(_size)


def _frame(kind, payload):
    _header(kind, len(payload))
    _out.extend(payload)


def _move_fast():
    """Send the fast-path records (after what waits in _out, to keep the order). Written from the
    array itself: a slice of it would be a new object on the heap at each flush."""
    global _used
    if _used:
        _header(b"B", 4 * _used)
        if _events is not None:
            _events.write(_out)
            _events.write(_fast, 4 * _used)
        _out[:] = b""
        _used = 0


def _move_text():
    if _text:
        _frame(b"T", _text)
        _text[:] = b""


def flush():
    """Send every buffered event to the host now."""
    global _due
    _due = ticks_us() + _LATENCY_US
    _move_text()
    _move_fast()
    if _out:
        if _events is not None:
            _events.write(_out)
        _out[:] = b""


def _note_time(t):
    wait = _due - t
    if wait < 0 or wait > _LATENCY_US:  # (a wait above the latency: the clock wrapped)
        flush()
        service()  # a loop that never sleeps still gets its irq handlers and timers


def code_for(kind, target):
    """A small integer naming (kind, target) for ``level``; declared to the host once."""
    key = (kind, target)
    code = _codes.get(key)
    if code is None:
        code = _codes[key] = len(_codes)
        _move_fast()  # keep events in order: the declaration must precede its first use
        _move_text()
        _frame(b"D", f"{code} {kind} {target}".encode())
    return code


def _record(code, value):
    """Record an integer event (0 <= value < 2**20) for a code from ``code_for``: the fast path."""
    global _used
    t = ticks_us()
    used = _used
    _fast[used] = code << 20 | value
    _fast[used + 1] = t
    _used = used = used + 2
    wait = _due - t
    if used >= _BATCH or wait < 0 or wait > _LATENCY_US:  # (a wait above the latency: a wrap)
        flush()
        service()  # a loop that never sleeps still gets its irq handlers and timers


def _skip(code, value):
    pass


level = _record


def observe(on):
    """Record fast-path events (True, the default) or skip them (False: to measure their cost)."""
    global level
    level = _record if on else _skip


def _encode(value):
    if isinstance(value, (tuple, list)):
        return ",".join("" if v is None else str(v) for v in value)
    return str(value)


def emit(kind, target, value):
    """Record any event; the host turns it into a BoardState HardwareEvent."""
    t = ticks_us()
    _note_time(t)
    _move_fast()
    _text.extend(f"{t} {kind} {target} {_encode(value)}\n".encode())
    if len(_text) + len(_out) >= 4 * _BATCH:
        flush()


# -- inputs from the host ------------------------------------------------------------------------


def _ready(timeout):
    """Wait up to ``timeout`` ms for input from the host. (ipoll, unlike poll, allocates no list:
    the heap view's samples must not change the heap they show.)"""
    for _ in _poller.ipoll(timeout):
        return True
    return False


def _read_inputs():
    global _wake
    changed = None
    while _ready(0):
        line = _inputs_file.readline()
        if not line:  # the host closed the pipe
            _poller.unregister(_inputs_file)
            return changed
        words = line.decode().split()
        if not words:
            continue
        name = words[0]
        if name == "!":  # the host wants the prompt back (a cell is waiting): end idle()
            _wake = True
            continue
        if name == "?":  # the host lost track of the codes (junk on the pipe): declare them again
            _move_fast()
            for (kind, target), code in _codes.items():
                _frame(b"D", f"{code} {kind} {target}".encode())
            continue
        if len(words) == 1:
            _inputs.pop(name, None)
        elif words[1][0] == "~":
            _inputs[name] = _generator(words[1][1:], [float(w) for w in words[2:]])
        else:
            _inputs[name] = float(words[1])
        if name in _watchers:
            changed = changed or []
            changed.append(name)
    return changed


def _generator(kind, params):
    # params: rate (Hz), amplitude, offset; time starts when the host set it. A walk also keeps its
    # value and the time of its last step.
    now = ticks_ms()
    return [kind, params, now, params[2], now]


def _evaluate(gen):
    kind, params, start = gen[0], gen[1], gen[2]
    rate, amplitude, offset = params[0], params[1], params[2]
    t = ticks_diff(ticks_ms(), start) / 1000
    if kind == "sine":
        return offset + amplitude * math.sin(2 * math.pi * rate * t)
    if kind == "square":
        return offset + (amplitude if (t * rate) % 1 < 0.5 else -amplitude)
    if kind == "triangle":
        phase = (t * rate) % 1
        return offset + amplitude * (4 * phase - 1 if phase < 0.5 else 3 - 4 * phase)
    if kind == "noise":
        return offset + amplitude * (2 * random.random() - 1)
    if kind == "walk":  # rate steps a second, each up to +-amplitude/10, kept within offset+-amplitude
        steps = int(ticks_diff(ticks_ms(), gen[4]) * rate / 1000)
        if steps:
            value = gen[3]
            for _ in range(min(steps, 1000)):
                value += amplitude * (2 * random.random() - 1) / 10
                value = min(max(value, offset - amplitude), offset + amplitude)
            gen[3] = value
            gen[4] = ticks_add(gen[4], int(steps * 1000 / rate))
        return gen[3]
    return offset


def value_of(name, default=None):
    """The host-driven input ``name`` now (a number), or ``default`` when the host set none."""
    if _poller is not None:
        changed = _read_inputs()
        if changed and not _in_service:
            _deliver(changed)
    value = _inputs.get(name)
    if value is None:
        return default
    if isinstance(value, list):
        return _evaluate(value)
    return value


def watch(name, callback):
    """Call ``callback(name, value)`` whenever the host changes ``name`` (at the next service point)."""
    _watchers.setdefault(name, []).append(callback)
    _background_changed()


def unwatch(name, callback):
    callbacks = _watchers.get(name, [])
    if callback in callbacks:
        callbacks.remove(callback)
        if not callbacks:
            del _watchers[name]
        _background_changed()


def _background_changed():
    # The host runs idle() between cells while there are handlers or timers, as a board keeps
    # running them at its prompt.
    emit("background", "vm", len(_watchers) + len(_timers) - len(_quiet_timers))


def _deliver(names):
    global _in_service
    _in_service = True
    try:
        for name in names:
            for callback in list(_watchers.get(name, ())):
                callback(name, value_of(name))
    finally:
        _in_service = False


# -- timers --------------------------------------------------------------------------------------


def add_timer(timer, idle=True):
    if timer not in _timers:
        _timers.append(timer)
        if not idle:
            _quiet_timers.append(timer)
        _background_changed()


def remove_timer(timer):
    if timer in _timers:
        _timers.remove(timer)
        if timer in _quiet_timers:
            _quiet_timers.remove(timer)
        _background_changed()


def _run_timers():
    global _in_service
    if not _timers:
        return
    now = ticks_ms()
    _in_service = True
    try:
        i = 0
        while i < len(_timers):  # (not over a copy: a copy per service would be garbage)
            timer = _timers[i]
            if ticks_diff(now, timer._due) >= 0 and timer._fire() is None:
                remove_timer(timer)
            if i < len(_timers) and _timers[i] is timer:
                i += 1
    finally:
        _in_service = False


def hold_service(hold):
    """Hold back (True) or allow (False) handlers, as machine.disable_irq does; returns the old state."""
    global _held
    old, _held = _held, bool(hold)
    return old


def service():
    """Deliver input changes to watchers and run due timers (handlers run here, in order)."""
    if _in_service or _held:
        return
    changed = _read_inputs() if _poller is not None else None
    for name in _watchers:  # a generator changes without a message: watchers judge for themselves
        if isinstance(_inputs.get(name), list):
            changed = changed or []
            changed.append(name)
    if changed:
        _deliver(changed)
    _run_timers()


_GENERATOR_POLL_MS = 2  # how often a sleep looks at generator-driven inputs that handlers watch


def _next_timer_ms(limit):
    """How long a sleep may wait: until the next timer, or briefly when a watched input is a
    generator (its edges come from the clock, not from a message that would end the wait)."""
    now = ticks_ms()
    for timer in _timers:
        limit = min(limit, max(0, ticks_diff(timer._due, now)))
    for name in _watchers:
        if isinstance(_inputs.get(name), list):
            return min(limit, _GENERATOR_POLL_MS)
    return limit


def sleep_ms(ms):
    """Sleep ``ms`` milliseconds; input changes and timers are handled meanwhile, as on a board."""
    flush()
    whole = int(ms)
    end = ticks_add(ticks_ms(), whole)
    while True:
        service()
        left = ticks_diff(end, ticks_ms())
        if left <= 0:
            if ms > whole:
                _os_sleep_us(int((ms - whole) * 1000))
            return
        wait = _next_timer_ms(left)
        if _poller is not None and not _in_service:
            _ready(wait)
        elif wait:
            _os_sleep_ms(wait)
        flush()


def idle(ms):
    """Between cells (the host calls it): run handlers and timers for up to ``ms`` milliseconds,
    returning early when the host sends "!" because a cell waits."""
    global _wake
    _wake = False
    end = ticks_add(ticks_ms(), ms)
    while True:
        service()
        flush()
        left = ticks_diff(end, ticks_ms())
        if left <= 0 or _wake:
            return
        wait = _next_timer_ms(left)
        if _poller is not None:
            _ready(wait)
        else:
            _os_sleep_ms(wait)


def end_of_cell(report):
    """After each cell (the host calls it): send the buffered events; with ``report``, print the heap
    as the %heap view shows it, without allocating (small ints and mem_info print from C)."""
    flush()
    if report:
        import gc

        import _heapwatch  # noqa: F401  (samples while later cells wait; loaded once)
        import micropython

        print("mpk-heap-free", gc.mem_free())
        micropython.mem_info(1)


def reboot(kind):
    """End the VM after telling the host why (``kind`` "hard" or "soft"): the kernel starts a
    fresh VM, as a board reboots (the unix port has no reset of its own)."""
    import sys

    emit("reset", "machine", kind)
    flush()
    sys.exit(0)


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


_open_channels()


def _seed_random():
    # MICROPYTHON_KERNEL_SEED (passed as MPK_SEED): noise, walks and the user's own `random` draw the
    # same numbers in every run, so a graded submission gets the same grade twice.
    seed = setting("MPK_SEED")
    if seed:
        random.seed(int(seed))


_seed_random()
