# neopixel for the simulated board (MicroPython source, runs inside the VM): the API of MicroPython's
# neopixel module (NeoPixel(pin, n, bpp=3), item get/set, fill, write; on the micro:bit show and clear).
# Each write() is a "neopixel" event on the kernel's board model: the strip's colours as "rrggbb" hex,
# comma separated.
import _simhw


class NeoPixel:
    ORDER = (1, 0, 2, 3)

    def __init__(self, pin, n, bpp=3, timing=1):
        self.pin = pin
        self.n = n
        self.bpp = bpp
        self.buf = bytearray(n * bpp)
        self._name = getattr(pin, "_name", str(pin))  # machine.Pin and the micro:bit's pins
        if hasattr(pin, "init"):
            pin.init(pin.OUT)

    def __len__(self):
        return self.n

    def __setitem__(self, index, value):
        offset = index * self.bpp
        for i in range(self.bpp):
            self.buf[offset + self.ORDER[i]] = value[i]

    def __getitem__(self, index):
        offset = index * self.bpp
        return tuple(self.buf[offset + self.ORDER[i]] for i in range(self.bpp))

    def fill(self, value):
        for index in range(self.n):
            self[index] = value

    def write(self):
        colours = ",".join(bytes(self[i][:3]).hex() for i in range(self.n))
        _simhw.emit("neopixel", self._name, colours)


# The micro:bit's neopixel module (C in its firmware) names these show() and clear(), and has no write().
if __import__("sys").platform == "microbit":

    def _clear(self):
        self.fill((0, 0, 0))
        self.show()

    NeoPixel.show = NeoPixel.write
    NeoPixel.clear = _clear
    del NeoPixel.write
