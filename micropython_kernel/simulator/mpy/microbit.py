# microbit for the simulated BBC micro:bit (MicroPython source, runs inside the VM).
# The API of the micro:bit MicroPython docs (microbit-micropython.readthedocs.io): display and Image,
# button_a/b, pin0..pin20, accelerometer, compass, temperature, sleep, running_time.
# The 5x5 display goes to the kernel as "display" events; buttons, accelerometer, temperature and
# light are inputs the host drives (widgets, %signal): "button_a" (1 = pressed), "accelerometer.x"
# (milli-g), "temperature" (C), "light" (0..255), "compass.heading" (degrees).
import _levels
import _simhw
from utime import ticks_diff, ticks_ms

_BOOT = ticks_ms()
# The built-in 5x5 font, ASCII 32..95 (lower case shows as upper case): 5 rows of 5 bits each.
_FONT = bytes.fromhex(
    "0000000000080808000814140000000a1f0a1f0a000000000000000000000000000000080800000004080808040804040408"
    "001408140000081c0800000000081000001c0000000000000801020408100c1212120c081808081c1c020c101e1c020c021c"
    "060a121e021e101c021c04081c120c1e020408100c120c120c0e120e0408000800080000080008100408100804001c001c00"
    "10080408100c1204000400000000000c121e12121c121c121c0e1010100e1c1212121c1e101c101e1e101c10100e1016120e"
    "12121e12121c0808081c1e0202120c1214181412101010101e111b15111111191513110c1212120c1c121c10100c12120c02"
    "1c121c14120e100c021c1f04040404121212120c1111110a041111151b1112120c1212110a0404041e0408101e0000000000"
    "000000000000000000000000000000000000001e"
)


def sleep(ms):
    _simhw.sleep_ms(ms)


def running_time():
    return ticks_diff(ticks_ms(), _BOOT)


def temperature():
    return int(_simhw.value_of("temperature", 21))


def panic(n=0):
    _simhw.emit("display", "display", "90009:09090:00900:09090:90009")
    raise SystemExit(f"panic {n}")


def reset():
    _simhw.reboot("hard")


class Image:
    def __init__(self, *args):
        if not args:
            args = (5, 5)
        if isinstance(args[0], str):
            rows = args[0].rstrip(":").split(":") if args[0] else [""]
            self._w, self._h = max(len(r) for r in rows), len(rows)
            self._px = bytearray(self._w * self._h)
            for y, row in enumerate(rows):
                for x, c in enumerate(row):
                    self._px[y * self._w + x] = int(c)
        else:
            self._w, self._h = args[0], args[1]
            self._px = bytearray(args[2]) if len(args) > 2 else bytearray(self._w * self._h)

    def width(self):
        return self._w

    def height(self):
        return self._h

    def get_pixel(self, x, y):
        if not (0 <= x < self._w and 0 <= y < self._h):
            raise ValueError("index out of bounds")
        return self._px[y * self._w + x]

    def set_pixel(self, x, y, value):
        if not (0 <= x < self._w and 0 <= y < self._h):
            raise ValueError("index out of bounds")
        if not 0 <= value <= 9:
            raise ValueError("brightness out of bounds")
        self._px[y * self._w + x] = value

    def fill(self, value):
        for i in range(len(self._px)):
            self._px[i] = value

    def copy(self):
        return Image(self._w, self._h, self._px)

    def invert(self):
        return Image(self._w, self._h, bytes(9 - v for v in self._px))

    def shift_left(self, n):
        return self._shifted(n, 0)

    def shift_right(self, n):
        return self._shifted(-n, 0)

    def shift_up(self, n):
        return self._shifted(0, n)

    def shift_down(self, n):
        return self._shifted(0, -n)

    def _shifted(self, dx, dy):
        out = Image(self._w, self._h)
        for y in range(self._h):
            for x in range(self._w):
                sx, sy = x + dx, y + dy
                if 0 <= sx < self._w and 0 <= sy < self._h:
                    out._px[y * self._w + x] = self._px[sy * self._w + sx]
        return out

    def crop(self, x, y, w, h):
        out = Image(w, h)
        for j in range(h):
            for i in range(w):
                if 0 <= x + i < self._w and 0 <= y + j < self._h:
                    out._px[j * w + i] = self._px[(y + j) * self._w + x + i]
        return out

    def __add__(self, other):
        return Image(self._w, self._h, bytes(min(9, v + other._px[i]) for i, v in enumerate(self._px)))

    def __mul__(self, k):
        return Image(self._w, self._h, bytes(min(9, max(0, int(v * k + 0.5))) for v in self._px))

    def __eq__(self, other):
        return isinstance(other, Image) and self._w == other._w and self._px == other._px

    def _rows(self):
        w = self._w
        return ":".join("".join(str(v) for v in self._px[y * w : y * w + w]) for y in range(self._h))

    def __repr__(self):
        return "Image('" + self._rows() + ":')"

    __str__ = __repr__


