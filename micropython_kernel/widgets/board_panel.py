"""BoardPanel: the ``%board`` view. The board's picture (pins, LEDs, PWM, the 5x5 display, NeoPixels,
buttons: board_picture.py) and input controls on the simulator.

It reads only the BoardState. Input controls drive the board's ``BoardInputs`` (the capability the
kernel hands over: the current board's inputs, None for a board without them); on a real board the
panel shows what the kernel knows and offers a refresh button instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..board.inputs import BOARD_SENSOR, DIGITAL_RANGE, BoardInputs
from ..board.signals import Constant, Generator
from ..board.state import BOARD, DISPLAY, EVENTS, PINS, BoardState
from .board_picture import BoardPicture, picture_pins
from .board_svg import board_svg, board_text

SIGNAL_KINDS = ("slider", *Generator.KINDS)
# A pin that changed this often between two frames (~1/30 s) toggles faster than a frame can show:
# drawn as "toggling" rather than as whichever level it happened to have (a 20 Hz blink still blinks).
TOGGLING_CHANGES = 3
ACTIVITY_WINDOW = 256  # newest events looked at per frame: enough to see a flood, cheap at 30 frames/s


class BoardPanel:
    """The pin panel; ``widget`` is what the notebook shows."""

    def __init__(
        self,
        state: BoardState,
        inputs: Callable[[], BoardInputs | None],
        on_refresh: Callable[[], None] | None = None,
    ) -> None:
        self.state = state
        self._inputs = inputs
        self.title = w.HTML()
        self.picture = BoardPicture(on_press=self._press, on_toggle=self._toggle)
        self._neopixels: dict[str, list[str]] = {}  # strip pin -> colours, from the newest events
        self.controls = w.VBox()
        self.refresh_button = w.Button(description="Refresh", icon="refresh", tooltip="ask the board again")
        if on_refresh is not None:
            self.refresh_button.on_click(lambda _: on_refresh())
        self.widget = w.VBox([self.title, self.picture, self.controls, self.refresh_button])
        self._control_names: tuple[tuple[str, str], ...] | None = None
        self._controls_for: BoardInputs | None = None
        self._control_cache: dict[tuple[str, str], w.Widget] = {}
        self._seen_event_t = float("-inf")  # pin events up to this time were counted already
        # The controls of each input, to show signals set elsewhere (%signal); _syncing marks our own
        # changes to them, which must not drive the input again.
        self._toggles: dict[str, w.ToggleButton] = {}
        self._analog: dict[str, tuple[w.FloatSlider, w.Dropdown, w.BoundedFloatText]] = {}
        self._syncing = False
        self._sensors_read: set[str] = set()  # sensor quantities the code has read (their sliders show)
        self.refresh({"all"})

    # -- drawing (called by the coalescer) -----------------------------------------------------
    def refresh(self, changed: set[str]) -> None:
        everything = "all" in changed or BOARD in changed
        if everything:
            self.title.value = f"<b>{self.state.name or 'no board yet'}</b>"
            self.picture.show_board(self.state.profile, list(self.state.pins))
        toggling = self._scan_events() if everything or PINS in changed or EVENTS in changed else set()
        if everything or DISPLAY in changed:
            rows = self.state.display
            flat = [b for row in rows[:5] for b in (list(row) + [0] * 5)[:5]] if rows else None
            self.picture.display = flat
        if everything or PINS in changed or EVENTS in changed:
            self._update_controls()
            self._draw_pins(toggling)

    def _draw_pins(self, toggling: set[str] | frozenset[str] = frozenset()) -> None:
        pressed = {name: toggle.value for name, toggle in self._toggles.items()}
        self.picture.pins = picture_pins(self.state.pins.values(), toggling, pressed)
        if self.picture.neopixels != self._neopixels:
            self.picture.neopixels = dict(self._neopixels)

    def redraw(self) -> None:
        self.refresh({"all"})

    def snapshot(self) -> dict[str, str]:
        """The static picture a saved notebook keeps: the board as SVG (board_svg.py), and one line."""
        picture = self.picture
        return {
            "image/svg+xml": board_svg(picture.layout, picture.pins, picture.display, picture.neopixels),
            "text/plain": board_text(self.state.name or picture.title, picture.pins),
        }

    def close(self) -> None:
        """Close every widget of the panel (the cached controls too): it became its picture."""
        for control in self._control_cache.values():
            _close_all(control)
        _close_all(self.widget)

    def _press(self, name: str, value: int) -> None:
        """A board button or an input pin pressed (1) or released (0) on the picture."""
        toggle = self._toggles.get(name)
        if toggle is not None:
            toggle.value = bool(value)
            self._draw_pins()

    def _toggle(self, name: str) -> None:
        """An input pin's switch clicked on the picture."""
        toggle = self._toggles.get(name)
        if toggle is not None:
            toggle.value = not toggle.value
            self._draw_pins()

    def _scan_events(self) -> set[str]:
        """The events since the last frame (newest first, a bounded number): returns the pins that
        changed TOGGLING_CHANGES times or more, and notes the sensors the code read."""
        counts: dict[str, int] = {}
        seen_strips: set[str] = set()
        newest = None
        for event in itertools.islice(reversed(self.state.events), ACTIVITY_WINDOW):
            if event.t <= self._seen_event_t:
                break
            newest = event.t if newest is None else newest
            if event.kind == "pin":
                counts[event.target] = counts.get(event.target, 0) + 1
            elif event.kind == "sensor":
                self._sensors_read.add(event.target)
            elif event.kind == "neopixel" and event.target not in seen_strips:
                seen_strips.add(event.target)  # (newest first: the strip's latest colours)
                self._neopixels[event.target] = ["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in event.value]
        if newest is not None:
            self._seen_event_t = newest
        return {name for name, count in counts.items() if count >= TOGGLING_CHANGES}

    def settle(self) -> None:
        """The cell ended: show each pin's final level (no pin is toggling any more)."""
        self._scan_events()
        self._show_signals()
        self._draw_pins()

    def _update_controls(self) -> None:
        """One control per input the running code uses: a toggle for an input pin or a button, a slider
        (and a signal picker) for an ADC pin or a sensor quantity. Built again only when that set changes."""
        inputs = self._inputs()
        self.refresh_button.layout.display = "none" if inputs is not None else None
        wanted = [
            (name, kind) for name in (inputs.names() if inputs else []) if (kind := self._kind(inputs, name))
        ]
        if inputs is not self._controls_for:  # a new target: controls bound to the old one go
            for control in self._control_cache.values():
                _close_all(control)
            self._controls_for, self._control_cache, self._control_names = inputs, {}, None
            self._toggles, self._analog, self._sensors_read = {}, {}, set()
        if tuple(wanted) == self._control_names:
            self._show_signals()
            return
        self._control_names = tuple(wanted)
        assert inputs is not None or not wanted
        rows = []
        for key in wanted:
            if key not in self._control_cache:
                self._control_cache[key] = self._control_row(inputs, *key)  # type: ignore[arg-type]
            rows.append(self._control_cache[key])
        self.controls.children = rows
        self._show_signals()

    def _show_signals(self) -> None:
        """Set the controls to the signals that drive the inputs now (a %signal, a slider elsewhere)."""
        signals = self._controls_for.signals() if self._controls_for is not None else {}
        self._syncing = True
        try:
            for name, toggle in self._toggles.items():
                toggle.value = self._level(name) != self._rest_level(name)
            for name, (slider, picker, rate) in self._analog.items():
                signal = signals.get(name)
                if isinstance(signal, Constant):
                    picker.value, slider.value = "slider", _clamp(signal.value, slider)
                elif isinstance(signal, Generator):
                    picker.value, slider.value = signal.kind, _clamp(signal.offset, slider)
                    rate.value = min(max(signal.rate, rate.min), rate.max)
                elif signal is None:  # released (%signal off): a drag sets a value again
                    picker.value = "slider"
        finally:
            self._syncing = False

    def _rest_level(self, name: str) -> int:
        """The level an input reads when nothing drives it: 1 with a pull-up (or an open drain)."""
        pin = self.state.pins.get(name)
        return int(pin is not None and (pin.pull == "up" or pin.mode == "open_drain"))

    def _level(self, name: str) -> int:
        """The level the VM reads on input ``name`` now: what drives it, else its resting level."""
        inputs = self._controls_for
        signal = inputs.signals().get(name) if inputs is not None else None
        if inputs is not None and isinstance(signal, Constant):
            return inputs.level(signal.value)  # (the board's rule: a level 0..1, or an ADC value)
        return self._rest_level(name)

    def _kind(self, inputs: BoardInputs | None, name: str) -> str | None:
        """How ``name`` is driven: "toggle" (an input pin, a button: range 0..1), "adc", "quantity" (a
        sensor), or None (a pin the code does not read now: no control)."""
        pin = self.state.pins.get(name)
        if pin is not None:
            return {"in": "toggle", "adc": "adc"}.get(pin.mode)
        # The board's own inputs (micro:bit buttons and accelerometer ...) always; a sensor chip's
        # quantities once the code reads them or a signal drives them.
        assert inputs is not None
        own = inputs.sensors().get(BOARD_SENSOR, [])
        if name not in own and name not in self._sensors_read and name not in inputs.signals():
            return None
        return "toggle" if inputs.range(name) == DIGITAL_RANGE else "quantity"

    # -- input controls ------------------------------------------------------------------------
    def _control_row(self, inputs: BoardInputs, name: str, kind: str) -> w.Widget:
        if kind == "toggle":
            # The button is pressed (looks pressed) when it pulls the input away from its resting
            # level: low for a PULL_UP input (a button to ground), high otherwise (a micro:bit button).
            toggle = w.ToggleButton(
                value=self._level(name) != self._rest_level(name),
                description=name,
                tooltip=f"press: drive input {name} {'low' if self._rest_level(name) else 'high'}",
            )
            toggle.observe(
                lambda change: (
                    self._syncing
                    or inputs.set_value(name, float(self._rest_level(name) ^ bool(change["new"])))
                ),
                "value",
            )
            self._toggles[name] = toggle
            return toggle
        low, high = inputs.range(name)
        slider = w.FloatSlider(
            value=low if kind == "adc" else (low + high) / 2,
            min=low,
            max=high,
            step=1.0 if kind == "adc" else (high - low) / 200,
            description=name,
            continuous_update=True,
            style={"description_width": "120px"},
            layout=w.Layout(width="420px"),
        )
        picker = w.Dropdown(
            options=SIGNAL_KINDS, value="slider", layout=w.Layout(width="100px"), tooltip="what drives it"
        )
        rate = w.BoundedFloatText(
            value=1.0, min=0.01, max=100.0, description="Hz", layout=w.Layout(width="130px"),
            style={"description_width": "24px"},
        )  # fmt: skip

        def drive(_: Any = None) -> None:
            """The slider is the value, or the centre of a generator swinging a quarter of the range."""
            if self._syncing:
                return
            if picker.value == "slider":
                inputs.set_value(name, float(slider.value))
            else:
                amplitude = min((high - low) / 4, slider.value - low, high - slider.value)
                signal = Generator(picker.value, float(rate.value), amplitude, float(slider.value))
                inputs.set_signal(name, signal)

        for control in (slider, picker, rate):
            control.observe(drive, "value")
        self._analog[name] = (slider, picker, rate)
        return w.HBox([slider, picker, rate])


def _close_all(widget: w.Widget) -> None:
    """Close a widget and its children (their comms go too)."""
    for child in getattr(widget, "children", ()):
        _close_all(child)
    widget.close()


def _clamp(value: float, slider: w.FloatSlider) -> float:
    return min(max(float(value), slider.min), slider.max)
