"""Widget traffic and lag on the simulated board, measured through jupyter_client as a frontend sees it.

Prints:
- comm messages a second, and toggles per comm message, while a tight loop toggles a pin (100,000
  times, and for 2 s) with %board shown (the coalescer's job: at most ~30 redraws a second whatever
  the loop does);
- the same for a flood of printed data lines with %plot shown;
- the lag from a pin change in the VM (its wall clock, time.time_ns()) to the comm message that shows
  it at the client, against the baseline of the same path for printed text (a stream message);
- bytes and comm messages a second per view (board, plot, heap) with all three shown under a flood;
- the time from a control's comm message sent during a running loop to its status idle (the frontend
  sends the next change only after it: docs/architecture.md, "Widget messages").

Run: python benchmarks/widget_rate.py  (from the repository, with the package installed)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.kernel_driver import KernelSession, MessagePump  # noqa: E402

TOGGLES = 100_000
sliders: list[str] = []  # comm ids of the GPIO34 slider (it is made once, when the code first uses the ADC)


def flood(session: KernelSession, setup: str, code: str, label: str, units: int) -> None:
    session.execute(setup)
    started = time.monotonic()
    run = session.execute(code)
    elapsed = time.monotonic() - started
    assert run.status == "ok", run.error
    messages = len(run.of_type("comm_msg"))
    size = sum(len(json.dumps(m["content"])) for m in run.of_type("comm_msg"))
    print(
        f"{label}: {units:,} changes in {elapsed:.2f} s -> {messages} comm messages "
        f"({messages / elapsed:.1f}/s, {units / max(messages, 1):,.0f} changes per message), "
        f"{size / 1024:.1f} KB ({size / 1024 / elapsed:.1f} KB/s)"
    )


def per_view(session: KernelSession) -> None:
    """Bytes and messages a second per view with %board, %plot and %heap shown, under a flood of
    pin toggles and data lines together (a comm belongs to a view when it opened in its cell)."""
    views = {}
    for magic in ("%board", "%plot --hide-data", "%heap"):
        run = session.execute(magic)
        views[magic.split()[0]] = {m["content"]["comm_id"] for m in run.of_type("comm_open")}
    code = (
        "import _simhw, time\nc = _simhw.code_for('pin', 'GPIO4')\n"
        "end = time.ticks_add(time.ticks_ms(), 3000)\ni = 0\n"
        "while time.ticks_diff(end, time.ticks_ms()) > 0:\n"
        "    _simhw.level(c, i & 1)\n    print('a:%d b:%d' % (i, -i))\n    i += 1\n"
        "    if i % 500 == 0:\n        time.sleep_ms(1)\n"
    )
    started = time.monotonic()
    run = session.execute(code, timeout=120)
    elapsed = time.monotonic() - started
    for name, comms in views.items():
        mine = [m for m in run.of_type("comm_msg") if m["content"]["comm_id"] in comms]
        size = sum(len(json.dumps(m["content"])) for m in mine)
        print(
            f"{name} under a 3 s flood (all three views shown): {len(mine) / elapsed:.1f} messages/s, "
            f"{size / 1024 / elapsed:.1f} KB/s"
        )


def control_idle(session: KernelSession, moves: int = 10) -> list[float]:
    """Milliseconds from a control's comm message (sent while a loop runs, each after the previous
    one's idle, as the ipywidgets frontend does) to its status idle."""
    pump = MessagePump(session)
    shown = pump.execute("%plot")
    pump.wait_for(lambda: pump.idle(shown))
    window = next(
        c for c, s in pump.comm_opens(shown).items() if s.get("_model_name") == "BoundedIntTextModel"
    )
    cell = pump.execute("import time\nfor i in range(100):\n    print(i)\n    time.sleep(0.1)")
    pump.wait_for(lambda: "3\n" in pump.stdout(cell))
    lags = []
    for move in range(moves):
        update, sent = pump.send_update(window, {"value": 50 + move})
        if pump.wait_for(lambda update=update: pump.idle(update), timeout=30):
            lags.append((pump.idle_at(update) - sent) * 1000)
    session.interrupt()
    pump.wait_for(lambda: pump.idle(cell))
    return lags


def pin_lag(session: KernelSession, changes: int = 30) -> list[float]:
    """Milliseconds from each pin change (VM clock) to the comm message showing it (client clock)."""
    session.execute("%board")
    code = (
        "import _simhw, time\n"
        "c = _simhw.code_for('pin', 'GPIO2')\n"
        "stamps = []\n"
        f"for i in range({changes}):\n"
        "    stamps.append(time.time_ns())\n"
        "    _simhw.level(c, (i + 1) % 2)\n"
        "    _simhw.sleep_ms(50)\n"
    )
    shown: list[tuple[int, str]] = []  # (client time_ns, level)

    def on_message(message: dict) -> None:
        if message["msg_type"] == "comm_msg":
            pins = message["content"]["data"].get("state", {}).get("pins")  # the board picture's state
            level = pins.get("GPIO2", {}).get("v") if isinstance(pins, dict) else None
            if level is not None:
                shown.append((time.time_ns(), str(level)))

    run = session.execute(code, on_message=on_message)
    assert run.status == "ok", run.error
    stamps = [int(s) for s in session.execute("print(' '.join(str(s) for s in stamps))").stdout.split()]
    lags = []
    for i, stamp in enumerate(stamps):
        level = str((i + 1) % 2)
        arrival = next((t for t, lv in shown if t >= stamp and lv == level), None)
        if arrival is not None:
            lags.append((arrival - stamp) / 1e6)
    return lags


