"""BoardPicture: the board ``%board`` draws (anywidget; ``static/board.js``, built from js/src/board.js).

The picture is the profile's board (board_layouts.py) with each pin where it is: LEDs that glow (PWM as
brightness), ADC readings as brightness, the micro:bit's 5x5 display, NeoPixels in their colours, and the
inputs the page can drive: an input pin is a switch to click, a board button (BOOT, A/B, USR) is pressed
while the pointer is down. Clicks come back as ``on_press(name, value)`` (1 pressed, 0 released) and
``on_toggle(name)``; the panel turns them into the same input changes its buttons make.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from typing import Any

import anywidget
import traitlets

from ..board.state import PinState
from .board_layouts import layout_for
from .chart import STATIC

# Profiles of the simulator, and sys.platform of a real board, to the picture drawn.
PICTURES = {"esp32": "esp32", "pico": "pico", "rp2": "pico", "pyboard": "pyboard", "microbit": "microbit"}


def pin_detail(pin: PinState, toggling: bool) -> str:
    """A pin's state in a few words: "out 1", "in 0 pull up", "pwm 50% 1000 Hz", "adc 32768"."""
    if toggling:
        return "toggling"
    if pin.mode == "pwm" and pin.duty is not None:
        return f"pwm {pin.duty * 100:.0f}%" + (f" {pin.freq} Hz" if pin.freq else "")
    if pin.mode == "adc":
        return f"adc {pin.analog}" if pin.analog is not None else "adc"
    level = "" if pin.value is None else f" {pin.value}"
    pull = f" pull {pin.pull}" if pin.pull else ""
    return f"{pin.mode}{level}{pull}"


def picture_pins(
    pins: Iterable[PinState],
    toggling: Container[str] = (),
    pressed: Mapping[str, bool] | None = None,
) -> dict[str, dict[str, Any]]:
    """What the page draws for each pin (see js/src/board.js); ``pressed`` names the inputs the page can
    drive (an input pin, a board button) and whether each is pressed now."""
    pressed = pressed or {}
    drawn: dict[str, dict[str, Any]] = {}
    for pin in pins:
        brightness = None
        if pin.mode == "pwm" and pin.duty is not None:
            brightness = max(0.0, min(1.0, pin.duty))
        elif pin.mode == "adc" and pin.analog is not None:
            brightness = pin.analog / 65535
        drawn[pin.name] = {
            "m": pin.mode,
            "v": None if pin.mode == "unused" else pin.value,  # (a reset pin shows no old level)
            "b": None if brightness is None else round(brightness, 3),
            "d": pin_detail(pin, pin.name in toggling),
            "t": pin.name in toggling,
        }
    for name, is_pressed in pressed.items():
        entry = drawn.setdefault(name, {"m": "in", "v": None, "b": None, "d": "", "t": False})
        entry.update(i="toggle", p=bool(is_pressed))
        if not entry["d"]:
            entry["d"] = "pressed" if is_pressed else "released"
    return drawn


class BoardPicture(anywidget.AnyWidget):
    _esm = STATIC / "board.js"
    _css = STATIC / "board.css"
    layout = traitlets.Dict().tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    pins = traitlets.Dict().tag(sync=True)
    display = traitlets.List(allow_none=True, default_value=None).tag(sync=True)
    neopixels = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        on_press: Callable[[str, int], None] | None = None,
        on_toggle: Callable[[str], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._on_press = on_press
        self._on_toggle = on_toggle
        self._profile: str | None = None
        self.on_msg(self._on_page_message)

    def show_board(self, profile: str, pin_names: list[str]) -> None:
        """Draw ``profile``'s board (a new layout only when the kind of board changed)."""
        picture = PICTURES.get(profile, "")
        key = picture or f"generic:{','.join(pin_names)}"
        if key != self._profile:
            self._profile = key
            self.layout = layout_for(picture, pin_names)
            self.title = self.layout["title"]

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("name"), str):
            return
        if content.get("kind") == "press" and self._on_press is not None:
            self._on_press(content["name"], 1 if content.get("value") else 0)
        elif content.get("kind") == "toggle" and self._on_toggle is not None:
            self._on_toggle(content["name"])
