"""HTML for the board panel's read-only parts: pins as LEDs, PWM as brightness, the 5x5 display.

Each pin is an element with ``data-pin``, ``data-mode`` and ``data-level`` attributes, so a page (and
the browser test) can read the state the LED shows.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from html import escape

from ..board.state import PinState

STYLE = """<style>
.mpk-pins{display:flex;flex-wrap:wrap;gap:4px;font:12px sans-serif}
.mpk-pin{display:flex;align-items:center;gap:4px;border:1px solid #ddd;border-radius:4px;padding:2px 6px;
 min-width:92px}
.mpk-pin[data-mode=unused]{opacity:.45}
.mpk-led{display:inline-block;width:12px;height:12px;border-radius:50%;border:1px solid #555}
.mpk-mode{color:#777;font-size:10px}
.mpk-display{display:grid;grid-template-columns:repeat(5,14px);gap:3px;padding:6px;background:#111;
 width:max-content;border-radius:4px}
.mpk-px{width:14px;height:14px;border-radius:2px;background:#e00}
</style>"""

LED_ON, LED_OFF, LED_UNKNOWN = "#2ecc40", "#1b1b1b", "#bbb"


def _pin_html(pin: PinState, toggling: bool) -> str:
    mode = pin.mode
    detail, color, opacity = "", LED_UNKNOWN, 1.0
    glow = ""
    if mode == "pwm" and pin.duty is not None:
        color, opacity = LED_ON, 0.15 + 0.85 * max(0.0, min(1.0, pin.duty))
        detail = f"{pin.duty * 100:.0f}%" + (f" {pin.freq} Hz" if pin.freq else "")
    elif mode == "adc" and pin.analog is not None:
        color, opacity = "#ff851b", 0.15 + 0.85 * pin.analog / 65535
        detail = str(pin.analog)
    elif toggling:  # faster than frames: half lit, glowing, not a misleading steady level
        color, opacity, glow = LED_ON, 0.55, f";box-shadow:0 0 5px {LED_ON}"
        detail = "toggling"
    elif pin.value is not None:
        color = LED_ON if pin.value else LED_OFF
    level = "" if pin.value is None else str(pin.value)
    pull = f" pull {pin.pull}" if pin.pull else ""
    title = f"{pin.name}: {mode}{pull}" + (f", {', '.join(pin.capabilities)}" if pin.capabilities else "")
    return (
        f'<div class="mpk-pin" data-pin="{escape(pin.name)}" data-mode="{escape(mode)}" '
        f'data-level="{level}" data-activity="{"toggling" if toggling else ""}" title="{escape(title)}">'
        f'<span class="mpk-led" style="background:{color};opacity:{opacity:.2f}{glow}"></span>'
        f'<b>{escape(pin.name)}</b><span class="mpk-mode">{escape(mode)} {escape(detail)}</span></div>'
    )


def pins_html(pins: Iterable[PinState], toggling: Container[str] = ()) -> str:
    """The pins as LEDs; pins in ``toggling`` changed several times since the last frame."""
    cells = "".join(_pin_html(pin, pin.name in toggling) for pin in pins)
    return f'{STYLE}<div class="mpk-pins">{cells or "<i>no pins known yet</i>"}</div>'


def display_html(display: list[list[int]] | None) -> str:
    """The micro:bit's 5x5 LED matrix, brightness 0..9 per pixel."""
    rows = display or [[0] * 5 for _ in range(5)]
    pixels = "".join(
        f'<div class="mpk-px" data-b="{b}" style="opacity:{0.08 + 0.92 * max(0, min(9, b)) / 9:.2f}"></div>'
        for row in rows[:5]
        for b in (list(row) + [0] * 5)[:5]
    )
    return f'{STYLE}<div class="mpk-display">{pixels}</div>'
