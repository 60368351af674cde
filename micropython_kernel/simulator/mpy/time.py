# time for the simulated board (MicroPython source, runs inside the VM; replaces the built-in).
# Sleeping is where a board runs its interrupt handlers and timer callbacks: here sleep hands the
# wait to _simhw, which delivers input changes (Pin.irq) and runs machine.Timer callbacks meanwhile.
import _simhw
from utime import *  # noqa: F403 (ticks_ms, ticks_us, ticks_diff, ticks_add, time, localtime ...)
from utime import sleep_us as _sleep_us
from utime import ticks_ms as _ticks_ms


def ticks_ms():
    _simhw.service()  # a loop busy-waiting on the clock still gets its irq handlers and timers
    return _ticks_ms()


def sleep(seconds):
    _simhw.sleep_ms(seconds * 1000)


def sleep_ms(ms):
    _simhw.sleep_ms(ms)


def sleep_us(us):
    if us >= 1000:
        _simhw.sleep_ms(us / 1000)
    else:
        _sleep_us(us)