def input_lag(session: KernelSession, tries: int = 10) -> list[float]:
    """Milliseconds from a slider moved at the client (a comm_msg) to the VM seeing the new value."""
    lags = []
    for attempt in range(tries):
        target = 1000 + attempt
        code = (
            "import _simhw, time\n"
            "_simhw.emit('adc', 'GPIO34', 0)\n_simhw.flush()\n"
            f"while _simhw.value_of('GPIO34', 0) != {target}:\n    pass\n"
            "print('seen', time.time_ns())\n"
        )
        sent: list[int] = []

        def on_message(message: dict, target: int = target, sent: list[int] = sent) -> None:
            state = message["content"].get("data", {}).get("state", {})
            if message["msg_type"] == "comm_open" and state.get("description") == "GPIO34" and not sent:
                slider = message["content"]["comm_id"]
                sliders.append(slider)
            if sliders and not sent and message["msg_type"] in ("comm_open", "comm_msg", "stream"):
                content = {"comm_id": sliders[-1], "data": {"method": "update", "state": {"value": target}}}
                sent.append(time.time_ns())
                session.client.shell_channel.send(session.client.session.msg("comm_msg", content))

        run = session.execute(code, on_message=on_message, timeout=30)
        seen = [int(line.split()[1]) for line in run.stdout.splitlines() if line.startswith("seen")]
        if sent and seen:
            lags.append((seen[0] - sent[0]) / 1e6)
    return lags


def print_lag(session: KernelSession, lines: int = 30) -> list[float]:
    """The baseline: milliseconds from a print in the VM to its stream message at the client."""
    arrivals: list[tuple[int, str]] = []

    def on_message(message: dict) -> None:
        if message["msg_type"] == "stream":
            now = time.time_ns()
            arrivals.extend((now, word) for word in message["content"]["text"].split())

    code = f"import time\nfor i in range({lines}):\n    print(time.time_ns())\n    time.sleep_ms(50)\n"
    session.execute(code, on_message=on_message)
    return [(t - int(w)) / 1e6 for t, w in arrivals if w.isdigit()]


def describe(lags: list[float]) -> str:
    if not lags:
        return "no samples"
    lags = sorted(lags)
    return (
        f"median {statistics.median(lags):.1f} ms, p90 {lags[int(0.9 * (len(lags) - 1))]:.1f} ms, "
        f"max {lags[-1]:.1f} ms ({len(lags)} samples)"
    )


def main() -> None:
    session = KernelSession()
    try:
        session.execute("pass")  # start the VM
        toggle = (
            "import _simhw\nc = _simhw.code_for('pin', 'GPIO4')\n"
            f"for i in range({TOGGLES}):\n    _simhw.level(c, i & 1)\n"
        )
        timed = (
            "import _simhw, time\nc = _simhw.code_for('pin', 'GPIO4')\nn = 0\n"
            "end = time.ticks_add(time.ticks_ms(), 2000)\n"
            "while time.ticks_diff(end, time.ticks_ms()) > 0:\n"
            "    for i in range(1000):\n        _simhw.level(c, i & 1)\n    n += 1000\n"
        )
        # The VM's speed with no view shown, then with the panel, three runs each (this machine's load
        # varies a lot from run to run: compare the medians).
        baseline = []
        for _ in range(3):
            session.execute(timed)
            baseline.append(int(session.execute("print(n)").stdout))
        print(f"no view shown, a 2 s tight toggle loop: median {statistics.median(baseline):,.0f} toggles")
        flood(session, "%board", toggle, f"%board, {TOGGLES:,} pin toggles", TOGGLES)
        counts, rates = [], []
        for _ in range(3):
            started = time.monotonic()
            run = session.execute(timed)
            rates.append(len(run.of_type("comm_msg")) / (time.monotonic() - started))
            counts.append(int(session.execute("print(n)").stdout))
        print(
            f"%board, a 2 s tight toggle loop: median {statistics.median(counts):,.0f} toggles, "
            f"{statistics.median(rates):.1f} comm messages/s; VM speed with the panel / without: "
            f"{statistics.median(counts) / statistics.median(baseline):.2f}"
        )
        lines = f"for i in range({TOGGLES}):\n    print(i)\n"
        flood(session, "%plot --hide-data", lines, f"%plot, {TOGGLES:,} printed data lines", TOGGLES)
        session.execute("%plot --show-data")
        per_view(session)
        session.execute("%plot --show-data")
        idle = control_idle(session)
        print(f"control moved during a loop -> its status idle: {describe(idle)}")
        widget = pin_lag(session)
        inputs = input_lag(session)
        text = print_lag(session)
        print(f"pin change in the VM -> comm message at the client: {describe(widget)}")
        print(f"baseline, print in the VM -> stream message:       {describe(text)}")
        print(f"slider moved at the client -> the VM reads it:      {describe(inputs)}")
        if widget and text:
            ratio = statistics.median(widget) / statistics.median(text)
            print(f"widget lag / text lag (medians): {ratio:.2f}")
    finally:
        session.close()


if __name__ == "__main__":
    main()
