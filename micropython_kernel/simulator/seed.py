"""``MICROPYTHON_KERNEL_SEED``: an integer that makes the simulated board's random numbers repeatable.

The VM gets it as ``MPK_SEED`` and ``_simhw`` seeds MicroPython's ``random`` with it when it boots, so
noise and random-walk signals and the user's own ``random`` draw the same sequence in every fresh VM:
a submission graded twice sees the same readings (noise: the n-th read gets the n-th number; a walk's
steps are the same, how many have passed follows the clock).
"""

from __future__ import annotations

import os

SEED_ENV = "MICROPYTHON_KERNEL_SEED"


def seed_from_environment() -> int | None:
    """The seed of ``MICROPYTHON_KERNEL_SEED``, or None when unset; ValueError if it is no integer."""
    text = os.environ.get(SEED_ENV, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{SEED_ENV}={text!r}: the seed must be an integer") from None
