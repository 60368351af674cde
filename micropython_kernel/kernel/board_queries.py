"""Helper code the kernel runs on the target for the views (watched pins), and its parsing.

The heap's is in board/heap.py (every board reads its heap the same way).

Each runs inside a function that deletes itself, so the user's names (their own ``gc``, ``sys``) are
left untouched.
"""

from __future__ import annotations

# A real board tells the kernel nothing about its pins: the ones the user asked to watch are read after
# each cell and on the panel's refresh button. Pin(id) with no mode keeps the pin's configuration.
PINS_QUERY = """def _mpk_pins():
    out = []
    try:
        import machine
        for p in {ids!r}:
            try:
                out.append(str(machine.Pin(p).value()))
            except Exception:
                out.append('?')
    except ImportError:
        pass
    print('mpk-pins', ' '.join(out))
_mpk_pins()
del _mpk_pins"""


def parse_pins_report(text: str) -> list[int | None]:
    """The levels PINS_QUERY printed, in the order asked (None: the board could not read that pin)."""
    words = text.split("mpk-pins", 1)[-1].split()
    return [int(word) if word.isdigit() else None for word in words]