def _glyph(char):
    code = ord(char.upper()) if char else 32
    if not 32 <= code < 96:
        code = 63  # "?"
    rows = _FONT[(code - 32) * 5 : (code - 32) * 5 + 5]
    return Image(5, 5, bytes(9 if row >> (4 - x) & 1 else 0 for row in rows for x in range(5)))


for _name, _rows in (
    ("HEART", "09090:99999:99999:09990:00900"),
    ("HEART_SMALL", "00000:09090:09990:00900:00000"),
    ("HAPPY", "00000:09090:00000:90009:09990"),
    ("SMILE", "00000:00000:00000:90009:09990"),
    ("SAD", "00000:09090:00000:09990:90009"),
    ("CONFUSED", "00000:09090:00000:09090:90909"),
    ("ANGRY", "90009:09090:00000:99999:90909"),
    ("ASLEEP", "00000:99099:00000:09990:00000"),
    ("SURPRISED", "09090:00000:00900:09090:00900"),
    ("SILLY", "90009:00000:99999:00909:00999"),
    ("YES", "00000:00009:00090:90900:09000"),
    ("NO", "90009:09090:00900:09090:90009"),
    ("SQUARE", "99999:90009:90009:90009:99999"),
    ("SQUARE_SMALL", "00000:09990:09090:09990:00000"),
    ("DIAMOND", "00900:09090:90009:09090:00900"),
    ("TRIANGLE", "00000:00900:09090:99999:00000"),
    ("ARROW_N", "00900:09990:90909:00900:00900"),
    ("ARROW_S", "00900:00900:90909:09990:00900"),
    ("ARROW_E", "00900:00090:99999:00090:00900"),
    ("ARROW_W", "00900:09000:99999:09000:00900"),
    ("SKULL", "09990:90909:99999:09990:09990"),
    ("MUSIC_QUAVER", "00900:00990:00909:99900:99900"),
    ("GHOST", "99999:90909:99999:99999:90909"),
    ("TARGET", "00900:09990:99099:09990:00900"),
):
    setattr(Image, _name, Image(_rows))


class _Display:
    def __init__(self):
        self._px = bytearray(25)
        self._on = True
        self._frames = None  # an animation in progress: an iterator of Images
        self._delay = 0
        self._due = 0

    def _send(self):
        px = self._px if self._on else bytes(25)
        rows = ":".join("".join(str(v) for v in px[y * 5 : y * 5 + 5]) for y in range(5))
        _simhw.emit("display", "display", rows)

    def _draw(self, image):
        for y in range(5):
            for x in range(5):
                inside = x < image._w and y < image._h
                self._px[y * 5 + x] = image._px[y * image._w + x] if inside else 0
        self._send()

    def get_pixel(self, x, y):
        if not (0 <= x < 5 and 0 <= y < 5):
            raise ValueError("index out of bounds")
        return self._px[y * 5 + x]

    def set_pixel(self, x, y, value):
        if not (0 <= x < 5 and 0 <= y < 5):
            raise ValueError("index out of bounds")
        if not 0 <= value <= 9:
            raise ValueError("brightness out of bounds")
        self._stop()
        self._px[y * 5 + x] = value
        self._send()

    def clear(self):
        self._stop()
        self._px = bytearray(25)
        self._send()

    def on(self):
        self._on = True
        self._send()

    def off(self):
        self._on = False
        self._send()

    def is_on(self):
        return self._on

    def read_light_level(self):
        return int(_simhw.value_of("light", 0))

    def show(self, image, delay=400, *, wait=True, loop=False, clear=False):
        self._stop()
        if isinstance(image, Image):
            self._draw(image)
            return
        if isinstance(image, (int, float)):
            image = str(image)
        if isinstance(image, str) and len(image) == 1:
            self._draw(_glyph(image))
            return
        self._animate([i if isinstance(i, Image) else _glyph(i) for i in image], delay, wait, loop, clear)

    def scroll(self, text, delay=150, *, wait=True, loop=False, monospace=False):
        self._stop()
        text = str(text)
        strip = Image(5 * len(text) + len(text) + 10, 5)  # glyphs one column apart, blank either side
        for i, char in enumerate(text):
            glyph = _glyph(char)
            for y in range(5):
                for x in range(5):
                    strip._px[y * strip._w + 5 + i * 6 + x] = glyph._px[y * 5 + x]
        frames = [strip.crop(x, 0, 5, 5) for x in range(strip._w - 4)]
        self._animate(frames, delay, wait, loop, False)

    def _animate(self, frames, delay, wait, loop, clear):
        if clear:
            frames = frames + [Image()]
        if not frames:
            return
        self._frames, self._index, self._loop, self._delay = frames, 0, loop, max(1, int(delay))
        self._fire()
        if not wait:
            _simhw.add_timer(self)
            return
        while self._frames is not None:
            sleep(self._delay)
            self._fire()

    def _fire(self):
        # One animation step (also called by _simhw's timers when wait=False).
        if self._frames is None:
            return None
        if self._index >= len(self._frames):
            if not self._loop:
                self._frames = None
                return None
            self._index = 0
        self._draw(self._frames[self._index])
        self._index += 1
        self._due = ticks_ms() + self._delay
        return self._due

    def _stop(self):
        if self._frames is not None:
            self._frames = None
            _simhw.remove_timer(self)


