"""The board's static picture (``BoardPanel.snapshot``): what a saved notebook, nbconvert or GitHub shows
once no kernel is there. The same layout (board_layouts.py) and colours as the live picture (board.js),
drawn as plain SVG: the board's outline, its pins where they are with their state, LEDs, buttons, the
5x5 display and NeoPixels."""

from __future__ import annotations

from html import escape
from typing import Any

from .board_layouts import Layout


def _pin_fill(pin: dict[str, Any] | None) -> tuple[str, float]:
    """(fill, opacity) of a pin's dot: as ``pinColor`` in js/src/board.js."""
    if not pin or pin["m"] == "unused":
        return "none", 1.0
    if pin.get("t"):
        return "#39ff6a", 0.6
    if pin["m"] == "pwm":
        return "#39ff6a", 0.15 + 0.85 * (pin.get("b") or 0)
    if pin["m"] == "adc":
        return "#ff9a1f", 0.15 + 0.85 * (pin.get("b") or 0)
    if pin["m"] == "in":
        return ("#7fc4ff" if pin.get("v") else "#123a66"), 1.0
    if pin.get("v") == 1:
        return "#39ff6a", 1.0
    if pin.get("v") == 0:
        return "#2a2a2a", 1.0
    return "#bbb", 1.0


def board_svg(
    layout: Layout,
    pins: dict[str, dict[str, Any]],
    display: list[int] | None = None,
    neopixels: dict[str, list[str]] | None = None,
    scale: float = 2.4,
) -> str:
    vx, vy, vw, vh = layout["view"]
    strips = neopixels or {}
    vh += 8 + 18 * len(strips) if strips else 0
    f = layout["font"]
    bx, by, bw, bh = layout["board"]
    out = [
        f'<svg class="mpk-board-picture" xmlns="http://www.w3.org/2000/svg" width="{vw * scale:.0f}" '
        f'height="{(vh + 16) * scale:.0f}" viewBox="{vx} {vy - 16} {vw} {vh + 16}" '
        f'style="font-family:sans-serif;font-size:{f}px;background:#fff">',
        f'<text x="{vx + 2}" y="{vy - 4}" font-weight="bold" font-size="{f * 1.2}">'
        f"{escape(layout['title'])}</text>",
        f'<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="6" fill="{layout["color"]}" stroke="#111"/>',
    ]
    for name, x, y, side, label in layout["pins"]:
        pin = pins.get(name) if name else None
        fill, opacity = _pin_fill(pin) if name else ("#e6e6e6", 1.0)
        cy = y - 6 if side in ("b", "s") else y
        out.append(
            f'<circle data-pin="{escape(name or label)}" cx="{x}" cy="{cy}" r="3.4" fill="{fill}" '
            f'fill-opacity="{opacity:.2f}" stroke="#8a8a8a" stroke-width="0.8"/>'
        )
        used = pin is not None and pin["m"] != "unused"
        detail = f" {pin['d']}" if used and pin.get("d") else ""
        weight = "bold" if used else "normal"
        colour = "#222" if used else "#999"
        shown = escape((name or label) + detail)
        if side in ("l", "r"):
            tx, anchor = (x - 9, "end") if side == "l" else (x + 9, "start")
            out.append(
                f'<text x="{tx}" y="{y + f * 0.35}" text-anchor="{anchor}" fill="{colour}" '
                f'font-weight="{weight}">{shown}</text>'
            )
        elif side in ("t", "d"):
            ty, anchor = (y - 8, "start") if side == "t" else (y + 8, "end")
            tx = x + f * 0.35
            out.append(
                f'<text x="{tx}" y="{ty}" text-anchor="{anchor}" transform="rotate(-90 {tx} {ty})" '
                f'fill="{colour}" font-weight="{weight}">{shown}</text>'
            )
        elif side == "b":
            out.append(f'<text x="{x}" y="{y + 11}" text-anchor="middle" font-weight="bold" fill="#eee">')
            out.append(f"{escape(label)}</text>")
            if detail:
                out.append(f'<text x="{x}" y="{y + 28}" text-anchor="middle">{escape(detail.strip())}</text>')
        elif side == "s" and used:
            tx, ty = x + f * 0.35, y - 14
            out.append(
                f'<text x="{tx}" y="{ty}" transform="rotate(-90 {tx} {ty})" fill="#f0f0f0" '
                f'font-weight="bold">{escape(label + detail)}</text>'
            )
    for name, x, y, colour, label in layout["leds"]:
        pin = pins.get(name) or {}
        level = (pin.get("b") or 0) if pin.get("m") == "pwm" else (1 if pin.get("v") else 0)
        out.append(f'<circle cx="{x}" cy="{y}" r="4.5" fill="#ddd" stroke="#888" stroke-width="0.6"/>')
        out.append(
            f'<circle data-led="{escape(name)}" cx="{x}" cy="{y}" r="4.5" fill="{colour}" '
            f'opacity="{level:.2f}"><title>{escape(label)}</title></circle>'
        )
    for name, x, y, r, label in layout["buttons"]:
        pressed = bool((pins.get(name) or {}).get("p"))
        cap = "#1c6dd0" if pressed else "#111"
        out.append(
            f'<circle data-button="{escape(name)}" cx="{x}" cy="{y}" r="{r}" fill="{cap}" stroke="#666"/>'
        )
        if layout["art"] == "microbit":
            out.append(f'<text x="{x}" y="{y + 4.5}" text-anchor="middle" fill="#fff" font-weight="bold">')
            out.append(f"{escape(label)}</text>")
        else:
            out.append(f'<text x="{bx + bw + 9}" y="{y + f * 0.35}" fill="#333">{escape(label)}</text>')
    if layout["display"]:
        dx, dy, size = layout["display"]
        pitch = size / 5
        for i in range(25):
            b = (display or [0] * 25)[i] if display and i < len(display) else 0
            out.append(
                f'<rect class="mpk-px" data-b="{b}" x="{dx + (i % 5) * pitch + pitch * 0.3:.1f}" '
                f'y="{dy + (i // 5) * pitch + pitch * 0.15:.1f}" width="{pitch * 0.4:.1f}" '
                f'height="{pitch * 0.7:.1f}" rx="1.5" fill="#ff2a1a" fill-opacity="{0.1 + 0.9 * b / 9:.2f}"/>'
            )
    for row, (pin_name, colours) in enumerate(strips.items()):
        y = layout["view"][1] + layout["view"][3] + 12 + row * 18
        out.append(f'<text x="{vx + 4}" y="{y + 3}" font-weight="bold">NeoPixel {escape(pin_name)}</text>')
        step = min(14.0, (vw - 110) / max(1, len(colours)))
        for i, colour in enumerate(colours):
            out.append(
                f'<circle cx="{vx + 110 + i * step:.1f}" cy="{y}" r="{min(6.0, step / 2.2):.1f}" '
                f'fill="{escape(colour)}" stroke="#333"/>'
            )
    out.append("</svg>")
    return "".join(out)


def board_text(title: str, pins: dict[str, dict[str, Any]]) -> str:
    """One line a text-only frontend shows: the board and the pins in use."""
    used = [f"{name} {pin['d']}" for name, pin in pins.items() if pin["m"] != "unused" and pin.get("d")]
    return f"{title}: " + (", ".join(used) if used else "no pins in use")
