"""MICROPYTHON_KERNEL_SEED: two kernels with one seed read the same noise and draw the same `random`
numbers (a graded submission gets the same grade twice); without it, runs differ as on a board."""

from __future__ import annotations

import os

from tests.kernel_driver import KernelSession

# Ten noisy ADC readings and three of the user's own random numbers, printed as one line.
DRAWS = """\
import machine, random
adc = machine.ADC(machine.Pin(34))
print([adc.read_u16() for _ in range(10)], [random.getrandbits(16) for _ in range(3)])
"""


def _draws(seed: str | None) -> str:
    env = dict(os.environ)
    env.pop("MICROPYTHON_KERNEL_SEED", None)
    if seed is not None:
        env["MICROPYTHON_KERNEL_SEED"] = seed
    session = KernelSession(env=env)
    try:
        run = session.execute("%signal GPIO34 noise amplitude=20000 offset=30000")
        assert run.status == "ok", run.error
        run = session.execute(DRAWS)
        assert run.status == "ok", run.error
        first = run.stdout.strip()
        # A fresh VM (as after a crash or %reset) starts the same sequence again.
        assert session.execute("%reset").status == "ok"
        again = session.execute(DRAWS).stdout.strip()
        return first + "\n" + again
    finally:
        session.close()


def test_one_seed_gives_the_same_noise_and_random_numbers():
    first = _draws("1234")
    assert first == _draws("1234")
    before, after_reset = first.splitlines()
    assert before == after_reset
    readings = eval(before.split("] [")[0] + "]")  # the ten ADC values: noise, not a constant
    assert len(set(readings)) > 5 and all(10000 <= r <= 50000 for r in readings)
    assert _draws("99").splitlines()[0] != before  # another seed, other numbers


def test_no_seed_draws_differently():
    assert _draws(None).splitlines()[0] != _draws(None).splitlines()[0]


def test_a_seed_that_is_no_integer_is_a_clear_error():
    env = dict(os.environ, MICROPYTHON_KERNEL_SEED="abc")
    session = KernelSession(env=env)
    try:
        run = session.execute("print(1)")
        assert run.status == "error"
        assert "MICROPYTHON_KERNEL_SEED" in run.error["evalue"] and "integer" in run.error["evalue"]
        assert session.is_alive()
    finally:
        session.close()
