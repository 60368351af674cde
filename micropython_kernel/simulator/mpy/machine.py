# machine for the simulated board (MicroPython source, runs inside the VM; it replaces the unix
# port's built-in machine, whose functions it keeps: mem8/16/32, Signal, PinBase ...).
#
# Pins, ADC and PWM talk to the host through _simhw: every output change is an event on the
# kernel's BoardState; inputs (pin levels, ADC values) are whatever the host drives (widgets, %signal).
# The board's pins come from the host (MPK_PINS: "name:number:capabilities;..." from profiles.py),
# so an invalid pin, or ADC/PWM on a pin without it, fails as on the real port.
# How a driven number reads on a pin (a level 0..1, or an ADC value above 1): _levels.py.

import _levels
import _simhw
from _board import setting  # MPK_* settings: the board's os has no getenv
from micropython import const
from umachine import *  # noqa: F403 (mem8/16/32, PinBase ...)
from utime import sleep_ms as _sleep_ms
from utime import sleep_us, ticks_add, ticks_diff, ticks_ms, ticks_us

BOARD = setting("MPK_BOARD") or "esp32"
_PINS = {}  # name -> (number or None, "in,out,pwm,adc")
_NUMBERS = {}  # number -> name
for _entry in (setting("MPK_PINS") or "").split(";"):
    if _entry:
        _name, _number, _caps = _entry.split(":")
        _PINS[_name] = (int(_number) if _number else None, _caps)
        if _number:
            _NUMBERS[int(_number)] = _name
del _entry
_ESP32 = BOARD == "esp32"
_IN = const(1)  # Pin.IN, OUT, OPEN_DRAIN as compile-time constants for the hot path
_OUT = const(3)
_OPEN_DRAIN = const(7)
_RP2 = BOARD == "pico"


def _invalid_pin(pin_id):
    if BOARD == "pyboard":
        return ValueError(f"Pin({pin_id}) doesn't exist")
    return ValueError("invalid pin")


