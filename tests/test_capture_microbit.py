"""The same capture from a real board's serial line: the micro:bit firmware (v1.9.2) under QEMU."""

from __future__ import annotations

from pathlib import Path

from tests.kernel_driver import KernelSession

LOOP = """%capture mb
from microbit import running_time, sleep
for i in range(30):
    print('t:%d v:%d' % (running_time(), i * i))
    sleep(20)"""


def test_capture_from_the_microbit_analyse_and_export(
    board_kernel: KernelSession, notebook_folder: Path
) -> None:
    run = board_kernel.execute(LOOP, timeout=60)
    assert run.status == "ok", run.error
    assert board_kernel.execute("%capture stop").stdout == "stopped: mb: 30 samples of t, v from 1 cell\n"
    # The capture holds exactly the times the board printed. (Not asserted: that they increase. Under a
    # loaded host QEMU's emulated clock was seen to step back: `t:1502` then `t:1442` in the board's own
    # output.)
    run = board_kernel.execute(
        "%%host\nmb = captures['mb']\nlast = lines[-1].split()[-1]\n"
        "printed = [float(line.split()[0][2:]) for line in lines[-30:]]\n"
        "print(len(mb), list(mb.columns), mb['v'].iloc[-1], list(mb['t']) == printed, last)"
    )
    assert run.status == "ok", run.error
    assert run.stdout == "30 ['t', 'v'] 841.0 True v:841\n"  # CR LF lines arrive as plain lines
    assert board_kernel.execute("%export mb mb.csv").status == "ok"
    rows = (notebook_folder / "mb.csv").read_text().splitlines()
    assert rows[0] == "host_time,t,v" and len(rows) == 31 and rows[-1].endswith(",841.0")
