"""%status and %lsmagic as rich output: an HTML table, and a text/plain that fits 79 columns and
wraps only between words; %status's heap figures agree with the board's heap size."""

from __future__ import annotations

import re

from tests.kernel_driver import CellRun


def _bundle(run: CellRun) -> dict[str, str]:
    [shown] = run.of_type("display_data")
    return shown["content"]["data"]


def _wraps_between_words(plain: str, source_words: set[str]) -> None:
    for line in plain.splitlines():
        for word in line.split():
            assert len(line) <= 79 or len(line.split()) == 1 or word in source_words, line
            assert word in source_words, f"{word!r} is not a whole word ({line!r})"


def test_lsmagic_is_a_table_that_fits(kernel):
    run = kernel.execute("%lsmagic")
    assert run.status == "ok" and not run.stdout, run.error
    bundle = _bundle(run)
    assert (
        bundle["text/html"].startswith('<table class="mpk-table">')
        and "<code>%status</code>" in bundle["text/html"]
    )
    plain = bundle["text/plain"]
    assert max(len(line) for line in plain.splitlines()) <= 79
    from micropython_kernel.kernel.magics import MAGICS

    words = {w for m in MAGICS.values() for w in (m.usage + " " + m.help).split()}
    words |= set("Magics (everything else runs on the target as MicroPython):".split())
    _wraps_between_words(plain, words)


def test_status_is_a_table_and_its_heap_adds_up(kernel):
    run = kernel.execute("%connect sim esp32\n%status")
    assert run.status == "ok", run.error
    bundle = _bundle(run)
    assert "<td" in bundle["text/html"] and "heap size:" in bundle["text/html"]
    plain = bundle["text/plain"]
    assert all(len(line) <= 79 or " " not in line.strip() for line in plain.splitlines())
    size = int(re.search(r"heap size:\s+(\d+) KB", run.text).group(1))
    free, used, total = (
        int(n.replace(",", ""))
        for n in re.search(r"([\d,]+) bytes free, ([\d,]+) used, ([\d,]+) total", run.text).groups()
    )
    assert free + used == total == size * 1024  # the board's heap, not the simulator's larger one
