# Simulated I2C chips, modelled at register level (MicroPython source: runs inside the VM).
#
# A device sees what the real chip sees on the wire: a (repeated) start addressed to it with the R/W
# bit, the bytes written, the bytes read, and the stop. Published drivers therefore run unchanged.
# The measured quantities come from the host (widgets, %signal) through _simhw.value_of, and each
# measurement is reported back as a "sensor" event.
import time

import _simhw

# Host inputs driving the simulated chips and buses: (name, default, unit, low, high), where the
# default is what a fresh board reads and low..high the range a control offers (the chip's own range).
# The host reads this literal (simulator/devices.py) to list the inputs: keep it a plain literal.
INPUTS = (
    ("aht20.temperature", 21.0, "degC", -40.0, 85.0),
    ("aht20.humidity", 45.0, "%RH", 0.0, 100.0),
    ("lis3dh.x", 0.0, "m/s2", -156.9, 156.9),  # +/-16 g, the widest full scale
    ("lis3dh.y", 0.0, "m/s2", -156.9, 156.9),
    ("lis3dh.z", 9.80665, "m/s2", -156.9, 156.9),  # lying flat on a table: 1 g up
    ("i2c.scl_held_low", 0, "bool", 0, 1),  # a chip holding SCL low: transfers time out
    ("spi.loopback", 0, "bool", 0, 1),  # MISO wired to MOSI
    ("lis3dh.sa0", 0, "bool", 0, 1),  # the LIS3DH's SA0 pin: 0x18 when low, 0x19 when high (wiring)
)
STANDARD_GRAVITY = 9.80665


def _clamp(value, low, high):
    return low if value < low else high if value > high else value


_INPUT_RANGES = {name: (default, low, high) for name, default, _unit, low, high in INPUTS}


def read_input(name):
    """The host's current value of input ``name``, kept within its range (its default if unset)."""
    default, low, high = _INPUT_RANGES[name]
    return _clamp(_simhw.value_of(name, default), low, high)


class I2CDevice:
    """A chip on the bus: it ACKs its address and everything written to it."""

    name = "device"

    def __init__(self, address):
        self.address = address

    def start(self, read):
        """A start or repeated start addressed to this device, reading if ``read``."""

    def write(self, data):
        """Bytes the controller wrote after the address; returns how many were ACKed."""
        return len(data)

    def read(self, n):
        """``n`` bytes the controller clocks out of the device."""
        return b"\xff" * n  # nothing driven: the pull-ups read high

    def stop(self):
        """A stop condition: the transaction is over."""


# -- AHT20 / AHT10 temperature and humidity sensor ---------------------------------------------------
# Figures from the Aosong AHT20 datasheet (v1.1): status bit 7 busy, bit 3 calibrated (0x18 when
# idle and calibrated, section 5.4 step 1); measurement command 0xAC 0x33 0x00 then wait 80 ms
# (step 3); the reply is status, 20-bit humidity, 20-bit temperature, CRC-8 (poly 0x31, init 0xFF);
# RH = S_RH / 2**20 * 100 %, T = S_T / 2**20 * 200 - 50 degC (section 6); range -40..85 degC, 0..100 %RH.
AHT_BUSY = 0x80
AHT_IDLE_CALIBRATED = 0x18
AHT_MEASURE_MS = 80
AHT_RESET_MS = 20  # "the time required for soft reset does not exceed 20 ms"
AHT_INIT_MS = 10  # the 0xBE / 0xE1 calibration command: "wait 10 ms"


def crc8_aht(data):
    """CRC-8 as the AHT20 computes it: polynomial x^8+x^5+x^4+1 (0x31), initial value 0xFF."""
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


class Aht20(I2CDevice):
    name = "aht20"

    def __init__(self, address=0x38):
        super().__init__(address)
        self._status = AHT_IDLE_CALIBRATED
        self._busy_until = time.ticks_ms()
        self._data = bytes(5)  # the last measurement: 20-bit humidity then 20-bit temperature

    def _busy_for(self, ms):
        self._busy_until = time.ticks_add(time.ticks_ms(), ms)

    def write(self, data):
        if not data:
            return 0
        command = data[0]
        if command == 0xAC:  # trigger a measurement (parameters 0x33 0x00)
            self._measure()
            self._busy_for(AHT_MEASURE_MS)
        elif command == 0xBA:  # soft reset
            self._status = AHT_IDLE_CALIBRATED
            self._busy_for(AHT_RESET_MS)
        elif command in (0xBE, 0xE1):  # initialise / calibrate (AHT20 0xBE, AHT10 0xE1)
            self._status |= 0x08
            self._busy_for(AHT_INIT_MS)
        return len(data)  # the chip ACKs every byte, known command or not (0x71 reads status)

    def _measure(self):
        temperature = read_input("aht20.temperature")
        humidity = read_input("aht20.humidity")
        raw_h = min(int(humidity / 100 * 0x100000 + 0.5), 0xFFFFF)
        raw_t = min(int((temperature + 50) / 200 * 0x100000 + 0.5), 0xFFFFF)
        self._data = bytes(
            (
                raw_h >> 12,
                (raw_h >> 4) & 0xFF,
                ((raw_h & 0xF) << 4) | (raw_t >> 16),
                (raw_t >> 8) & 0xFF,
                raw_t & 0xFF,
            )
        )
        _simhw.emit("sensor", "aht20.temperature", temperature)
        _simhw.emit("sensor", "aht20.humidity", humidity)

    def read(self, n):
        status = self._status
        if time.ticks_diff(self._busy_until, time.ticks_ms()) > 0:
            status |= AHT_BUSY
        reply = bytes((status,)) + self._data
        reply += bytes((crc8_aht(reply),))
        return (reply + b"\xff" * n)[:n]


