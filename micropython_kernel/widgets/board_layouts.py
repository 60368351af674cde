"""Where things are on each board: pins, on-board LEDs, buttons, the 5x5 display, in picture units.

One layout feeds both pictures of a board: the live one in the page (``static/board.js``: the board's art,
``@wokwi/elements``' ESP32 DevKit V1 or drawn from these shapes) and the static snapshot drawn here in
Python (``board_svg.py``). Pin positions follow each board's pinout: the ESP32 DevKit V1's are
``@wokwi/elements``' own (its ``pinInfo``, viewBox 107 x 201); the Pico's are its datasheet's pinout
(pins 1-20 down the left side, 21-40 up the right, USB at the top); the micro:bit's are its edge
connector (big pads 0, 1, 2, 3V, GND); the pyboard's are its X and Y headers.
"""

from __future__ import annotations

from typing import Any

Layout = dict[str, Any]

# -- ESP32 DevKit V1 (30 pins) -------------------------------------------------------------------
_ESP32_LEFT = [  # (header label, GPIO or None, y) at x = 5, top (antenna) to bottom (USB)
    ("EN", None, 24), ("VP", 36, 34), ("VN", 39, 44), ("D34", 34, 53.1), ("D35", 35, 62.9),
    ("D32", 32, 72.2), ("D33", 33, 81.7), ("D25", 25, 91.3), ("D26", 26, 101), ("D27", 27, 110.8),
    ("D14", 14, 120), ("D12", 12, 130.4), ("D13", 13, 139.5), ("GND", None, 149), ("VIN", None, 158.5),
]  # fmt: skip
_ESP32_RIGHT = [  # at x = 101.3
    ("D23", 23, 24), ("D22", 22, 34), ("TX0", 1, 44), ("RX0", 3, 53.1), ("D21", 21, 62.9),
    ("D19", 19, 72.2), ("D18", 18, 81.7), ("D5", 5, 91.3), ("TX2", 17, 101), ("RX2", 16, 110.8),
    ("D4", 4, 120), ("D2", 2, 130.4), ("D15", 15, 139.5), ("GND", None, 149), ("3V3", None, 158.5),
]  # fmt: skip


def _esp32() -> Layout:
    pins = [[f"GPIO{n}" if n is not None else "", 5, y, "l", label] for label, n, y in _ESP32_LEFT]
    pins += [[f"GPIO{n}" if n is not None else "", 101.3, y, "r", label] for label, n, y in _ESP32_RIGHT]
    return {
        "art": "esp32-devkit-v1",
        "title": "ESP32 DevKit V1",
        "board": [0, 0, 107, 201],
        "view": [-124, -6, 355, 213],
        "color": "#1f1f1f",
        "pins": pins,
        "leds": [["GPIO2", 71.5, 112.5, "#2f7bff", "LED GPIO2"]],
        "buttons": [["GPIO0", 83.2, 182, 7, "BOOT (GPIO0)"]],
        "display": None,
        "font": 7.5,
    }


# -- Raspberry Pi Pico (40 pins, USB at the top) ---------------------------------------------------
_PICO_LEFT = ["GP0", "GP1", "GND", "GP2", "GP3", "GP4", "GP5", "GND", "GP6", "GP7", "GP8", "GP9", "GND",
              "GP10", "GP11", "GP12", "GP13", "GND", "GP14", "GP15"]  # fmt: skip
_PICO_RIGHT = ["VBUS", "VSYS", "GND", "3V3_EN", "3V3", "ADC_VREF", "GP28", "AGND", "GP27", "GP26", "RUN",
               "GP22", "GND", "GP21", "GP20", "GP19", "GP18", "GND", "GP17", "GP16"]  # fmt: skip


def _pico() -> Layout:
    def pin(label: str, x: float, y: float, side: str) -> list[Any]:
        return [label if label.startswith("GP") else "", x, y, side, label]

    pins = [pin(label, 6, 14 + i * 9.4, "l") for i, label in enumerate(_PICO_LEFT)]
    pins += [pin(label, 78, 14 + i * 9.4, "r") for i, label in enumerate(_PICO_RIGHT)]
    return {
        "art": "pico",
        "title": "Raspberry Pi Pico",
        "board": [0, 0, 84, 204],
        "view": [-112, -6, 308, 216],
        "color": "#1b7a3e",
        "pins": pins,
        "leds": [["GP25", 30, 16, "#3ddc57", "LED GP25"]],
        "buttons": [],
        "display": None,
        "font": 7,
    }


