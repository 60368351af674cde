"""The widget protocol as the ipywidgets frontend uses it, through jupyter_client.

The frontend sends a widget's next update only after it has seen ``status: idle`` parented to the
previous one (ipywidgets' throttling), so every comm message the kernel handles, during a cell or
between cells, must get its own busy/idle; else a control works once during a cell, then never.
"""

from __future__ import annotations

import pytest

from tests.kernel_driver import KernelSession, MessagePump

LOOP_WITH_A_BUTTON = (
    "from machine import Pin\n"
    "import time\n"
    "b = Pin(0, Pin.IN, Pin.PULL_UP)\n"
    "last = b.value()\n"
    "print('start', last)\n"
    "seen = 0\n"
    "for i in range(1200):\n"  # (at most 2 minutes on a loaded machine)
    "    v = b.value()\n"
    "    if v != last:\n"
    "        seen += 1\n"
    "        last = v\n"
    "        print('seen', v)\n"
    "    if seen >= {moves}:\n"
    "        break\n"
    "    time.sleep_ms(100)\n"
    "print('changes', seen)\n"
)


@pytest.fixture()
def pump():
    session = KernelSession()
    yield MessagePump(session)
    session.close()


def _toggle_for(pump: MessagePump, msg_id: str, name: str) -> tuple[str, bool]:
    """The comm id and value of the toggle control for input ``name`` opened by cell ``msg_id``."""
    for comm_id, state in pump.comm_opens(msg_id).items():
        if state.get("_model_name") == "ToggleButtonModel" and state.get("description") == name:
            return comm_id, bool(state["value"])
    raise AssertionError(f"no control for {name}")


def _opened(pump: MessagePump, msg_id: str, name: str) -> bool:
    return any(s.get("description") == name for s in pump.comm_opens(msg_id).values())


def test_a_control_moved_4_times_during_a_loop_is_seen_4_times(pump):
    shown = pump.execute("%board")
    assert pump.wait_for(lambda: pump.idle(shown))
    cell = pump.execute(LOOP_WITH_A_BUTTON.format(moves=4))
    assert pump.wait_for(lambda: "start" in pump.stdout(cell) and _opened(pump, cell, "GPIO0"))
    comm_id, value = _toggle_for(pump, cell, "GPIO0")
    # A PULL_UP input reads 1: its button is released (a press pulls it low).
    assert "start 1" in pump.stdout(cell) and value is False
    for move in range(1, 5):
        value = not value
        update, _ = pump.send_update(comm_id, {"value": value})
        # As the browser does: the next move only after the idle of this one.
        assert pump.wait_for(lambda update=update: pump.idle(update), timeout=30), (
            f"move {move}: no idle for the comm message while the cell runs"
        )
        assert pump.states(update) == ["busy", "idle"]
        assert pump.wait_for(lambda move=move: pump.stdout(cell).count("seen") >= move, timeout=30), (
            f"move {move} not seen by the board: {pump.stdout(cell)!r}"
        )
    assert pump.wait_for(lambda: pump.idle(cell))
    assert "changes 4" in pump.stdout(cell)
    # ... and once more after the cell, when the kernel is idle.
    value = not value
    update, _ = pump.send_update(comm_id, {"value": value})
    assert pump.wait_for(lambda: pump.idle(update), timeout=30)
    assert pump.states(update) == ["busy", "idle"]
    check = pump.execute("print(b.value())")
    assert pump.wait_for(lambda: pump.idle(check))
    assert value is True and pump.stdout(check).strip() == "0"  # pressed: pulled low


def test_every_comm_message_during_and_between_cells_gets_busy_idle(pump):
    shown = pump.execute("%plot")
    assert pump.wait_for(lambda: pump.idle(shown))
    window = next(
        comm_id
        for comm_id, state in pump.comm_opens(shown).items()
        if state.get("_model_name") == "BoundedIntTextModel" and state.get("description") == "window"
    )
    cell = pump.execute("import time\nfor i in range(60):\n    print(i)\n    time.sleep(0.1)")
    assert pump.wait_for(lambda: "3\n" in pump.stdout(cell))
    during = []
    for size in (50, 60, 70):  # sent at once, as several controls moved together would be
        during.append(pump.send_update(window, {"value": size})[0])
    assert pump.wait_for(lambda: all(pump.idle(m) for m in during), timeout=30)
    assert not pump.idle(cell), "the cell ended before the test could check it"
    for msg_id in during:
        assert pump.states(msg_id) == ["busy", "idle"]
    assert pump.wait_for(lambda: pump.idle(cell))
    # The kernel is busy again with the cell after each comm message: a frontend's indicator (which
    # follows every status message) does not say "idle" while the cell still runs.
    statuses = [
        (m["parent_header"].get("msg_id"), m["content"]["execution_state"])
        for m in pump.arrived
        if m["msg_type"] == "status"
    ]
    last_comm_idle = max(i for i, status in enumerate(statuses) if status == (during[-1], "idle"))
    assert statuses[last_comm_idle + 1] == (cell, "busy"), statuses[last_comm_idle:]
    assert pump.states(cell).count("busy") >= 1 + len(during)
    between = pump.send_update(window, {"value": 100})[0]
    assert pump.wait_for(lambda: pump.idle(between), timeout=30)
    assert pump.states(between) == ["busy", "idle"]
