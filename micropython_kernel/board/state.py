"""BoardState: the observable model of a board that the widgets draw.

Fed by the simulator's hardware model (events from the VM) and, for a real board, by what the kernel
learns (queries between cells, data lines printed during cells). Widgets only read this model.
Everything here is bounded: a tight loop toggling a pin cannot grow memory without limit.
Listeners are called on the kernel's event loop thread with the name of what changed; views coalesce
those calls themselves (newest state wins), so a listener must be cheap.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .timeline import Timeline

Listener = Callable[[str], None]

# What changed, passed to listeners.
PINS, DISPLAY, EVENTS, HEAP, SERIES, BOARD = "pins", "display", "events", "heap", "series", "board"
TIMELINE = "timeline"


@dataclass
class PinState:
    name: str  # as the profile names it: "GPIO2", "GP25", "X1", "pin0"
    mode: str = "unused"  # "in", "out", "open_drain", "pwm", "adc", "unused"
    value: int | None = None  # logic level 0/1 (in/out/open_drain)
    pull: str | None = None  # "up", "down" or None
    duty: float | None = None  # PWM duty 0..1
    freq: int | None = None  # PWM frequency in Hz
    analog: int | None = None  # last ADC reading, read_u16 scale (0..65535)
    capabilities: tuple[str, ...] = ()  # e.g. ("digital", "adc", "pwm")


@dataclass
class HardwareEvent:
    t: float  # seconds on the board's clock (time.monotonic() of the host for the simulator)
    kind: str  # "pin", "pwm", "adc", "display", "i2c", "sensor", ...
    target: str  # pin or device name
    value: Any


@dataclass
class HeapSample:
    t: float
    free: int
    used: int
    largest_free: int | None = None
    memory_error: bool = False
    cell: int | None = None  # execution count of the cell this sample closes, if any
    #: bytes the cell allocated (used at its end - used at the end of the cell before, on the same
    #: board): what the %heap view shows per cell; None for samples taken while a cell ran
    allocated: int | None = None
    series: int = 0  # which board this is from: a new series starts at each board start (BoardState)


@dataclass
class HeapMap:
    """The board's GC blocks at the end of a cell: one character a block, as mem_info(1) prints it
    ("." free, "h" the head of an object, "=" its tail, other letters heads by type)."""

    t: float
    blocks: str
    block_bytes: int
    cell: int | None = None
    series: int = 0


@dataclass
class DataSample:
    t: float  # when it arrived (time.monotonic())
    values: dict[str, float]  # series name -> value, e.g. {"temp": 21.5} or {"0": 1.5, "1": 2.0}
    #: the x to draw it at, in seconds: the board's own time column, or the smoothed arrival time
    #: (board/plot_time.py); None: ``t``
    x: float | None = None
    time_key: str | None = None  # the series that is the board's clock (drawn as the axis)


@dataclass
class BoardState:
    """What is known about the board now, and a bounded history of how it changed."""

    max_events: int = 10_000
    max_heap_samples: int = 10_000
    max_data_samples: int = 100_000
    name: str = ""  # e.g. "simulated esp32"
    profile: str = ""
    pins: dict[str, PinState] = field(default_factory=dict)
    display: list[list[int]] | None = None  # micro:bit 5x5 brightness 0..9, row-major
    events: deque[HardwareEvent] = field(init=False)
    heap: deque[HeapSample] = field(init=False)
    data: deque[DataSample] = field(init=False)
    heap_map: HeapMap | None = None  # the newest block map (of the current series)
    heap_series: int = 0  # increases with each board start: heap samples of one board belong together
    _timeline: Timeline | None = field(default=None, init=False, repr=False)
    version: int = 0  # increases with every change: views compare it to skip redundant redraws

    def __post_init__(self) -> None:
        self.events = deque(maxlen=self.max_events)
        self.heap = deque(maxlen=self.max_heap_samples)
        self.data = deque(maxlen=self.max_data_samples)
        self._listeners: list[Listener] = []

    @property
    def timeline(self) -> Timeline:
        """Every hardware change with its board time (%timeline): made on first use, so a kernel that
        never records one never imports numpy (0.1 s)."""
        if self._timeline is None:
            from .timeline import Timeline

            self._timeline = Timeline()
        return self._timeline

    # -- observing -----------------------------------------------------------------------------
    def observe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(what)`` after each change; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def notify(self, what: str) -> None:
        self.version += 1
        for listener in list(self._listeners):
            listener(what)

    # -- changes -------------------------------------------------------------------------------
    def reset(self, name: str, profile: str = "", pins: dict[str, PinState] | None = None) -> None:
        """A new or reset board: pins back to their power-on state; histories are kept."""
        self.name, self.profile = name, profile
        self.pins = pins if pins is not None else {}
        self.display = None
        self.heap_series += 1  # a fresh heap: its samples are not one line with the old board's
        self.heap_map = None
        self.notify(BOARD)

    def record_event(self, event: HardwareEvent) -> None:
        """Keep ``event`` in the history and apply it to the pin/display state."""
        self.events.append(event)
        self.notify(self._apply(event))

    def record_events(self, events: list[HardwareEvent]) -> None:
        """Record a batch of events in order, notifying listeners once per kind of change."""
        changed: list[str] = []
        for event in events:
            self.events.append(event)
            what = self._apply(event)
            if what not in changed:
                changed.append(what)
        for what in changed:
            self.notify(what)

    def _apply(self, event: HardwareEvent) -> str:
        """Apply ``event`` to the pin/display state; return what changed (for listeners)."""
        if event.kind in ("pin", "pwm", "adc", "mode"):
            pin = self.pins.get(event.target)
            if pin is None:
                pin = self.pins[event.target] = PinState(event.target)
            if event.kind == "pin":
                pin.value = int(event.value)
                if pin.mode in ("unused", "adc", "pwm"):
                    pin.mode = "out"
            elif event.kind == "pwm":
                pin.mode = "pwm"
                pin.duty, pin.freq = event.value
            elif event.kind == "adc":
                pin.mode, pin.analog = "adc", int(event.value)
            else:
                pin.mode, pin.pull = event.value
            return PINS
        if event.kind == "display":
            self.display = event.value
            return DISPLAY
        return EVENTS

    def add_heap_sample(self, sample: HeapSample) -> None:
        sample.series = self.heap_series
        if sample.cell is not None and sample.allocated is None:
            before = next((s for s in reversed(self.heap) if s.cell is not None), None)
            if before is not None and before.series == sample.series:
                sample.allocated = sample.used - before.used
        self.heap.append(sample)
        self.notify(HEAP)

    def set_heap_map(self, heap_map: HeapMap) -> None:
        heap_map.series = self.heap_series
        self.heap_map = heap_map
        self.notify(HEAP)

    def current_heap(self) -> list[HeapSample]:
        """The heap samples of the current board (since its last start), oldest first."""
        samples = []
        for sample in reversed(self.heap):
            if sample.series != self.heap_series:
                break
            samples.append(sample)
        return samples[::-1]

    def add_data(
        self,
        values: dict[str, float],
        t: float | None = None,
        x: float | None = None,
        time_key: str | None = None,
    ) -> None:
        self.data.append(DataSample(time.monotonic() if t is None else t, values, x, time_key))
        self.notify(SERIES)
