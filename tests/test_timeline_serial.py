"""A real board's timeline: the pins given to %board --watch are sampled after each cell (a serial board
has no event channel), and the view and the export say the record is sampled, not exact. Run on the pty
board (the unix-port VM behind a UART, with the simulated ESP32's machine.Pin)."""

from __future__ import annotations

import json
import os

from tests.kernel_driver import KernelSession


def _custom_data(run) -> list[dict]:
    custom = [m["content"]["data"] for m in run.of_type("comm_msg")]
    return [c["content"] for c in custom if c.get("method") == "custom" and c["content"]["kind"] == "data"]


def test_watched_pins_are_sampled_into_the_timeline(unix_boards, notebook_folder):
    board = unix_boards()
    env = dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port)
    session = KernelSession(env=env, cwd=str(notebook_folder))
    try:
        run = session.execute("%board --watch 2", timeout=60)
        assert run.error is None, run.error
        for level in (1, 0, 1):
            run = session.execute(f"from machine import Pin\nPin(2, Pin.OUT).value({level})", timeout=60)
            assert run.error is None, run.error
        run = session.execute("%%host\nimport json\nprint(json.dumps(timeline.value.tolist()))")
        assert run.error is None, run.error
        levels = json.loads(run.stdout)
        assert levels[-3:] == [1.0, 0.0, 1.0]  # one sample after each cell
        run = session.execute("%timeline 2")
        assert run.error is None, run.error
        model = [m["content"]["data"]["state"] for m in run.of_type("comm_open")]
        notes = [state.get("note", "") for state in model]
        assert any("sampled, not exact" in note for note in notes), notes
        lanes = _custom_data(run)[-1]["lanes"]
        assert [lane["name"] for lane in lanes] == ["2"]
        run = session.execute("%export timeline watched.vcd")
        assert run.error is None and "sampled" in run.stdout, run.stdout
        assert (notebook_folder / "watched.vcd").read_text().count("$var wire 1") == 1
    finally:
        session.close()
