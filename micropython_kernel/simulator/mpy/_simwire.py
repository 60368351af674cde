# The VM's end of the hardware wire to the kernel (MicroPython source, runs inside the VM): hardware
# events out on one pipe, host-driven inputs in on another, both separate from the console. The format
# is stated once, in the host's simulator/wire.py; tests/test_wire_contract.py checks that both ends
# speak it. The host passes both file descriptors in the environment (MPK_EVENTS_FD, MPK_INPUTS_FD);
# without them (a VM run by hand) events are dropped and inputs keep their defaults.
#
# Sending allocates nothing on the fast path (pin levels, ADC values: ``level``): events wait in
# preallocated buffers for at most _LATENCY_US while code runs, then go out in one write.
import select
from array import array

from _board import setting  # MPK_* settings: the board's os has no getenv
from utime import ticks_us

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
busy = 0  # > 0 while this module updates its buffers: a preempting handler waits for the next look
on_due = None  # the scheduler's service(): run when the latency forces a send (set by _simhw)


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
    global _due, busy
    busy += 1
    _due = ticks_us() + _LATENCY_US
    _move_text()
    _move_fast()
    if _out:
        if _events is not None:
            _events.write(_out)
        _out[:] = b""
    busy -= 1


def _note_time(t):
    wait = _due - t
    if wait < 0 or wait > _LATENCY_US:  # (a wait above the latency: the clock wrapped)
        flush()
        on_due()  # a loop that never sleeps still gets its irq handlers and timers (the scheduler)


def code_for(kind, target):
    """A small integer naming (kind, target) for ``level``; declared to the host once."""
    global busy
    key = (kind, target)
    code = _codes.get(key)
    if code is None:
        busy += 1
        code = _codes[key] = len(_codes)
        _move_fast()  # keep events in order: the declaration must precede its first use
        _move_text()
        _frame(b"D", f"{code} {kind} {target}".encode())
        busy -= 1
    return code


def _record(code, value):
    """Record an integer event (0 <= value < 2**20) for a code from ``code_for``: the fast path."""
    global _used, busy
    busy += 1
    t = ticks_us()
    used = _used
    _fast[used] = code << 20 | value
    _fast[used + 1] = t
    _used = used = used + 2
    busy -= 1
    wait = _due - t
    if used >= _BATCH or wait < 0 or wait > _LATENCY_US:  # (a wait above the latency: a wrap)
        flush()
        on_due()  # a loop that never sleeps still gets its irq handlers and timers (the scheduler)


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
    global busy
    t = ticks_us()
    _note_time(t)
    busy += 1
    _move_fast()
    _text.extend(f"{t} {kind} {target} {_encode(value)}\n".encode())
    busy -= 1
    if len(_text) + len(_out) >= 4 * _BATCH:
        flush()


def note(kind, target, value):
    """Send an event to the host now, running nothing (no service point, unlike ``emit``)."""
    _text.extend(f"{ticks_us()} {kind} {target} {value}\n".encode())
    flush()


# -- inputs from the host ------------------------------------------------------------------------


def listening():
    """Does a host send inputs?"""
    return _poller is not None


def ready(timeout):
    """Wait up to ``timeout`` ms for input from the host. (ipoll, unlike poll, allocates no list:
    the heap view's samples must not change the heap they show.)"""
    for _ in _poller.ipoll(timeout):
        return True
    return False


def next_input():
    """The words of the host's next input line ([] for a blank one), or None when none waits (or the
    host closed the pipe). "?" is answered here: the codes are declared again."""
    while ready(0):
        line = _inputs_file.readline()
        if not line:  # the host closed the pipe
            _poller.unregister(_inputs_file)
            return None
        words = line.decode().split()
        if words and words[0] == "?":  # the host lost track of the codes (junk on the pipe)
            _move_fast()
            for (kind, target), code in _codes.items():
                _frame(b"D", f"{code} {kind} {target}".encode())
            continue
        return words
    return None


def input_poll():
    """A poll object of the scheduler's own on the input pipe (its thread must not share ours)."""
    if _inputs_file is None:
        return None
    poll = select.poll()
    poll.register(_inputs_file, select.POLLIN)
    return poll


_open_channels()
