"""The coalescer on its own, on an asyncio loop: rate limit, final flush, slow views, bounded state."""

from __future__ import annotations

import asyncio
import time

from micropython_kernel.board.state import PINS, BoardState, HardwareEvent
from micropython_kernel.widgets.coalescer import Coalescer


class Recorder:
    def __init__(self, cost: float = 0.0) -> None:
        self.calls: list[tuple[float, set[str]]] = []
        self.cost = cost

    def refresh(self, changed: set[str]) -> None:
        self.calls.append((time.monotonic(), changed))
        if self.cost:
            time.sleep(self.cost)


def test_many_changes_make_few_redraws_and_the_last_is_drawn() -> None:
    async def scenario() -> tuple[Recorder, Coalescer]:
        state = BoardState()
        coalescer = Coalescer(state, interval=1 / 30)
        view = Recorder()
        coalescer.add(view)
        end = time.monotonic() + 0.5
        n = 0
        while time.monotonic() < end:
            for _ in range(200):
                state.record_event(HardwareEvent(time.monotonic(), "pin", "GPIO2", n & 1))
                n += 1
            await asyncio.sleep(0.001)
        coalescer.flush()  # the end of a cell
        return view, coalescer

    view, coalescer = asyncio.run(scenario())
    assert 5 <= len(view.calls) <= 0.5 * 30 + 3
    assert PINS in view.calls[-1][1]
    assert coalescer.flushes == len(view.calls)


def test_a_slow_view_is_drawn_less_often_but_a_fast_one_is_not_held_back() -> None:
    async def scenario() -> tuple[Recorder, Recorder]:
        state = BoardState()
        coalescer = Coalescer(state, interval=0.01)
        slow, fast = Recorder(cost=0.02), Recorder()
        coalescer.add(slow)
        coalescer.add(fast)
        end = time.monotonic() + 0.6
        while time.monotonic() < end:
            state.add_data({"x": 1.0})
            await asyncio.sleep(0.002)
        coalescer.flush()
        return slow, fast

    slow, fast = asyncio.run(scenario())
    # slow: 20 ms a draw -> at most one draw per ~200 ms (plus the final one); fast: every ~10 ms.
    assert len(slow.calls) <= 0.6 / 0.2 + 3
    assert len(fast.calls) >= 3 * len(slow.calls)
