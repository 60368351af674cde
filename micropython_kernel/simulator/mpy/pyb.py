# pyb for the simulated pyboard (MicroPython source, runs inside the VM): the parts of the pyboard's
# own module that first lessons use (docs.micropython.org/en/latest/library/pyb.html): LED, Switch,
# Pin, ADC, delay/udelay, millis/micros/elapsed_millis, Timer with a callback, freq, unique_id.
# LEDs are the board pins LED_RED..LED_BLUE and the USR switch is SW, so the kernel's pin panel
# shows them; everything goes through machine and _simhw as on the other profiles.
import _simhw
import machine
from machine import ADC as _ADC
from machine import Pin
from utime import ticks_diff, ticks_ms, ticks_us

freq = machine.freq
unique_id = machine.unique_id
hard_reset = machine.reset
_LEDS = ("LED_RED", "LED_GREEN", "LED_YELLOW", "LED_BLUE")


def delay(ms):
    _simhw.sleep_ms(ms)


def udelay(us):
    _simhw.sleep_ms(us / 1000)


def millis():
    return ticks_ms()


def micros():
    return ticks_us()


def elapsed_millis(start):
    return ticks_diff(ticks_ms(), start)


def elapsed_micros(start):
    return ticks_diff(ticks_us(), start)


class LED:
    def __init__(self, n):
        if not 1 <= n <= 4:
            raise ValueError(f"LED({n}) doesn't exist")
        self._pin = Pin(_LEDS[n - 1], Pin.OUT)

    def on(self):
        self._pin.value(1)

    def off(self):
        self._pin.value(0)

    def toggle(self):
        self._pin.toggle()

    def intensity(self, value=None):
        if value is None:
            return 255 if self._pin.value() else 0
        self._pin.value(1 if value else 0)


class Switch:
    def __init__(self):
        self._pin = Pin("SW", Pin.IN, Pin.PULL_UP)

    def value(self):
        return not self._pin.value()  # pressed pulls SW low

    __call__ = value

    def callback(self, fun):
        self._pin.irq(None if fun is None else (lambda p: fun()), Pin.IRQ_FALLING)


class ADC(_ADC):
    def read(self):  # the pyboard's 12-bit reading
        return self.read_u16() >> 4


class Timer:
    """pyb.Timer(n, freq=...) with a callback: a machine.Timer underneath."""

    def __init__(self, id, *, freq=None, period=None, prescaler=None, callback=None):
        self._id = id
        self._timer = machine.Timer(-1)
        self._callback = callback
        self._freq = freq
        if freq is not None:
            self.init(freq=freq, callback=callback)

    def init(self, *, freq, callback=None):
        self._freq = freq
        if callback is not None:
            self._callback = callback
        self._timer.init(mode=machine.Timer.PERIODIC, freq=freq, callback=self._fire)

    def _fire(self, timer):
        if self._callback is not None:
            self._callback(self)

    def callback(self, fun):
        self._callback = fun

    def freq(self, value=None):
        if value is None:
            return self._freq
        self.init(freq=value)

    def deinit(self):
        self._timer.deinit()