# -- LIS3DH accelerometer -------------------------------------------------------------------------
# Figures from the ST LIS3DH datasheet (DocID17530): register map (table 17), WHO_AM_I 0x0F = 0x33,
# CTRL_REG1 0x20 resets to 0x07 (ODR[7:4] LPen Zen Yen Xen), CTRL_REG4 0x23 (BDU BLE FS1 FS0 HR ST1 ST0
# SIM); the sub-address MSB asks for auto-increment (section 6.1.1). Output is left-justified two's
# complement: 12 bits in high-resolution mode, 10 in normal, 8 in low-power; sensitivity (table 4) in
# mg/digit for +/-2, 4, 8, 16 g: 1, 2, 4, 12 (HR), 4, 8, 16, 48 (normal), 16, 32, 64, 192 (low-power).
LIS3DH_WHO_AM_I = 0x33
_LIS_DEFAULTS = {0x0F: LIS3DH_WHO_AM_I, 0x1E: 0x10, 0x20: 0x07}
_LIS_WRITABLE = (0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x2E, 0x30, 0x32, 0x33, 0x34, 0x36)
_LIS_WRITABLE += (0x37, 0x38, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F)
_LIS_HR_SENSITIVITY_MG = (1, 2, 4, 12)
_LIS_STATUS, _LIS_OUT_X_L, _LIS_OUT_Z_H = 0x27, 0x28, 0x2D
_LIS_AXES = ("lis3dh.x", "lis3dh.y", "lis3dh.z")


class Lis3dh(I2CDevice):
    name = "lis3dh"

    def __init__(self, address=0x18):
        super().__init__(address)
        self.registers = bytearray(0x40)
        for register, value in _LIS_DEFAULTS.items():
            self.registers[register] = value
        self._pointer = 0
        self._increment = False
        self._expect_subaddress = False

    def start(self, read):
        # A write transaction starts with the sub-address; a read continues from the pointer.
        self._expect_subaddress = not read
        if read and _LIS_STATUS <= self._pointer <= _LIS_OUT_Z_H:
            self._sample()

    def write(self, data):
        for byte in data:
            if self._expect_subaddress:
                self._pointer, self._increment = byte & 0x7F, bool(byte & 0x80)
                self._expect_subaddress = False
                continue
            if self._pointer in _LIS_WRITABLE:
                self.registers[self._pointer] = byte
                if self._pointer == 0x24:  # CTRL_REG5: BOOT (bit 7) reloads trimming and clears itself
                    self.registers[0x24] &= 0x7F
            self._advance()
        return len(data)

    def read(self, n):
        out = bytearray(n)
        for i in range(n):
            out[i] = self.registers[self._pointer] if self._pointer < 0x40 else 0
            self._advance()
        return out

    def _advance(self):
        if self._increment:
            self._pointer = (self._pointer + 1) & 0x7F

    def _sample(self):
        """Fill OUT_X_L..OUT_Z_H from the host inputs, in the configured range and resolution."""
        ctrl1, ctrl4 = self.registers[0x20], self.registers[0x23]
        if ctrl1 >> 4 == 0:  # power-down: the outputs keep their last values
            return
        if ctrl1 & 0x08:
            bits, per_digit = 8, 16  # low-power mode
        elif ctrl4 & 0x08:
            bits, per_digit = 12, 1  # high-resolution mode
        else:
            bits, per_digit = 10, 4
        sensitivity_mg = _LIS_HR_SENSITIVITY_MG[(ctrl4 >> 4) & 3] * per_digit
        top = (1 << (bits - 1)) - 1
        big_endian = ctrl4 & 0x40
        for axis in range(3):
            if not ctrl1 & (1 << axis):  # axis disabled: its output is not updated
                continue
            accel = read_input(_LIS_AXES[axis])
            _simhw.emit("sensor", _LIS_AXES[axis], accel)
            digits = _clamp(int(round(accel / STANDARD_GRAVITY * 1000 / sensitivity_mg)), -top - 1, top)
            raw = (digits << (16 - bits)) & 0xFFFF
            low, high = raw & 0xFF, raw >> 8
            register = _LIS_OUT_X_L + 2 * axis
            self.registers[register], self.registers[register + 1] = (
                (high, low) if big_endian else (low, high)
            )
        self.registers[_LIS_STATUS] = 0x08 | (
            ctrl1 & 0x07
        )  # STATUS_REG: ZYXDA and the per-axis new-data bits


_bus_devices = None


def i2c_devices():
    """The chips wired to the simulated I2C bus, by 7-bit address (one set, shared by every bus
    object, so a driver created twice finds the chip in the state the first one left it). Wiring
    (the LIS3DH's SA0) is read when the first bus is made, as it is fixed once a board is built."""
    global _bus_devices
    if _bus_devices is None:
        _bus_devices = {}
        for device in (Aht20(0x38), Lis3dh(0x19 if read_input("lis3dh.sa0") else 0x18)):
            _bus_devices[device.address] = device
    return _bus_devices
