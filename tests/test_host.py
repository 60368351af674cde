"""From the board to Python data, through jupyter_client: %capture, %%host, %export, host errors."""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kernel_driver import KernelSession

PRINTING_LOOP = """%capture env
for i in range(200):
    print('temp:%.2f hum:%d' % (20 + i * 0.01, 40 + i % 3))
%capture stop"""


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("notebook")


@pytest.fixture(scope="module")
def kernel(notebook_dir: Path) -> Iterator[KernelSession]:
    """A kernel started in a notebook folder of its own (where %export writes)."""
    session = KernelSession(cwd=str(notebook_dir))
    run = session.execute("board_value = 7")
    assert run.status == "ok"
    run = session.execute(PRINTING_LOOP.rsplit("\n", 1)[0])
    assert run.status == "ok", run.error
    assert session.execute("%capture stop").stdout.startswith("stopped: env: 200 samples of temp, hum")
    yield session
    session.close()


def test_host_cell_analyses_the_capture_with_pandas(kernel: KernelSession) -> None:
    run = kernel.execute(
        "%%host\nenv = captures['env']\n"
        "print(type(env).__name__, env.index.name, list(env.columns), len(env))\n"
        "round(env['temp'].mean(), 3)"
    )
    assert run.status == "ok", run.error
    assert run.stdout == "DataFrame host_time ['temp', 'hum'] 200\n"
    result = run.of_type("execute_result")[0]["content"]
    assert result["data"]["text/plain"] == "np.float64(20.995)"
    assert result["execution_count"] == run.reply["content"]["execution_count"]


def test_host_cell_has_session_data_and_raw_lines(kernel: KernelSession) -> None:
    run = kernel.execute("for i in range(3):\n    print('reading', i)\nprint(1.5, 2.5)")
    assert run.status == "ok"
    run = kernel.execute("%%host\nprint(lines[-4:])\nprint(data.iloc[-1].to_dict())\ndata.tail(2)")
    assert run.status == "ok", run.error
    assert run.stdout.splitlines()[0] == "['reading 0', 'reading 1', 'reading 2', '1.5 2.5']"
    last = eval(run.stdout.splitlines()[1], {"nan": float("nan")})  # {'temp': nan, ..., '0': 1.5, '1': 2.5}
    assert (last["0"], last["1"]) == (1.5, 2.5)
    assert "text/html" in run.of_type("execute_result")[0]["content"]["data"]  # pandas' rich repr


def test_matplotlib_plot_arrives_as_png(kernel: KernelSession) -> None:
    run = kernel.execute(
        "%%host\nimport matplotlib.pyplot as plt\ncaptures['env'].plot(y='temp')\nplt.show()"
    )
    assert run.status == "ok", run.error
    images = [m for m in run.of_type("display_data") if "image/png" in m["content"]["data"]]
    assert len(images) == 1


def test_export_writes_the_capture_as_csv(kernel: KernelSession, notebook_dir: Path) -> None:
    run = kernel.execute("%export env data/env.csv")
    assert run.status == "error" and "data/env.csv" in run.error["evalue"]  # no such folder yet
    (notebook_dir / "data").mkdir()
    run = kernel.execute("%export env data/env.csv")
    assert run.status == "ok", run.error
    assert run.stdout == "wrote 200 samples of 'env' to data/env.csv\n"
    with open(notebook_dir / "data" / "env.csv", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["host_time", "temp", "hum"] and len(rows) == 201
    times = [float(row[0]) for row in rows[1:]]
    assert times == sorted(times) and 0 <= times[0] < 30
    assert [float(v) for v in rows[1][1:]] == [20.0, 40.0] and [float(v) for v in rows[-1][1:]] == [
        21.99,
        41.0,
    ]


def test_export_refuses_paths_outside_the_notebook_folder(kernel: KernelSession, notebook_dir: Path) -> None:
    for path in ["../escape.csv", "/tmp/escape.csv", "data/../../escape.csv"]:
        run = kernel.execute(f"%export env {path}")
        assert run.status == "error" and run.error["ename"] == "UsageError", path
        assert "notebook's folder" in run.error["evalue"]
    assert not (notebook_dir.parent / "escape.csv").exists()


def test_unknown_capture_is_a_clear_error(kernel: KernelSession) -> None:
    run = kernel.execute("%export nope x.csv")
    assert run.error["ename"] == "UsageError" and "no capture named 'nope'" in run.error["evalue"]
    run = kernel.execute("%%host\ncaptures['nope']")
    assert run.error["ename"] == "KeyError" and "%capture NAME" not in run.error["evalue"]


def test_host_errors_are_cpython_errors_and_the_board_keeps_its_variables(kernel: KernelSession) -> None:
    run = kernel.execute("%%host\ndef ratio(a, b):\n    return a / b\n\nratio(1, 0)")
    assert run.status == "error"
    assert run.reply["content"]["ename"] == "ZeroDivisionError"
    assert run.error["evalue"] == "division by zero"  # CPython's words (MicroPython says "divide by zero")
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(run.error["traceback"]))  # without colours
    assert "ratio(1, 0)" in text and "return a / b" in text  # IPython's own traceback with the source
    run = kernel.execute("print(board_value)")
    assert run.stdout == "7\n"
    assert kernel.execute("%%host\nprint('host fine')").stdout == "host fine\n"


def test_host_and_board_namespaces_are_separate(kernel: KernelSession) -> None:
    assert kernel.execute("%%host\nhost_only = 1").status == "ok"
    assert kernel.execute("print(host_only)").error["ename"] == "NameError"
    assert kernel.execute("%%host\nboard_value").error["ename"] == "NameError"


