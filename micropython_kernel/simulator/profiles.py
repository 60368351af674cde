"""Board profiles: what the simulated board pretends to be (heap, flash, platform, LED)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BoardProfile:
    name: str
    description: str
    platform: str  # what sys.platform says on the real board
    heap_bytes: int  # GC heap given to the VM with -X heapsize=
    flash_bytes: int
    led_pin: int | str | None


# Heap figures are what gc.mem_free() reports on a fresh board of each kind with recent firmware,
# rounded; the VM adds its own small start-up allocations, as real firmware does.
PROFILES: dict[str, BoardProfile] = {
    profile.name: profile
    for profile in (
        # ESP32-WROOM-32 without PSRAM, ESP32_GENERIC firmware: ~110-130 KB free after boot.
        BoardProfile("esp32", "ESP32 (ESP32_GENERIC, no PSRAM)", "esp32", 128 * 1024, 4 * 1024 * 1024, 2),
        # Raspberry Pi Pico (RP2040, 264 KB SRAM): the rp2 port gives the GC ~192 KB.
        BoardProfile("pico", "Raspberry Pi Pico (RP2040)", "rp2", 192 * 1024, 2 * 1024 * 1024, 25),
        # pyboard v1.1 (STM32F405, 192 KB RAM): ~100 KB heap.
        BoardProfile("pyboard", "pyboard v1.1 (STM32F405)", "pyboard", 100 * 1024, 1024 * 1024, "LED(1)"),
        # BBC micro:bit v1 (nRF51822, 16 KB RAM): ~9.6 KB free measured on the v1.9.2 firmware under QEMU.
        BoardProfile("microbit", "BBC micro:bit v1 (nRF51822)", "microbit", 10 * 1024, 30 * 1024, None),
    )
}
DEFAULT_PROFILE = "esp32"


def get_profile(name: str | None) -> BoardProfile:
    """The profile called ``name`` (the default when None); ValueError listing the known ones."""
    key = (name or DEFAULT_PROFILE).lower()
    if key not in PROFILES:
        raise ValueError(f"unknown board profile {name!r}: choose one of {', '.join(PROFILES)}")
    return PROFILES[key]