# -- pyboard v1.1: X1-X12 along the top, Y1-Y12 along the bottom, X17-X22 on the right -----------------
def _pyboard() -> Layout:
    pins = [[f"X{n}", 24 + (n - 1) * 14, 8, "t", f"X{n}"] for n in range(1, 13)]
    pins += [[f"Y{n}", 24 + (n - 1) * 14, 172, "d", f"Y{n}"] for n in range(1, 13)]
    pins += [[f"X{n}", 196, 40 + (n - 17) * 18, "r", f"X{n}"] for n in range(17, 23)]
    leds = [
        ["LED_RED", 40, 140, "#ff2a2a", "LED(1)"],
        ["LED_GREEN", 56, 140, "#27d34a", "LED(2)"],
        ["LED_YELLOW", 72, 140, "#ffd21f", "LED(3)"],
        ["LED_BLUE", 88, 140, "#2f7bff", "LED(4)"],
    ]
    return {
        "art": "pyboard",
        "title": "pyboard v1.1",
        "board": [0, 0, 204, 180],
        "view": [-14, -40, 272, 270],
        "color": "#2a5fb0",
        "pins": pins,
        "leds": leds,
        "buttons": [["SW", 150, 140, 8, "USR"]],
        "display": None,
        "font": 7,
    }


# -- BBC micro:bit v1: the 5x5 display, buttons A/B, the edge connector at the bottom -------------------
def _microbit() -> Layout:
    # The edge connector left to right, as on the board: the big pads 0, 1, 2, 3V, GND (rings, three
    # strips wide) and the narrow strips between them.
    order = [3, "0", 4, 5, 6, 7, "1", 8, 9, 10, 11, 12, "2", 13, 14, 15, 16, "3V", 19, 20, "GND"]
    slot = 252 / (len(order) + 2 * 5)  # 5 pads of 3 slots, 16 strips of 1
    pins, x = [], 4.0
    for item in order:
        if isinstance(item, int):
            pins.append([f"pin{item}", x + slot / 2, 194, "s", str(item)])
            x += slot
        else:
            name = f"pin{item}" if item.isdigit() else ""
            pins.append([name, x + 1.5 * slot, 194, "b", item])
            x += 3 * slot
    return {
        "art": "microbit",
        "title": "BBC micro:bit",
        "board": [0, 0, 260, 212],
        "view": [-6, -8, 272, 262],
        "color": "#222c36",
        "pins": pins,
        "leds": [],
        "buttons": [["button_a", 30, 92, 13, "A"], ["button_b", 230, 92, 13, "B"]],
        "display": [80, 42, 100],
        "font": 9,
    }  # fmt: skip


def generic(pin_names: list[str]) -> Layout:
    """A board we have no picture of (a real board of unknown kind): its known pins in two columns."""
    half = (len(pin_names) + 1) // 2
    pins = [[name, 5, 16 + i * 12, "l", name] for i, name in enumerate(pin_names[:half])]
    pins += [[name, 95, 16 + i * 12, "r", name] for i, name in enumerate(pin_names[half:])]
    height = max(60, 24 + half * 12)
    return {
        "art": "generic",
        "title": "",
        "board": [0, 0, 100, height],
        "view": [-70, -6, 240, height + 12],
        "color": "#3a3a3a",
        "pins": pins,
        "leds": [],
        "buttons": [],
        "display": None,
        "font": 7,
    }


LAYOUTS = {"esp32": _esp32, "pico": _pico, "pyboard": _pyboard, "microbit": _microbit}


def layout_for(profile: str, pin_names: list[str]) -> Layout:
    """The picture of ``profile`` ("esp32", "pico", "pyboard", "microbit"); a generic one otherwise."""
    make = LAYOUTS.get(profile)
    return make() if make else generic(pin_names)
