"""The board panel's static picture (``BoardPanel.snapshot``): its pins as LEDs and the 5x5 display, as
SVG, for saved notebooks, nbconvert and GitHub (no widget, no script). The same colours as the panel."""

from __future__ import annotations

from html import escape

from ..board.state import BoardState, PinState
from .pins_html import LED_OFF, LED_ON, LED_UNKNOWN

COLUMNS = 4
CELL_W, CELL_H = 170, 26
FONT = "font-family:sans-serif"


def _led(pin: PinState) -> tuple[str, float, str]:
    """(colour, opacity, what it says) for one pin, as the live panel draws it."""
    if pin.mode == "pwm" and pin.duty is not None:
        detail = f"{pin.duty * 100:.0f}%" + (f" {pin.freq} Hz" if pin.freq else "")
        return LED_ON, 0.15 + 0.85 * max(0.0, min(1.0, pin.duty)), detail
    if pin.mode == "adc" and pin.analog is not None:
        return "#ff851b", 0.15 + 0.85 * pin.analog / 65535, str(pin.analog)
    if pin.value is not None:
        return (LED_ON if pin.value else LED_OFF), 1.0, "high" if pin.value else "low"
    return LED_UNKNOWN, 1.0, ""


def board_svg(state: BoardState) -> str:
    pins = list(state.pins.values())
    rows = -(-len(pins) // COLUMNS)
    display = state.display if state.display is not None or state.profile == "microbit" else None
    display_h = 5 * 18 + 16 if display is not None else 0
    width, height = COLUMNS * CELL_W + 10, 34 + rows * CELL_H + display_h + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="mpk-board-picture">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="6" y="20" style="{FONT};font-size:16px;font-weight:bold">'
        f"{escape(state.name or 'no board yet')}</text>",
    ]
    for i, pin in enumerate(pins):
        x, y = 6 + (i % COLUMNS) * CELL_W, 34 + (i // COLUMNS) * CELL_H
        colour, opacity, detail = _led(pin)
        dim = ' opacity="0.45"' if pin.mode == "unused" else ""
        parts.append(
            f'<g{dim} data-pin="{escape(pin.name)}" data-mode="{escape(pin.mode)}">'
            f'<rect x="{x}" y="{y}" width="{CELL_W - 6}" height="{CELL_H - 4}" rx="4" '
            'fill="none" stroke="#ddd"/>'
            f'<circle cx="{x + 12}" cy="{y + 11}" r="6" fill="{colour}" fill-opacity="{opacity:.2f}" '
            'stroke="#555"/>'
            f'<text x="{x + 24}" y="{y + 15}" style="{FONT};font-size:13px"><tspan font-weight="bold">'
            f"{escape(pin.name)}</tspan> {escape(pin.mode)} {escape(detail)}</text></g>"
        )
    if display is not None:
        top = 34 + rows * CELL_H + 8
        parts.append(f'<rect x="6" y="{top}" width="{5 * 18 + 8}" height="{5 * 18 + 8}" rx="4" fill="#111"/>')
        for r, row in enumerate((display or [[0] * 5] * 5)[:5]):
            for c, b in enumerate((list(row) + [0] * 5)[:5]):
                opacity = 0.08 + 0.92 * max(0, min(9, b)) / 9
                parts.append(
                    f'<rect x="{10 + c * 18}" y="{top + 4 + r * 18}" width="14" height="14" rx="2" '
                    f'fill="#e00" fill-opacity="{opacity:.2f}"/>'
                )
    parts.append("</svg>")
    return "".join(parts)


def board_text(state: BoardState) -> str:
    """A short text/plain: the board and the pins in use."""
    used = [p for p in state.pins.values() if p.mode != "unused"]
    pins = ", ".join(f"{p.name} {p.mode} {_led(p)[2]}".strip() for p in used[:12])
    more = f" (+{len(used) - 12} more)" if len(used) > 12 else ""
    return f"{state.name or 'board'}: " + (pins + more if used else "no pins in use")
