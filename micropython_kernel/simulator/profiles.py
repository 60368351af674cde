"""Board profiles: what the simulated board pretends to be (heap, flash, platform, pins, LED)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PinSpec:
    name: str  # as the board's MicroPython names it: "GPIO2", "GP25", "X1", "pin0"
    number: int | None  # the id ``machine.Pin(n)`` accepts, None where only the name works
    capabilities: tuple[str, ...]  # "in", "out", "adc", "pwm" (and "touch", "dac" ...)


def _pins(prefix: str, numbers: list[int], caps: dict[int, tuple[str, ...]]) -> tuple[PinSpec, ...]:
    return tuple(PinSpec(f"{prefix}{n}", n, caps[n]) for n in numbers)


@dataclass(frozen=True)
class BoardProfile:
    name: str
    description: str
    platform: str  # what sys.platform says on the real board
    heap_bytes: int  # GC heap given to the VM with -X heapsize=
    flash_bytes: int
    led_pin: int | str | None
    pins: tuple[PinSpec, ...] = field(default=(), repr=False)
    #: hardware modules a real firmware has built in: imported when the VM starts (see SimulatedBoard)
    builtin_modules: tuple[str, ...] = ("time", "machine")
    #: inputs other than pins the host can drive, with their usual range
    quantities: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)

    def pin(self, name: str) -> PinSpec | None:
        """The pin called ``name`` (case-insensitive; "adc34"/"pin34"/"34" also find GPIO34)."""
        key = name.strip().lower()
        for spec in self.pins:
            if spec.name.lower() == key:
                return spec
        for prefix in ("adc", "pin", "gpio", "gp", ""):
            if key.startswith(prefix) and key[len(prefix) :].isdigit():
                number = int(key[len(prefix) :])
                for spec in self.pins:
                    if spec.number == number:
                        return spec
        return None


# ESP32-WROOM-32 (DevKitC), MicroPython esp32 port quickref (docs.micropython.org/en/latest/esp32/
# quickref.html) and the ESP32 datasheet, section 2.2 "Pin Description": usable GPIOs 0-5, 12-19, 21-23,
# 25-27, 32-39 (6-11 drive the SPI flash; 20, 24, 28-31 do not exist); 34-39 are input only, with no
# pulls; ADC1 on 32-39 and ADC2 on 0, 2, 4, 12-15, 25-27; PWM (LEDC) on every output-capable pin.
_ESP32_NUMBERS = [*range(0, 6), *range(12, 20), 21, 22, 23, 25, 26, 27, *range(32, 40)]
_ESP32_ADC = {0, 2, 4, 12, 13, 14, 15, 25, 26, 27, *range(32, 40)}
_ESP32_PINS = _pins(
    "GPIO",
    _ESP32_NUMBERS,
    {
        n: ("in",) + (("adc",) if n in _ESP32_ADC else ())
        if n >= 34
        else ("in", "out", "pwm") + (("adc",) if n in _ESP32_ADC else ())
        for n in _ESP32_NUMBERS
    },
)
# Raspberry Pi Pico, RP2040 datasheet section 1.4 and the Pico datasheet section 2.1 "Pico pinout":
# GP0-GP28 (GP23 SMPS mode, GP24 VBUS sense, GP25 the LED are internal but addressable); PWM on every
# GPIO; ADC0-2 on GP26-28 (ADC3 = GP29 = VSYS/3, ADC4 = the temperature sensor).
_PICO_PINS = _pins(
    "GP", list(range(29)), {n: ("in", "out", "pwm") + (("adc",) if n >= 26 else ()) for n in range(29)}
)
# pyboard v1.1, docs.micropython.org/en/latest/pyboard/quickref.html pinout and the PYBv1.1 schematic:
# X1-X12, X17-X22, Y1-Y12. ADC on X1-X8, X11, X12, X19-X22, Y11, Y12; a timer channel (PWM) on X1-X4,
# X6-X10, Y1-Y4, Y6-Y12. The four LEDs (A13-A15, B4) are the board pins LED_RED, LED_GREEN,
# LED_YELLOW, LED_BLUE (pyb.LED(1)..(4)); the USR switch is SW (active low; pyb.Switch).
_PYB_ADC = {"X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X11", "X12"}
_PYB_ADC |= {"X19", "X20", "X21", "X22", "Y11", "Y12"}
_PYB_PWM = {"X1", "X2", "X3", "X4", "X6", "X7", "X8", "X9", "X10", "Y1", "Y2", "Y3", "Y4"}
_PYB_PWM |= {"Y6", "Y7", "Y8", "Y9", "Y10", "Y11", "Y12"}
_PYB_PINS = tuple(
    PinSpec(
        name,
        None,
        ("in", "out") + (("adc",) if name in _PYB_ADC else ()) + (("pwm",) if name in _PYB_PWM else ()),
    )
    for name in [f"X{n}" for n in [*range(1, 13), *range(17, 23)]] + [f"Y{n}" for n in range(1, 13)]
) + tuple(PinSpec(f"LED_{c}", None, ("out",)) for c in ("RED", "GREEN", "YELLOW", "BLUE"))
_PYB_PINS += (PinSpec("SW", None, ("in",)),)
# BBC micro:bit v1 edge connector (tech.microbit.org/hardware/edgeconnector/ and the micro:bit
# MicroPython docs, "Input/Output Pins"): pin0-pin16, pin19, pin20; analog input on pin0-4 and pin10;
# write_analog (PWM) on every pin; buttons A/B are pin5/pin11, the LED matrix uses pin3/4/6/7/9/10.
_MICROBIT_NUMBERS = [*range(17), 19, 20]
_MICROBIT_PINS = _pins(
    "pin",
    _MICROBIT_NUMBERS,
    {n: ("in", "out", "pwm") + (("adc",) if n in (0, 1, 2, 3, 4, 10) else ()) for n in _MICROBIT_NUMBERS},
)


# The micro:bit's other inputs: buttons (1 = pressed), the LSM303/MMA8653 accelerometer in milli-g
# (+-2 g range by default), the nRF51's temperature in C, the display's light sensing 0..255, the compass.
_MICROBIT_QUANTITIES = {
    "button_a": (0.0, 1.0),
    "button_b": (0.0, 1.0),
    "accelerometer.x": (-2048.0, 2048.0),
    "accelerometer.y": (-2048.0, 2048.0),
    "accelerometer.z": (-2048.0, 2048.0),
    "temperature": (-10.0, 50.0),
    "light": (0.0, 255.0),
    "compass.heading": (0.0, 360.0),
}

# Heap figures are what gc.mem_free() reports on a fresh board of each kind with recent firmware,
# rounded; the VM adds its own small start-up allocations, as real firmware does.
PROFILES: dict[str, BoardProfile] = {
    profile.name: profile
    for profile in (
        # ESP32-WROOM-32 without PSRAM, ESP32_GENERIC firmware: ~110-130 KB free after boot.
        BoardProfile(
            "esp32", "ESP32 (ESP32_GENERIC, no PSRAM)", "esp32", 128 * 1024, 4 * 1024 * 1024, 2, _ESP32_PINS
        ),
        # Raspberry Pi Pico (RP2040, 264 KB SRAM): the rp2 port gives the GC ~192 KB.
        BoardProfile(
            "pico",
            "Raspberry Pi Pico (RP2040)",
            "rp2",
            192 * 1024,
            2 * 1024 * 1024,
            25,
            _PICO_PINS,
            quantities={"temperature": (-10.0, 50.0)},  # read through ADC(4), the RP2040's sensor
        ),
        # pyboard v1.1 (STM32F405, 192 KB RAM): ~100 KB heap.
        BoardProfile(
            "pyboard",
            "pyboard v1.1 (STM32F405)",
            "pyboard",
            100 * 1024,
            1024 * 1024,
            "LED(1)",
            _PYB_PINS,
            builtin_modules=("time", "machine", "pyb"),
        ),
        # BBC micro:bit v1 (nRF51822, 16 KB RAM): ~9.6 KB free measured on the v1.9.2 firmware under QEMU.
        BoardProfile(
            "microbit",
            "BBC micro:bit v1 (nRF51822)",
            "microbit",
            10 * 1024,
            30 * 1024,
            None,
            _MICROBIT_PINS,
            builtin_modules=("time", "microbit"),
            quantities=_MICROBIT_QUANTITIES,
        ),
    )
}
DEFAULT_PROFILE = "esp32"


def get_profile(name: str | None) -> BoardProfile:
    """The profile called ``name`` (the default when None); ValueError listing the known ones."""
    key = (name or DEFAULT_PROFILE).lower()
    if key not in PROFILES:
        raise ValueError(f"unknown board profile {name!r}: choose one of {', '.join(PROFILES)}")
    return PROFILES[key]
