# machine.I2C and machine.SoftI2C of the simulated board (MicroPython source: runs inside the VM).
#
# The methods and their errors follow MicroPython's extmod/machine_i2c.c and ports/esp32/machine_i2c.c:
# an address nobody ACKs raises OSError(ENODEV) (ESP_FAIL -> -MP_ENODEV on the ESP32, and the soft
# I2C's address NACK), a bus whose SCL stays low raises OSError(ETIMEDOUT) (ESP_ERR_TIMEOUT, and the
# soft I2C's clock-stretch timeout). The chips on the bus are in _sim_devices.
import errno

import _simhw
from _board import setting  # MPK_* settings: the board's os has no getenv
from _sim_devices import i2c_devices, read_input
from utime import sleep_us, ticks_add, ticks_diff, ticks_us

# Host input (see _sim_devices.INPUTS): nonzero means something holds SCL low (a crashed chip).
SCL_HELD_LOW = "i2c.scl_held_low"
_SHOWN_BYTES = 16  # bytes of a transfer shown in its "i2c" event
PORT = setting("MPK_BOARD") or "esp32"  # the board profile (set by the host)

# Hardware I2C controllers by port: id -> default (scl, sda); names a port also takes; the errno of an
# address nobody ACKs. ports/esp32/machine_i2c.c: I2C(0) 18/19, I2C(1) 25/26, ESP_FAIL -> ENODEV.
# ports/rp2/machine_i2c.c: the Pico SDK's I2C0 5/4 and I2C1 7/6, every failure but a timeout -> EIO,
# SCL on an odd and SDA on an even pin of the id's pin pairs. ports/stm32/machine_i2c.c with the pyboard
# v1.1 pins: I2C(1) = "X" on X9/X10, I2C(2) = "Y" on Y9/Y10, a NACK -> ENODEV.
_I2C_PORTS = {
    "esp32": ({0: (18, 19), 1: (25, 26)}, {}, errno.ENODEV),
    "pico": ({0: (5, 4), 1: (7, 6)}, {}, errno.EIO),
    "pyboard": ({1: ("X9", "X10"), 2: ("Y9", "Y10")}, {"X": 1, "Y": 2}, errno.ENODEV),
}


def wire_pin(pin, role):
    """Set ``pin`` (a Pin, a number or a name) up for a bus through machine.Pin as the port does:
    "i2c" open-drain with pull-up, "out" or "in". An invalid pin then fails as on the board, and the
    board panel shows the pin in use. Returns the pin's number (its name if it has none)."""
    if pin is None:
        return None
    from machine import Pin  # at call time: machine imports this module

    if role == "i2c":
        return Pin(pin, Pin.OPEN_DRAIN, Pin.PULL_UP).id()
    return Pin(pin, Pin.OUT if role == "out" else Pin.IN).id()


def report(kind, target, what, buffers=()):
    """One bus transfer as a hardware event, showing the first bytes of ``buffers`` in hex.

    Sent at once: a transfer takes tens of microseconds on a real bus, more than the pipe write, and
    it keeps _simhw's buffer (which lives on the board's small heap) from growing."""
    shown, total = [], 0
    for buffer in buffers:
        total += len(buffer)
        for byte in buffer[: _SHOWN_BYTES - len(shown)]:
            shown.append(f"{byte:02x}")
    more = f" ... ({total} bytes)" if total > _SHOWN_BYTES else ""
    _simhw.emit(kind, target, " ".join([what] + shown) + more)
    _simhw.flush()


_WIRE_BYTES = 256  # bytes of a transfer the timeline gets bit by bit (the rest: counted only)


def wire(kind, pins, start_us, rate_hz, tokens):
    """What a transfer put on the wire, for the host's timeline (a "bus" event: not shown by %pins).

    ``pins``: the board's names of the bus lines (SCL SDA, or SCK MOSI MISO); ``tokens``: I2C
    "S" start, "P" stop, "wXX+"/"wXX-" a byte the controller wrote and whether it was ACKed,
    "rXX+"/"rXX-" a byte read and whether the controller ACKed it; SPI "XX/YY" MOSI/MISO bytes.
    The host lays the bits out from ``start_us`` at ``rate_hz`` (docs/architecture.md, timeline)."""
    _simhw.emit("bus", kind, " ".join([str(start_us), str(int(rate_hz)), ",".join(pins)] + tokens))


def pin_names(*pins):
    """The board's names of bus pins (None: not wired)."""
    from machine import _pin_name  # at call time: machine imports this module

    return [_pin_name(pin) if pin is not None else "-" for pin in pins]


def i2c_bytes(buffers, acks, read):
    """Tokens for bytes on an I2C bus: the first ``acks`` ACKed (a read's last byte: the
    controller's NACK when ``acks`` is the count - 1)."""
    letter, tokens = "r" if read else "w", []
    for buffer in buffers:
        for byte in buffer:
            if len(tokens) == _WIRE_BYTES:
                return tokens
            tokens.append(f"{letter}{byte:02x}{'+' if len(tokens) < acks else '-'}")
    return tokens


