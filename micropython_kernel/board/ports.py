"""Serial ports on this machine and what board each one looks like.

mpremote's ``connect auto`` takes the first port with a USB VID/PID and ``connect list`` prints the
numbers; it has no names for them. The table below names the USB IDs that MicroPython boards (or the
USB-serial chips on their dev boards) use, so ``%ports`` can say "Raspberry Pi Pico" instead of 2e8a:0005.
"""

from __future__ import annotations

from dataclasses import dataclass

from serial.tools import list_ports

# (VID, PID or None for any PID of that vendor) -> what such a port usually is.
KNOWN_USB_IDS: dict[tuple[int, int | None], str] = {
    (0x2E8A, 0x0005): "Raspberry Pi Pico / RP2 (MicroPython USB)",
    (0x2E8A, None): "Raspberry Pi RP2 board",
    (0xF055, 0x9800): "pyboard (MicroPython USB)",
    (0xF055, 0x9802): "pyboard (MicroPython USB)",
    (0xF055, None): "MicroPython board (MicroPython USB VID)",
    (0x0D28, 0x0204): "BBC micro:bit (DAPLink)",
    (0x303A, None): "Espressif ESP32-S2/S3/C3 (native USB)",
    (0x10C4, 0xEA60): "ESP32/ESP8266 dev board (CP210x USB-serial)",
    (0x1A86, 0x7523): "ESP32/ESP8266 dev board (CH340 USB-serial)",
    (0x1A86, 0x55D4): "ESP32 dev board (CH9102 USB-serial)",
    (0x0403, 0x6001): "FTDI USB-serial (ESP8266, pyboard clones)",
    (0x0403, 0x6015): "FTDI USB-serial",
    (0x239A, None): "Adafruit board",
    (0x2341, None): "Arduino board (Nano RP2040 Connect, Nano ESP32)",
    (0x1209, None): "open-hardware board (pid.codes)",
}


@dataclass
class PortInfo:
    device: str
    description: str
    usb_id: str  # "vvvv:pppp", or "" for a port that is not USB
    looks_like: str  # a guess from the USB ID; "" when unknown

    @property
    def is_usb(self) -> bool:
        return bool(self.usb_id)


def guess_board(vid: int | None, pid: int | None) -> str:
    if vid is None:
        return ""
    return KNOWN_USB_IDS.get((vid, pid)) or KNOWN_USB_IDS.get((vid, None)) or ""


def list_serial_ports() -> list[PortInfo]:
    """Every serial port pyserial sees, USB boards first (as mpremote's ``connect auto`` orders them)."""
    ports = []
    for port in sorted(list_ports.comports()):
        usb = isinstance(port.vid, int) and isinstance(port.pid, int)
        ports.append(
            PortInfo(
                device=port.device,
                description=port.description if port.description not in (None, "n/a") else "",
                usb_id=f"{port.vid:04x}:{port.pid:04x}" if usb else "",
                looks_like=guess_board(port.vid, port.pid) if usb else "",
            )
        )
    ports.sort(key=lambda p: (not p.looks_like, not p.is_usb))
    return ports


def auto_port() -> str | None:
    """The port ``%connect auto`` uses: a known board first, else the first USB serial port."""
    for port in list_serial_ports():
        if port.is_usb:
            return port.device
    return None
