# Signal generators the host sends as a formula ("~kind rate amplitude offset", see simulator/wire.py),
# evaluated in the VM whenever code reads the input (MicroPython source): a tight loop sampling an ADC
# sees a smooth sine with no traffic on the pipe.
import math
import random

from _board import setting
from utime import ticks_add, ticks_diff, ticks_ms

# MICROPYTHON_KERNEL_SEED (the host passes MPK_SEED, simulator/seed.py): noise, walks and the user's own
# `random` draw the same numbers in every fresh VM, so one submission graded twice gets the same grade.
if setting("MPK_SEED"):
    random.seed(int(setting("MPK_SEED")))


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
