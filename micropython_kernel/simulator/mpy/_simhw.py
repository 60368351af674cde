# The simulated board's hardware services (MicroPython source, runs inside the VM): the inputs the host
# drives as the handlers that watch them (Pin.irq) see them, timers, and the preemption and sleeps that
# run those, as a port runs them. The other jobs have modules of their own: the wire to the host
# (_simwire: events out, input lines in; its format is simulator/wire.py), the inputs' values and signal
# generators (_siminputs), the heap ballast (_simheap). This module is the API the hardware modules use.
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
# Control events (not hardware): "background" (how many handlers and timers want idle() between
# cells), "reset" (reboot() is about to end the VM) and "interrupted" (the stop button in a handler).
import _thread

import _siminputs
import _simwire
import micropython
from _board import LIB
from _simwire import code_for, emit, flush  # noqa: F401 (the API: code_for for the hardware modules)
from utime import sleep_ms as _os_sleep_ms
from utime import sleep_us as _os_sleep_us
from utime import ticks_add, ticks_diff, ticks_ms

_LIB_FRAME = 'File "' + LIB + "/"
level = _simwire.level  # the fast path: _simwire's own function (observe() swaps it)
_watchers = {}  # name -> [callback]
_timers = []
_quiet_timers = []  # the kernel's own timers (the heap watch): no reason to run idle() for them
_in_service = False
_held = False  # machine.disable_irq()
# Preemption (see _ticker): the second thread reads only these plain values, which the main thread sets
# (and _simwire.busy: > 0 while the wire's buffers are updated, when a preempting service() waits).
_pending = False  # a _preempt is scheduled and has not run yet
_next_due = -1  # ticks_ms of the earliest timer, -1 without timers
_watching = False  # a handler watches an input: the ticker polls the input pipe too
_watch_generator = False  # ... and one of those inputs is a generator (its edges come from the clock)
_ticker_started = False
_ticker_poll = None  # the ticker's own poll object on the input pipe


# -- inputs from the host (their values: _siminputs) --------------------------------------------


def observe(on):
    """Record fast-path events (True, the default) or skip them (False: to measure their cost)."""
    global level
    _simwire.observe(on)
    level = _simwire.level


def _read_inputs():
    changed = _siminputs.read(_watchers)
    if changed:
        _note_watched_inputs()
    return changed


def _note_watched_inputs():
    global _watch_generator
    _watch_generator = any(_siminputs.is_generator(name) for name in _watchers)


def value_of(name, default=None):
    """The host-driven input ``name`` now (a number), or ``default`` when the host set none."""
    if _simwire.listening():
        changed = _read_inputs()
        if changed and not _in_service:
            _deliver(changed)
    return _siminputs.current(name, default)


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
    # running them at its prompt; while code runs, the ticker thread preempts it for them.
    global _watching
    _update_due()
    _watching = bool(_watchers)
    _note_watched_inputs()
    if len(_timers) > len(_quiet_timers) or _watchers:  # (the kernel's own timers preempt nothing)
        _start_ticker()
    emit("background", "vm", len(_watchers) + len(_timers) - len(_quiet_timers))


# -- preemption: timers and irq handlers interrupt running code, as on a port -------------------
# A port runs soft timer callbacks and Pin.irq handlers through micropython.schedule: at the next
# bytecode boundary of whatever Python code runs, a pure loop included. Here a second VM thread watches
# the clock (and, while handlers watch inputs, the input pipe) and schedules _preempt, which runs
# service() in the main thread. This VM's _thread has no GIL (docs/architecture.md), so the ticker must
# not allocate: it reads plain ints and bools, sleeps, polls with ipoll (allocation-free) and calls
# micropython.schedule with objects made beforehand; one _preempt is pending at a time.


def _update_due():
    global _next_due
    now = ticks_ms()
    soonest = None
    for timer in _timers:
        if timer in _quiet_timers:  # the kernel's own (the heap watch): they wait for a service point
            continue
        if soonest is None or ticks_diff(timer._due, now) < ticks_diff(soonest, now):
            soonest = timer._due
    _next_due = -1 if soonest is None else soonest


