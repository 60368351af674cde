# machine.SPI and machine.SoftSPI of the simulated board (MicroPython source: runs inside the VM).
#
# The methods follow MicroPython's machine.SPI: init, deinit, read, readinto, write, write_readinto.
# What the controller sends is reported as "spi" events. What it receives is the MISO line: with no
# chip driving it the pull-up reads 0xFF; with the host input "spi.loopback" set, MISO is wired to MOSI
# (the usual bench test), so every byte sent comes back.
from _sim_devices import read_input
from _sim_i2c import as_bytes, controller, hold_for_wire, pin_names, report, wire, wire_pin
from utime import ticks_us

LOOPBACK = "spi.loopback"
MSB, LSB = 0, 1
# Hardware SPI controllers by port: id -> default (sck, mosi, miso); names a port also takes.
# ports/esp32/machine_hw_spi.c: SPI(1) = HSPI on 14/13/12, SPI(2) = VSPI on 18/23/19. ports/rp2/
# machine_spi.c with the Pico SDK's pins: SPI(0) 18/19/16, SPI(1) 10/11/8. The pyboard v1.1: SPI(1) = "X"
# on X6/X8/X7, SPI(2) = "Y" on Y6/Y8/Y7.
_SPI_PORTS = {
    "esp32": ({1: (14, 13, 12), 2: (18, 23, 19)}, {}),
    "pico": ({0: (18, 19, 16), 1: (10, 11, 8)}, {}),
    "pyboard": ({1: ("X6", "X8", "X7"), 2: ("Y6", "Y8", "Y7")}, {"X": 1, "Y": 2}),
}


class _SPIBus:
    MSB, LSB = MSB, LSB

    def init(
        self, baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=MSB, sck=None, mosi=None, miso=None
    ):
        if polarity not in (0, 1) or phase not in (0, 1):
            raise ValueError("polarity and phase must be 0 or 1")
        if bits != 8:
            raise ValueError("bits must be 8")
        if firstbit not in (MSB, LSB):
            raise ValueError("firstbit must be MSB or LSB")
        self.baudrate, self.polarity, self.phase = baudrate, polarity, phase
        self.bits, self.firstbit = bits, firstbit
        # Pins left out keep what they were (the ESP32 port's init does the same); the first init
        # wires the controller's default pins.
        first = not hasattr(self, "_active")
        for attribute, pin, role in (("sck", sck, "out"), ("mosi", mosi, "out"), ("miso", miso, "in")):
            if pin is not None or first:
                setattr(
                    self, attribute, wire_pin(getattr(self, attribute, None) if pin is None else pin, role)
                )
        self._active = True
        self._pins = None  # the board's names of SCK, MOSI, MISO, for the timeline

    def deinit(self):
        self._active = False

    def _transfer(self, sent, count=None):
        """Clock ``sent`` out on MOSI (or ``count`` copies of the one byte ``sent``); return what
        MISO clocked in, or None when nobody asked (a plain write copies nothing)."""
        started = ticks_us()
        if not self._active:
            raise OSError("transfer on deinitialized SPI")  # as the ESP32 port says
        if count is None:
            sent = as_bytes(sent)
            report("spi", self._label(), "write", (sent,))
        else:
            report("spi", self._label(), f"read {count} sending", (bytes((sent,)),))
            sent = bytes((sent,)) * count
        received = sent if read_input(LOOPBACK) else b"\xff" * len(sent)
        if self._pins is None:
            self._pins = pin_names(self.sck, self.mosi, self.miso)
        mode = f"{self.polarity}{self.phase}{'L' if self.firstbit == LSB else 'M'}"
        tokens = [f"{sent[i]:02x}/{received[i]:02x}" for i in range(min(len(sent), 256))]
        wire("spi", self._pins, started, self.baudrate, [mode] + tokens)
        hold_for_wire(started, 8 * len(sent), self.baudrate)
        return received

    def read(self, nbytes, write=0x00):
        return self._transfer(write, nbytes)

    def readinto(self, buf, write=0x00):
        received = self._transfer(write, len(buf))
        for i in range(len(buf)):
            buf[i] = received[i]

    def write(self, buf):
        self._transfer(buf)

    def write_readinto(self, write_buf, read_buf):
        if len(write_buf) != len(read_buf):
            raise ValueError("buffers must be the same length")
        received = self._transfer(write_buf)
        for i in range(len(read_buf)):
            read_buf[i] = received[i]


class SPI(_SPIBus):
    """A hardware SPI controller: SPI(id, baudrate=..., polarity=0, phase=0, bits=8, firstbit=MSB,
    sck=, mosi=, miso=)."""

    def __init__(self, id=None, *args, **kwargs):
        self.id, (self.sck, self.mosi, self.miso) = controller("SPI", id, _SPI_PORTS)
        self.init(*args, **kwargs)

    def _label(self):
        return f"SPI({self.id})"

    def __repr__(self):
        return (
            f"SPI(id={self.id}, baudrate={self.baudrate}, polarity={self.polarity}, phase={self.phase}, "
            f"bits={self.bits}, firstbit={self.firstbit}, sck={self.sck}, mosi={self.mosi}, miso={self.miso})"
        )


class SoftSPI(_SPIBus):
    """A bit-banged SPI bus: SoftSPI(baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=MSB,
    sck, mosi, miso)."""

    def __init__(self, *args, **kwargs):
        self.init(*args, **kwargs)

    def _label(self):
        return f"SoftSPI(sck={self.sck})"

    def __repr__(self):
        return (
            f"SoftSPI(baudrate={self.baudrate}, polarity={self.polarity}, phase={self.phase}, "
            f"sck={self.sck}, mosi={self.mosi}, miso={self.miso})"
        )