def _pin_name(pin_id):
    """The profile's name for a pin given as a Pin, a number or a name; ValueError if not a pin."""
    if isinstance(pin_id, Pin):
        return pin_id._name
    if isinstance(pin_id, int):
        name = _NUMBERS.get(pin_id)
    elif isinstance(pin_id, str):
        name = pin_id if pin_id in _PINS else None
        led = setting("MPK_LED") or ""
        if name is None and pin_id == "LED" and led.isdigit():
            name = _NUMBERS.get(int(led))
    else:
        raise TypeError(f"can't convert {type(pin_id).__name__} to int")
    if name is None:
        raise _invalid_pin(pin_id)
    return name


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    ALT = 2
    ALT_OPEN_DRAIN = 6
    ANALOG = 0
    PULL_UP = 1
    PULL_DOWN = 2
    PULL_HOLD = 4
    IRQ_FALLING = 4 if _RP2 else 2
    IRQ_RISING = 8 if _RP2 else 1
    IRQ_LOW_LEVEL = 4
    IRQ_HIGH_LEVEL = 5
    DRIVE_0 = 0
    DRIVE_1 = 1
    DRIVE_2 = 2
    DRIVE_3 = 3
    _MODES = {1: "in", 3: "out", 7: "open_drain", 2: "alt", 6: "alt", 0: "analog"}
    _objects = {}  # one object per pin, as the ports keep: Pin(2) twice is the same pin

    def __new__(cls, id, *args, **kwargs):
        name = _pin_name(id)
        pin = Pin._objects.get(name)
        if pin is None:
            pin = object.__new__(cls)
            pin._name = name
            pin._caps = _PINS[name][1]
            pin._code = _simhw.code_for("pin", name)
            pin._mode = Pin.IN
            pin._pull = None
            pin._out = 0
            pin._irq = None
            Pin._objects[name] = pin
        return pin

    def __init__(self, id, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        self.init(mode, pull, value=value, drive=drive, alt=alt)

    def init(self, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        if mode != -1 and mode is not None:
            if mode not in Pin._MODES:
                raise ValueError(f"invalid pin mode: {mode}")
            if mode in (Pin.OUT, Pin.OPEN_DRAIN) and "out" not in self._caps:
                raise ValueError("pin can only be input")
            self._mode = mode
        if pull != -1:
            self._pull = pull
        _simhw.emit("mode", self._name, (Pin._MODES[self._mode], _PULLS.get(self._pull) or ""))
        if value is not None:
            self.value(value)
        elif self._mode != Pin.IN and mode != -1:
            _simhw.level(self._code, self._out)

    def value(self, x=None):
        if x is None:
            if self._mode == _OUT:
                return self._out
            if self._mode == _OPEN_DRAIN and not self._out:
                return 0
            return self._read_input()
        self._out = x = 1 if x else 0
        if self._mode != _IN:  # an input pin only latches the level it will drive once an output
            _simhw.level(self._code, x)

    def _read_input(self):
        level = _simhw.value_of(self._name)
        if level is None:  # nothing drives the pin: the pull decides (an open drain pulls up)
            return 1 if self._pull == Pin.PULL_UP or self._mode == Pin.OPEN_DRAIN else 0
        return _levels.level(level)

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def high(self):
        self.value(1)

    def low(self):
        self.value(0)

    def toggle(self):
        self.value(0 if self._out else 1)

    def mode(self, mode=None):
        if mode is None:
            return self._mode
        self.init(mode)

    def pull(self, pull=-1):
        if pull == -1:
            return self._pull
        self.init(pull=pull)

    def drive(self, drive=None):
        return Pin.DRIVE_2 if drive is None else None

    def name(self):
        return self._name

    def id(self):
        number = _PINS[self._name][0]
        return self._name if number is None else number

    def irq(self, handler=None, trigger=None, *, priority=1, wake=None, hard=False):
        """Call ``handler(pin)`` on an edge of the input (the host changing this pin's input)."""
        if trigger is None:
            trigger = Pin.IRQ_FALLING | Pin.IRQ_RISING
        if self._irq is None:
            self._irq = _PinIrq(self)
        self._irq._set(handler, trigger)
        return self._irq

    def __repr__(self):
        number = _PINS[self._name][0]
        return f"Pin({self._name if number is None or not _ESP32 else number})"


_PULLS = {Pin.PULL_UP: "up", Pin.PULL_DOWN: "down"}


class Signal:
    """A pin with an active level (the built-in Signal only drives C pins: it would crash here)."""

    def __init__(self, pin, *args, invert=False, **kwargs):
        self._pin = pin if isinstance(pin, Pin) and not args and not kwargs else Pin(pin, *args, **kwargs)
        self._invert = 1 if invert else 0

    def value(self, x=None):
        if x is None:
            return self._pin.value() ^ self._invert
        self._pin.value((1 if x else 0) ^ self._invert)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


class _PinIrq:
    def __init__(self, pin):
        self._pin = pin
        self._handler = None
        self._trigger = 0
        self._flags = 0
        self._last = None

    def _set(self, handler, trigger):
        if self._handler is not None:
            _simhw.unwatch(self._pin._name, self._changed)
        self._handler, self._trigger = handler, trigger
        self._last = self._pin.value()
        if handler is not None:
            _simhw.watch(self._pin._name, self._changed)

    def _changed(self, name, value):
        level = self._pin.value()
        last, self._last = self._last, level
        if level == last:
            return
        edge = Pin.IRQ_RISING if level else Pin.IRQ_FALLING
        if self._trigger & edge:
            self._flags = edge
            self._handler(self._pin)

    def trigger(self, trigger=None):
        if trigger is None:
            return self._trigger
        self._trigger = trigger

    def flags(self):
        return self._flags


def _require(pin, capability, message):
    name = _pin_name(pin)
    if capability not in _PINS[name][1]:
        raise ValueError(message % name if "%s" in message else message)
    return name


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_9BIT = 9
    WIDTH_10BIT = 10
    WIDTH_11BIT = 11
    WIDTH_12BIT = 12
    CORE_TEMP = 4
    # ESP32 full scale per attenuation in volts (ESP-IDF ADC docs: ~1.1, 1.5, 2.2, 3.9 V); others 3.3 V.
    _FULL_SCALE = (1.1, 1.5, 2.2, 3.9)

    def __init__(self, pin, *, atten=None):
        if _RP2 and isinstance(pin, int) and 0 <= pin <= 4:  # rp2: ADC(n) is a channel
            pin = f"GP{26 + pin}" if pin < 3 else ("VSYS" if pin == 3 else "TEMP")
        if pin in ("VSYS", "TEMP"):
            self._name = pin
        elif _ESP32:
            self._name = _require(pin, "adc", "invalid Pin for ADC")
        elif BOARD == "pyboard":
            self._name = _require(pin, "adc", "Pin(%s) doesn't have ADC capabilities")
        else:
            self._name = _require(pin, "adc", "Pin doesn't have ADC capabilities")
        self._code = _simhw.code_for("adc", self._name)
        self._atten = ADC.ATTN_0DB if atten is None else atten
        self._width = 12
        _simhw.emit("mode", self._name, ("adc", ""))

    def init(self, *, atten=None):
        if atten is not None:
            self.atten(atten)

    def read_u16(self):
        value = _simhw.value_of(self._name)
        if value is None:
            value = _default_adc(self._name)
        raw = _levels.u16(value)
        _simhw.level(self._code, raw)
        return raw

    def read(self):
        return self.read_u16() >> (16 - self._width)

    def read_uv(self):
        full = ADC._FULL_SCALE[self._atten] if _ESP32 else 3.3
        return int(self.read_u16() * full * 1000000 / 65535)

    def atten(self, atten):
        if not 0 <= atten <= 3:
            raise ValueError("invalid atten")
        self._atten = atten

    def width(self, width):
        if not 9 <= width <= 12:
            raise ValueError("invalid width")
        self._width = width


def _default_adc(name):
    if name == "TEMP":  # RP2040 datasheet 4.9.5: V = 0.706 - (T - 27) * 0.001721, at 27 C by default
        temperature = _simhw.value_of("temperature", 27.0)
        return (0.706 - (temperature - 27) * 0.001721) / 3.3 * 65535
    if name == "VSYS":  # a Pico on USB: VSYS ~5 V, read through a 1/3 divider
        return 5.0 / 3 / 3.3 * 65535
    return 0


class PWM:
    def __init__(self, dest, *, freq=None, duty_u16=None, duty_ns=None, duty=None, invert=False):
        self._name = _require(dest, "pwm", "pin %s has no PWM")
        self._freq = 5000 if _ESP32 else 1000
        self._duty = 0.5 if _ESP32 else 0.0
        self._active = True
        self.init(freq=freq, duty_u16=duty_u16, duty_ns=duty_ns, duty=duty)

    def init(self, *, freq=None, duty_u16=None, duty_ns=None, duty=None, invert=False):
        if freq is not None:
            if not 0 < freq <= 40000000:
                raise ValueError("frequency must be from 1Hz to 40MHz")
            self._freq = int(freq)
        if duty_u16 is not None:
            if not 0 <= duty_u16 <= 65535:
                raise ValueError("duty_u16 must be from 0 to 65535")
            self._duty = duty_u16 / 65535
        if duty_ns is not None:
            self._duty = min(1.0, max(0.0, duty_ns * self._freq / 1e9))
        if duty is not None:  # the ESP32's 10-bit duty (0..1023)
            self._duty = min(1023, max(0, duty)) / 1023
        self._active = True
        self._emit()

    def _emit(self):
        _simhw.emit("pwm", self._name, (self._duty if self._active else 0.0, self._freq))

    def freq(self, value=None):
        if value is None:
            return self._freq
        self.init(freq=value)

    def duty_u16(self, value=None):
        if value is None:
            return int(self._duty * 65535 + 0.5)
        self.init(duty_u16=value)

    def duty_ns(self, value=None):
        if value is None:
            return int(self._duty * 1e9 / self._freq + 0.5)
        self.init(duty_ns=value)

    def duty(self, value=None):
        if value is None:
            return int(self._duty * 1023 + 0.5)
        self.init(duty=value)

    def deinit(self):
        self._active = False
        self._emit()

    def __repr__(self):
        return f"PWM(Pin({self._name}), freq={self._freq}, duty_u16={self.duty_u16()})"


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, *args, **kwargs):
        self._id = id
        self._callback = None
        if args or kwargs:
            self.init(*args, **kwargs)

    def init(self, mode=PERIODIC, *, period=-1, freq=-1, callback=None, tick_hz=1000):
        if freq > 0:
            period_ms = 1000 / freq
        elif period >= 0:
            period_ms = period * 1000 / tick_hz
        else:
            raise ValueError("period or freq must be given")
        self._period = max(1, int(period_ms + 0.5))
        self._mode = mode
        self._callback = callback
        self._due = ticks_add(ticks_ms(), self._period)
        _simhw.add_timer(self)

    def _fire(self):
        if self._mode == Timer.PERIODIC:
            self._due = ticks_add(self._due, self._period)
            if ticks_diff(ticks_ms(), self._due) > 10 * self._period:  # fell far behind: skip ahead
                self._due = ticks_add(ticks_ms(), self._period)
        else:
            _simhw.remove_timer(self)  # before the callback: a one-shot fires once, even if it raises
        if self._callback is not None:
            self._callback(self)
        return self._due if self._mode == Timer.PERIODIC else None

    def deinit(self):
        _simhw.remove_timer(self)

    def value(self):
        return max(0, ticks_diff(self._due, ticks_ms()))

    def __repr__(self):
        mode = "PERIODIC" if self._mode == Timer.PERIODIC else "ONE_SHOT"
        return f"Timer({self._id}, mode={mode}, period={self._period})"


class RTC:
    _offset = 0  # seconds added to the VM's clock, shared like the one RTC of a board

    def __init__(self, id=0, datetime=None):
        if datetime is not None:
            self.datetime(datetime)

    def init(self, datetime):
        self.datetime(datetime)

    def datetime(self, datetime=None):
        import utime

        if datetime is None:
            now = utime.time() + RTC._offset
            t = utime.localtime(now)
            return (t[0], t[1], t[2], t[6], t[3], t[4], t[5], 0)
        year, month, day, weekday, hour, minute, second = datetime[:7]
        RTC._offset = utime.mktime((year, month, day, hour, minute, second, 0, 0)) - utime.time()

    def now(self):
        year, month, day, weekday, hour, minute, second, sub = self.datetime()
        return (year, month, day, hour, minute, second, sub, None)

    def memory(self, data=None):
        if data is None:
            return getattr(RTC, "_memory", b"")
        RTC._memory = bytes(data)


class WDT:
    def __init__(self, id=0, timeout=5000):
        self._timeout = timeout

    def feed(self):
        pass


PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5
_FREQS = {
    "esp32": (160000000, (20000000, 40000000, 80000000, 160000000, 240000000)),
    "pico": (125000000, None),  # rp2: 125 MHz by default (RP2040 datasheet 2.15), settable
    "pyboard": (168000000, None),  # STM32F405 at 168 MHz
    "microbit": (16000000, ()),  # nRF51822: a fixed 16 MHz
}
_freq = [_FREQS.get(BOARD, _FREQS["esp32"])[0]]


def freq(hz=None):
    if hz is None:
        if BOARD == "pyboard":
            return (_freq[0], _freq[0], _freq[0] // 4, _freq[0] // 2)
        return _freq[0]
    allowed = _FREQS.get(BOARD, _FREQS["esp32"])[1]
    if allowed is not None and hz not in allowed:
        raise ValueError("frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz")
    _freq[0] = int(hz)


def unique_id():
    # A fixed id per board kind (the ESP32's is its 6-byte MAC, the RP2040 flash's is 8 bytes).
    return {"esp32": b"\x24\x0a\xc4\x12\x34\x56", "pico": b"\xe6\x61\x41\x04\x03\x2c\x5e\x2b"}.get(
        BOARD, b"\x30\x00\x2d\x00\x0f\x47\x35\x34\x35\x36\x39\x39"
    )


def reset():
    _simhw.reboot("hard")


def soft_reset():
    # The unix VM has no soft reset (docs/architecture.md, "The simulated board's VM"): a fresh VM is
    # the closest.
    _simhw.reboot("soft")


def reset_cause():
    return int(setting("MPK_RESET_CAUSE") or PWRON_RESET)


def idle():
    _simhw.sleep_ms(1)


def lightsleep(ms=None):
    _simhw.sleep_ms(1000000 if ms is None else ms)


def deepsleep(ms=None):
    # Nothing runs in deep sleep (no timers, no irq handlers): the CPU is off until the wake-up reset.
    # Without a time a port sleeps until an external wake-up; here until the stop button.
    if ms is None:
        while True:
            _sleep_ms(1000)
    _sleep_ms(ms)
    _simhw.reboot("deepsleep")


def disable_irq():
    return _simhw.hold_service(True)


def enable_irq(state=False):
    _simhw.hold_service(state)


def time_pulse_us(pin, pulse_level, timeout_us=1000000):
    start = ticks_us()
    while pin.value() != pulse_level:
        if ticks_diff(ticks_us(), start) > timeout_us:
            return -2
        sleep_us(10)
    begin = ticks_us()
    while pin.value() == pulse_level:
        if ticks_diff(ticks_us(), begin) > timeout_us:
            return -1
        sleep_us(10)
    return ticks_diff(ticks_us(), begin)


# Buses (I2C, SPI) and their simulated chips live in their own modules, built on _simhw.
# (Imported plainly: an error in them must show, not leave machine without I2C.)
from _sim_i2c import I2C, SoftI2C  # noqa: E402, F401
from _sim_spi import SPI, SoftSPI  # noqa: E402, F401