display = _Display()


class Button:
    def __init__(self, name):
        self._name = name
        self._presses = 0
        self._was = False
        self._last = 0
        _simhw.watch(name, self._changed)

    def _changed(self, name, value):
        pressed = _levels.level(value) if value else 0
        if pressed and not self._last:
            self._presses += 1
            self._was = True
        self._last = pressed

    def is_pressed(self):
        value = _simhw.value_of(self._name, 0)
        return bool(value and _levels.level(value))

    def was_pressed(self):
        self.is_pressed()  # takes in the host's latest changes
        was, self._was = self._was, False
        return was

    def get_presses(self):
        self.is_pressed()
        presses, self._presses = self._presses, 0
        return presses


button_a = Button("button_a")
button_b = Button("button_b")


class MicroBitPin:
    PULL_UP = 1
    PULL_DOWN = 0
    NO_PULL = 2

    def __init__(self, number):
        self._name = f"pin{number}"
        self._code = _simhw.code_for("pin", self._name)
        self._analog = number in (0, 1, 2, 3, 4, 10)
        self._pull = self.NO_PULL
        self._period_us = 20000

    def write_digital(self, value):
        _simhw.level(self._code, 1 if value else 0)

    def read_digital(self):
        value = _simhw.value_of(self._name)
        if value is None:
            return 1 if self._pull == self.PULL_UP else 0
        return _levels.level(value)

    def write_analog(self, value):
        if not 0 <= value <= 1023:
            raise ValueError("value must be between 0 and 1023")
        _simhw.emit("pwm", self._name, (value / 1023, 1000000 // self._period_us))

    def read_analog(self):
        if not self._analog:
            raise ValueError(f"Pin {self._name[3:]} has no analog support")
        value = _simhw.value_of(self._name, 0)
        raw = int(value * 1023) if value <= 1 else min(1023, int(value) >> 6)
        _simhw.emit("adc", self._name, raw << 6)
        return raw

    def set_analog_period(self, period):
        self._period_us = int(period) * 1000

    def set_analog_period_microseconds(self, period):
        self._period_us = int(period)

    def is_touched(self):
        return bool(_simhw.value_of(self._name + ".touch", 0))

    def set_pull(self, value):
        self._pull = value
        _simhw.emit("mode", self._name, ("in", {1: "up", 0: "down"}.get(value, "")))

    def get_pull(self):
        return self._pull

    def get_mode(self):
        return "read_digital" if self._pull != self.NO_PULL else "unused"


for _n in list(range(17)) + [19, 20]:
    globals()[f"pin{_n}"] = MicroBitPin(_n)


class _Accelerometer:
    def get_x(self):
        return int(_simhw.value_of("accelerometer.x", 0))

    def get_y(self):
        return int(_simhw.value_of("accelerometer.y", 0))

    def get_z(self):
        return int(_simhw.value_of("accelerometer.z", -1024))

    def get_values(self):
        return (self.get_x(), self.get_y(), self.get_z())

    def current_gesture(self):
        x, y, z = self.get_values()
        if x * x + y * y + z * z > 4000000:
            return "shake"
        if z < -800:
            return "face up"
        if z > 800:
            return "face down"
        if y < -800:
            return "up"
        if y > 800:
            return "down"
        if x < -800:
            return "left"
        if x > 800:
            return "right"
        return ""

    def is_gesture(self, name):
        return self.current_gesture() == name

    def was_gesture(self, name):
        return self.current_gesture() == name

    def get_gestures(self):
        gesture = self.current_gesture()
        return (gesture,) if gesture else ()


accelerometer = _Accelerometer()


class _Compass:
    def calibrate(self):
        pass

    def is_calibrated(self):
        return True

    def clear_calibration(self):
        pass

    def heading(self):
        return int(_simhw.value_of("compass.heading", 0)) % 360

    def get_field_strength(self):
        return int(_simhw.value_of("compass.field", 50000))


compass = _Compass()
del _n, _name, _rows