def _preempt(_):
    global _pending
    _pending = False
    if _simwire.busy or _in_service or _held:
        return  # inside this module's own work or a handler, or irqs disabled: the ticker asks again
    try:
        service()
    except KeyboardInterrupt:
        # The stop button pressed inside a handler: micropython.schedule would print the exception and
        # let the interrupted code run on, so ask the host to stop that code too (another SIGINT).
        # (Not emit(): it may service the timers again, and a handler that loops would run once more.)
        _simwire.note("interrupted", "vm", 1)


def _print_exception(error):
    # Without the frames of the simulator's own modules (C in a firmware: a port shows none of them).
    import sys

    try:
        import io

        text = io.StringIO()
        sys.print_exception(error, text)
        lines = [line for line in text.getvalue().split("\n") if line and _LIB_FRAME not in line]
        print("\n".join(lines))
    except MemoryError:  # a full heap: no room to filter, print it as it comes
        sys.print_exception(error)


def _ticker():
    global _pending
    while True:
        if _pending:
            _os_sleep_ms(1)
            continue
        wait = 20
        if _next_due >= 0:
            wait = ticks_diff(_next_due, ticks_ms())
            if wait > 20:
                wait = 20
        if _watch_generator and wait > _GENERATOR_POLL_MS:
            wait = _GENERATOR_POLL_MS
        ready = False
        if wait > 0:
            if _watching and _ticker_poll is not None:
                for _event in _ticker_poll.ipoll(wait):
                    ready = True
            else:
                _os_sleep_ms(wait)
        if ready or _watch_generator or (_next_due >= 0 and ticks_diff(_next_due, ticks_ms()) <= 0):
            _pending = True
            micropython.schedule(_preempt, None)
            if ready:
                _os_sleep_ms(1)  # (the main thread reads the pipe in _preempt)


def _start_ticker():
    global _ticker_started, _ticker_poll
    if _ticker_started:
        return
    _ticker_started = True
    _ticker_poll = _simwire.input_poll()
    if _ticker_poll is not None:
        for _event in _ticker_poll.ipoll(0):  # its first call makes the tuple it reuses
            pass
    _thread.start_new_thread(_ticker, ())


def _deliver(names):
    global _in_service
    _in_service = True
    try:
        for name in names:
            for callback in list(_watchers.get(name, ())):
                try:
                    callback(name, value_of(name))
                except Exception as error:  # printed, as a port prints a handler's uncaught exception
                    _print_exception(error)
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
            if ticks_diff(now, timer._due) >= 0:
                try:
                    if timer._fire() is None:
                        remove_timer(timer)
                except Exception as error:  # printed, the timer kept (a one-shot removed itself)
                    _print_exception(error)
            if i < len(_timers) and _timers[i] is timer:
                i += 1
    finally:
        _in_service = False
        _update_due()


def hold_service(hold):
    """Hold back (True) or allow (False) handlers, as machine.disable_irq does; returns the old state."""
    global _held
    old, _held = _held, bool(hold)
    if not _held:
        service()  # what came while held runs now, as a port runs pending irqs at enable_irq
    return old


def service():
    """Deliver input changes to watchers and run due timers (handlers run here, in order)."""
    if _in_service or _held:
        return
    changed = _read_inputs() if _simwire.listening() else None
    for name in _watchers:  # a generator changes without a message: watchers judge for themselves
        if _siminputs.is_generator(name):
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
        if _siminputs.is_generator(name):
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
        if _simwire.listening() and not _in_service:
            _simwire.ready(wait)
        elif wait:
            _os_sleep_ms(wait)
        flush()


def idle(ms):
    """Between cells (the host calls it): run handlers and timers for up to ``ms`` milliseconds,
    returning early when the host sends "!" because a cell waits."""
    _siminputs.wake = False
    _simwire.busy = 0
    end = ticks_add(ticks_ms(), ms)
    while True:
        service()
        flush()
        left = ticks_diff(end, ticks_ms())
        if left <= 0 or _siminputs.wake:
            return
        wait = _next_timer_ms(left)
        if _simwire.listening():
            _simwire.ready(wait)
        else:
            _os_sleep_ms(wait)


def end_of_cell(report):
    """After each cell (the host calls it): send the buffered events; with ``report``, print the heap
    as the %heap view shows it, without allocating (small ints and mem_info print from C)."""
    _simwire.busy = 0  # a KeyboardInterrupt that ended the wire's work half way blocks no preemption
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


_simwire.on_due = service  # a loop that never sleeps still gets its irq handlers and timers
