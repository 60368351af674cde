# The inputs the host drives (MicroPython source, runs inside the VM): pin levels, ADC values, sensor
# quantities, as numbers or as signal generators. A generator comes as a formula ("~kind rate amplitude
# offset", see simulator/wire.py) and is evaluated whenever code reads the input: a tight loop sampling
# an ADC sees a smooth sine with no traffic on the pipe. Delivering changes to the handlers that watch
# an input is _simhw's job (it runs them as a port runs irq handlers).
import math
import random

import _simwire
from _board import setting
from utime import ticks_add, ticks_diff, ticks_ms

# MICROPYTHON_KERNEL_SEED (the host passes MPK_SEED, simulator/seed.py): noise, walks and the user's own
# `random` draw the same numbers in every fresh VM, so one submission graded twice gets the same grade.
if setting("MPK_SEED"):
    random.seed(int(setting("MPK_SEED")))

values = {}  # name -> value (a number) or a generator (a list, see make)
wake = False  # set by the host's "!" line: idle() returns (a cell waits for the prompt)


def read(watched):
    """Take in the host's pending input lines; the names among ``watched`` that changed, or None."""
    global wake
    changed = None
    _simwire.busy += 1
    try:
        while True:
            words = _simwire.next_input()
            if words is None:
                break
            if not words:
                continue
            name = words[0]
            if name == "!":
                wake = True
                continue
            if len(words) == 1:
                values.pop(name, None)
            elif words[1][0] == "~":
                values[name] = make(words[1][1:], [float(w) for w in words[2:]])
            else:
                values[name] = float(words[1])
            if name in watched:
                changed = changed or []
                changed.append(name)
    finally:
        _simwire.busy -= 1
    return changed


def current(name, default=None):
    """Input ``name`` now (a number), or ``default`` when the host set none."""
    value = values.get(name)
    if value is None:
        return default
    if isinstance(value, list):
        return evaluate(value)
    return value


def is_generator(name):
    """Does a generator drive ``name`` (its changes come from the clock, not from a message)?"""
    return isinstance(values.get(name), list)


def make(kind, params):
    # params: rate (Hz), amplitude, offset; time starts when the host set it. A walk also keeps its
    # value and the time of its last step.
    now = ticks_ms()
    return [kind, params, now, params[2], now]


def evaluate(gen):
    kind, params, start = gen[0], gen[1], gen[2]
    rate, amplitude, offset = params[0], params[1], params[2]
    t = ticks_diff(ticks_ms(), start) / 1000
    if kind == "sine":
        return offset + amplitude * math.sin(2 * math.pi * rate * t)
    if kind == "square":
        return offset + (amplitude if (t * rate) % 1 < 0.5 else -amplitude)
    if kind == "triangle":
        phase = (t * rate) % 1
        return offset + amplitude * (4 * phase - 1 if phase < 0.5 else 3 - 4 * phase)
    if kind == "noise":
        return offset + amplitude * (2 * random.random() - 1)
    if kind == "walk":  # rate steps a second, each up to +-amplitude/10, kept within offset+-amplitude
        steps = int(ticks_diff(ticks_ms(), gen[4]) * rate / 1000)
        if steps:
            value = gen[3]
            for _ in range(min(steps, 1000)):
                value += amplitude * (2 * random.random() - 1) / 10
                value = min(max(value, offset - amplitude), offset + amplitude)
            gen[3] = value
            gen[4] = ticks_add(gen[4], int(steps * 1000 / rate))
        return gen[3]
    return offset