def test_stop_button_interrupts_a_host_cell(kernel: KernelSession) -> None:
    timer = threading.Timer(1.0, kernel.interrupt)
    timer.start()
    run = kernel.execute("%%host\nimport time\nfor _ in range(600):\n    time.sleep(0.1)", timeout=30)
    timer.join()
    assert run.status == "error" and run.error["ename"] == "KeyboardInterrupt"
    assert kernel.execute("print(board_value)").stdout == "7\n"
    assert kernel.execute("%%host\nprint('after stop')").stdout == "after stop\n"


def test_capture_lists_and_clears(kernel: KernelSession) -> None:
    listing = kernel.execute("%capture").stdout
    assert listing.startswith("no capture running; session recording (data, lines): on\nsession: ")
    assert "env: 200 samples of temp, hum from 1 cell" in listing
    assert kernel.execute("%capture clear").status == "ok"
    run = kernel.execute("%%host\nprint(len(data), len(lines), len(captures['env']))")
    assert run.stdout == "0 0 200\n"
    assert kernel.execute("%capture session").error["ename"] == "UsageError"


def test_session_recording_can_be_turned_off(kernel: KernelSession) -> None:
    assert kernel.execute("%capture clear").status == "ok"
    assert kernel.execute("%capture off").stdout == "session recording (data, lines) off\n"
    # A named capture still records.
    assert kernel.execute("%capture quiet\nprint(1)\nprint(2)").status == "ok"
    assert "session recording (data, lines): off" in kernel.execute("%capture stop\n%capture").stdout
    assert kernel.execute("%capture on").status == "ok"
    run = kernel.execute("%%host\nprint(len(data), len(lines), len(captures['quiet']))")
    assert run.stdout == "0 0 2\n"


RAMP = """%capture ramp
import time
for i in range(1, 11):
    print('level:%d' % (i * 1000))
    time.sleep(0.05)"""

# Reads the ADC on the board until the replay has reached its last value (or 10 s went by).
READ_BACK = """import time
from machine import ADC, Pin
adc = ADC(Pin(34))
seen = []
start = time.ticks_ms()
while time.ticks_diff(time.ticks_ms(), start) < 10000:
    value = adc.read_u16()
    if not seen or seen[-1] != value:
        seen.append(value)
    if value == 10000 and len(seen) > 1:
        break
    time.sleep_ms(5)
print(seen)"""


def test_replay_a_capture_into_an_adc_and_read_it_back_on_the_board(kernel: KernelSession) -> None:
    assert kernel.execute(RAMP).status == "ok"
    assert kernel.execute("%capture stop").stdout.startswith("stopped: ramp: 10 samples of level")
    run = kernel.execute("%replay ramp GPIO34\n" + READ_BACK)
    assert run.status == "ok", run.error
    announced, values = run.stdout.splitlines()
    assert announced.startswith("replaying 10 values of 'level' from 'ramp' into GPIO34 over 0.")
    seen = eval(values)
    recorded = [1000 * i for i in range(1, 11)]
    assert seen[-1] == 10000 and len(seen) >= 3
    assert seen == sorted(seen) and set(seen) <= set(recorded)  # the recording's values, in order
    assert kernel.execute("%replay stop GPIO34").stdout == "GPIO34 released\n"
    assert kernel.execute("import _simhw\nprint(_simhw.value_of('GPIO34', -1))").stdout == "-1\n"


def test_replay_an_exported_csv_file(kernel: KernelSession, notebook_dir: Path) -> None:
    assert kernel.execute("%export ramp ramp.csv").status == "ok"
    assert (notebook_dir / "ramp.csv").read_text().startswith("host_time,level\n")
    run = kernel.execute("%replay ramp.csv adc34\n" + READ_BACK)
    assert run.status == "ok", run.error
    assert "into GPIO34" in run.stdout
    seen = eval(run.stdout.splitlines()[-1])
    assert seen[-1] == 10000 and set(seen) <= {1000 * i for i in range(1, 11)}
    kernel.execute("%replay stop GPIO34")


def test_replay_explains_what_it_needs(kernel: KernelSession) -> None:
    run = kernel.execute("%replay env GPIO34")
    assert "has series temp, hum: pick one with --column NAME" in run.error["evalue"]
    run = kernel.execute("%replay nothing.csv GPIO34")
    assert "neither a capture" in run.error["evalue"]
    run = kernel.execute("%replay ramp NOPIN")
    assert "not an input of the simulated esp32" in run.error["evalue"]


def test_lsmagic_lists_the_data_magics(kernel: KernelSession) -> None:
    listing = kernel.execute("%lsmagic").text
    for usage in ["%%host", "%capture [NAME", "%export NAME FILE.csv", "%replay SOURCE INPUT"]:
        assert usage in listing
    assert "captures['NAME']" in listing and "data (DataFrame" in listing


def test_a_replaced_capture_is_seen_afresh(kernel: KernelSession) -> None:
    for values in ([1, 2, 3], [4, 5, 6]):  # same size and series: only the values tell them apart
        assert kernel.execute(f"%capture again\nfor v in {values}:\n    print(v)").status == "ok"
        assert kernel.execute("%capture stop").status == "ok"
        run = kernel.execute("%%host\nprint(captures['again']['0'].tolist())")
        assert run.stdout == f"{[float(v) for v in values]}\n"