def hold_for_wire(start_us, clocks, rate_hz):
    """Return no sooner than a real bus would: ``clocks`` at ``rate_hz`` since ``start_us``.

    A floor only (when the simulation is slower than the wire, nothing waits): a loop reading a
    sensor runs at the bus's real pace, and a faster ``freq`` makes it faster, as on a board."""
    end = ticks_add(start_us, clocks * 1_000_000 // max(1, int(rate_hz)))
    left = ticks_diff(end, ticks_us())
    if left > 2000:  # a long transfer: sleep through most of it rather than spin
        sleep_us(left - 1000)
    while ticks_diff(end, ticks_us()) > 0:
        pass


def as_bytes(buffer):
    """A buffer's bytes without copying (a str is sent as its UTF-8 bytes, as MicroPython does)."""
    return buffer.encode() if isinstance(buffer, str) else buffer


def _memaddr_bytes(memaddr, addrsize):
    if addrsize & 7 or not 0 <= addrsize <= 32:
        raise ValueError("invalid addrsize")
    return bytes((memaddr >> shift) & 0xFF for shift in range(addrsize - 8, -1, -8))


class _I2CBus:
    """The bus operations both classes share, built on one transfer as extmod's are."""

    _nack_errno = errno.ENODEV  # extmod's soft I2C; hardware controllers say what their port says

    def __init__(self, freq, timeout):
        self._devices = i2c_devices()
        self.freq = freq
        self.timeout = timeout
        self._pins = None  # the board's names of SCL and SDA, for the timeline (see _wire)

    def _check_clock(self):
        if read_input(SCL_HELD_LOW):
            raise OSError(errno.ETIMEDOUT)

    def _address(self, addr, read):
        """Start and send the address byte: the device that ACKs, else OSError(ENODEV)."""
        self._started = ticks_us()
        self._check_clock()
        device = self._devices.get(addr)
        if device is None:
            report("i2c", f"0x{addr:02x}", "nack")
            self._wire([f"w{addr << 1 | read:02x}-", "P"])
            self._hold(0)
            raise OSError(self._nack_errno)
        device.start(read)
        return device

    def _wire(self, tokens, start=True):
        if self._pins is None:
            self._pins = pin_names(self.scl, self.sda)
        wire("i2c", self._pins, self._started, self.freq, ["S"] + tokens if start else tokens)

    def _hold(self, nbytes):
        # On the wire: start, the address byte and ``nbytes`` data bytes (9 clocks each), stop.
        hold_for_wire(self._started, 9 * (1 + nbytes) + 2, self.freq)

    def _write(self, addr, buffers, stop):
        device = self._address(addr, False)
        acks = 0
        buffers = [as_bytes(buffer) for buffer in buffers]
        for buffer in buffers:
            if len(buffer):
                acks += device.write(buffer)
        if stop:
            device.stop()
        report("i2c", f"0x{addr:02x}", "write", buffers)
        self._wire([f"w{addr << 1:02x}+"] + i2c_bytes(buffers, acks, False) + (["P"] if stop else []))
        self._hold(sum(len(buffer) for buffer in buffers))
        return acks

    def _read_into(self, addr, buffer, stop):
        device = self._address(addr, True)
        data = device.read(len(buffer))
        for i in range(len(buffer)):
            buffer[i] = data[i]
        if stop:
            device.stop()
        report("i2c", f"0x{addr:02x}", "read", (data,))
        reading = i2c_bytes((data,), len(data) - 1, True)
        self._wire([f"w{addr << 1 | 1:02x}+"] + reading + (["P"] if stop else []))
        self._hold(len(buffer))

    # -- standard bus operations ----------------------------------------------------------------
    def scan(self):
        started = ticks_us()
        self._check_clock()
        found = [addr for addr in range(0x08, 0x78) if addr in self._devices]  # 0x00-07, 0x78-7f reserved
        hold_for_wire(started, 112 * 11, self.freq)  # an address byte, start and stop for each address
        return found

    def readfrom(self, addr, nbytes, stop=True):
        buffer = bytearray(int(nbytes))
        self._read_into(addr, buffer, stop)
        return bytes(buffer)

    def readfrom_into(self, addr, buf, stop=True):
        self._read_into(addr, buf, stop)

    def writeto(self, addr, buf, stop=True):
        return self._write(addr, (buf,), stop)

    def writevto(self, addr, vector, stop=True):
        return self._write(addr, vector, stop)

    # -- memory operations (a register address, then the data) ----------------------------------
    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        # int(): drivers pass True for one byte (micropython-lis3dh); the C code's mp_obj_get_int takes it.
        buffer = bytearray(int(nbytes))
        self.readfrom_mem_into(addr, memaddr, buffer, addrsize=addrsize)
        return bytes(buffer)

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        self._write(addr, (_memaddr_bytes(memaddr, addrsize),), False)  # then a repeated start
        self._read_into(addr, buf, True)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._write(addr, (_memaddr_bytes(memaddr, addrsize), buf), True)


def controller(kind, id, ports):
    """The controller number a program's ``id`` names on this port, and the port's table for it."""
    controllers, names = ports.get(PORT, ports["esp32"])[:2]
    if id is None:
        if PORT != "pico":  # the rp2 port alone has a default bus (PICO_DEFAULT_I2C / _SPI)
            raise TypeError("'id' argument required")
        id = 0
    number = names.get(id, id)
    if isinstance(number, bool) or number not in controllers:
        raise ValueError(f"{kind}({id}) doesn't exist")
    return number, controllers[number]


def _check_rp2_pins(number, scl, sda):
    # ports/rp2/machine_i2c.c: IS_VALID_SCL / IS_VALID_SDA.
    if not isinstance(scl, int) or not scl & 1 or (scl & 2) >> 1 != number:
        raise ValueError("bad SCL pin")
    if not isinstance(sda, int) or sda & 1 or (sda & 2) >> 1 != number:
        raise ValueError("bad SDA pin")


class I2C(_I2CBus):
    """A hardware I2C controller, as the profile's port has them: I2C(id, *, scl, sda, freq, timeout)."""

    def __init__(self, id=None, freq=400000, *, scl=None, sda=None, timeout=50000):
        number, (default_scl, default_sda) = controller("I2C", id, _I2C_PORTS)
        if PORT == "pyboard" and (scl is not None or sda is not None):
            raise ValueError("explicit choice of scl/sda is not implemented")
        super().__init__(freq, timeout)
        self.id = number
        self._nack_errno = _I2C_PORTS.get(PORT, _I2C_PORTS["esp32"])[2]
        self.scl = wire_pin(default_scl if scl is None else scl, "i2c")
        self.sda = wire_pin(default_sda if sda is None else sda, "i2c")
        if PORT == "pico":
            _check_rp2_pins(number, self.scl, self.sda)

    def init(self, freq=400000, *, scl=None, sda=None, timeout=50000):
        self.__init__(self.id, freq, scl=scl, sda=sda, timeout=timeout)

    def __repr__(self):
        return f"I2C({self.id}, scl={self.scl}, sda={self.sda}, freq={self.freq})"

    # A hardware controller has no primitive operations (extmod raises this when they are missing).
    def start(self):
        raise OSError("I2C operation not supported")

    stop = start

    def readinto(self, buf, nack=True):
        raise OSError("I2C operation not supported")

    def write(self, buf):
        raise OSError("I2C operation not supported")


class SoftI2C(_I2CBus):
    """A bit-banged I2C bus: SoftI2C(scl, sda, *, freq=400000, timeout=50000), with primitives."""

    def __init__(self, scl, sda, *, freq=400000, timeout=50000):
        super().__init__(freq, timeout)
        self.scl, self.sda = wire_pin(scl, "i2c"), wire_pin(sda, "i2c")
        self._device = None  # the device addressed since the last start, if any
        self._addressing = False  # True right after start(): the next byte written is an address
        self._reading = False  # the R/W bit of that address

    def init(self, scl, sda, *, freq=400000, timeout=50000):
        self.__init__(scl, sda, freq=freq, timeout=timeout)

    def __repr__(self):
        return f"SoftI2C(scl={self.scl}, sda={self.sda}, freq={self.freq})"

    # -- primitive operations, byte by byte as the controller clocks them ------------------------
    def start(self):
        self._check_clock()
        self._started = ticks_us()
        self._wire([])
        self._device, self._addressing = None, True

    def stop(self):
        self._check_clock()
        self._started = ticks_us()
        self._wire(["P"], start=False)
        if self._device is not None:
            self._device.stop()
        self._device, self._addressing = None, False

    def write(self, buf):
        """Write bytes; return how many were ACKed (it stops at the first NACK)."""
        self._check_clock()
        data = as_bytes(buf)
        if not data:
            return 0
        self._started = ticks_us()
        acks = self._write_bytes(data)
        self._wire(i2c_bytes((data,), acks, False), start=False)
        return acks

    def _write_bytes(self, data):
        acks = 0
        if self._addressing:
            self._addressing = False
            addr, read = data[0] >> 1, data[0] & 1
            self._device = self._devices.get(addr)
            report("i2c", f"0x{addr:02x}", "address " + ("read" if read else "write"))
            if self._device is None:
                return 0
            self._device.start(read)
            self._reading = read
            acks, data = 1, data[1:]
        if self._device is None or self._reading or not data:
            return acks  # nobody listens, or a reading device does not ACK writes
        report("i2c", f"0x{self._device.address:02x}", "write", (data,))
        return acks + self._device.write(data)

    def readinto(self, buf, nack=True):
        self._check_clock()
        self._started = ticks_us()
        if self._device is None or not self._reading:
            data = b"\xff" * len(buf)  # nobody drives SDA: the pull-up reads 1s
        else:
            data = self._device.read(len(buf))
            report("i2c", f"0x{self._device.address:02x}", "read", (data,))
        self._wire(i2c_bytes((data,), len(data) - 1 if nack else len(data), True), start=False)
        for i in range(len(buf)):
            buf[i] = data[i]
