"""Host-side input is checked (issue 18): paths stay in the notebook's folder, files a magic reads are
bounded and never quoted in errors, bad hardware events are dropped, %%host can be switched off."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tests.kernel_driver import KernelSession

SECRET_LINE = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture(scope="module")
def host_kernel(notebook_folder):
    (notebook_folder / "inside.csv").write_text("t,v\n0,1\n0.5,2\n")
    session = KernelSession(cwd=str(notebook_folder))
    yield session
    session.close()


def error_text(cell) -> str:
    assert cell.error is not None, (cell.stdout, cell.stderr)
    return cell.error["evalue"] + "".join(cell.error["traceback"])


def test_a_csv_outside_the_notebook_folder_is_refused_without_its_content(host_kernel) -> None:
    for path in ("/etc/passwd", "../../../../etc/passwd", "/proc/self/environ"):
        cell = host_kernel.execute(f"%signal GPIO34 csv {path} column=zz")
        text = error_text(cell)
        assert "outside the notebook's folder" in text, text
        assert SECRET_LINE not in text and "PATH=" not in text
    assert host_kernel.execute("print('next')").stdout == "next\n"


def test_a_csv_error_never_quotes_the_file(host_kernel, notebook_folder) -> None:
    (notebook_folder / "secret.csv").write_text("my-password-is-hunter2,x\n1,2\n")
    text = error_text(host_kernel.execute("%signal GPIO34 csv secret.csv column=zz"))
    assert "hunter2" not in text and "column" in text
    text = error_text(host_kernel.execute("%replay secret.csv GPIO34 --column zz"))
    assert "hunter2" not in text


def test_devices_and_fifos_in_the_folder_are_refused(host_kernel, notebook_folder) -> None:
    (notebook_folder / "zero.csv").symlink_to("/dev/zero")  # resolves outside: refused
    text = error_text(host_kernel.execute("%signal GPIO34 csv zero.csv"))
    assert "outside the notebook's folder" in text
    os.mkfifo(notebook_folder / "fifo.csv")  # inside, but no regular file: refused at once
    started = time.monotonic()
    text = error_text(host_kernel.execute("%signal GPIO34 csv fifo.csv", timeout=30))
    assert "not a regular file" in text
    assert time.monotonic() - started < 25
    text = error_text(host_kernel.execute("%put fifo.csv"))
    assert "not a regular file" in text


def test_a_huge_csv_is_refused_by_size(host_kernel, notebook_folder) -> None:
    with open(notebook_folder / "huge.csv", "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    text = error_text(host_kernel.execute("%signal GPIO34 csv huge.csv"))
    assert "more than" in text and "allowed" in text


def test_a_big_csv_parse_stops_with_the_stop_button(host_kernel, notebook_folder) -> None:
    rows = "".join(f"{i / 1000},{i % 7}\n" for i in range(700_000))  # ~8 MB, within the limit
    (notebook_folder / "big.csv").write_text(rows)
    timer = threading.Timer(0.3, host_kernel.interrupt)
    timer.start()
    cell = host_kernel.execute("%signal GPIO34 csv big.csv", timeout=120)
    timer.join()
    assert cell.status == "error"
    assert host_kernel.execute("print('after')").stdout == "after\n"


def test_plot_export_writes_only_inside_the_folder(host_kernel, tmp_path) -> None:
    outside = tmp_path / "x.csv"
    text = error_text(host_kernel.execute(f"%plot --export {outside}"))
    assert "outside the notebook's folder" in text
    assert not outside.exists()
    cell = host_kernel.execute("%plot --export plot.csv")
    assert cell.status == "ok", cell.error


def test_chdir_in_a_host_cell_does_not_move_the_notebook_folder(host_kernel, notebook_folder) -> None:
    cell = host_kernel.execute("%%host\nimport os\nos.chdir('/')\nprint(os.getcwd())")
    assert cell.stdout == "/\n", cell.error
    text = error_text(host_kernel.execute("%put etc/hostname"))
    assert "no such file here" in text or "outside" in text
    cell = host_kernel.execute("%put inside.csv")  # still relative to the notebook's folder
    assert cell.status == "ok", cell.error
    host_kernel.execute(f"%%host\nos.chdir({str(notebook_folder)!r})")


def test_bad_hardware_events_are_dropped_and_counted(host_kernel) -> None:
    assert host_kernel.execute("kept = 7").status == "ok"
    for bad in (
        "_simhw.emit('pin', 'GPIO2', float('inf'))",
        "_simhw.emit('pwm', 'GPIO2', '0.5,inf')",
        "_simhw.emit('adc', 'GPIO34', float('nan'))",
        "_simhw.emit('display', 'm', '1:abc')",
        "_simhw.emit('background', 'vm', 'x')",
    ):
        cell = host_kernel.execute(f"import _simhw\n{bad}\n_simhw.flush()")
        assert cell.status == "ok", (bad, cell.error)
    cell = host_kernel.execute("%status")
    assert cell.status == "ok", cell.error
    assert "malformed hardware events dropped" in cell.text
    assert host_kernel.execute("print(kept)").stdout == "7\n"
    assert host_kernel.execute("%reset").status == "ok"
    assert host_kernel.execute("print('fresh')").stdout == "fresh\n"


def test_a_deeply_nested_cell_is_the_users_error(host_kernel) -> None:
    host_kernel.execute("y = 5")
    cell = host_kernel.execute("x = " + "-" * 100_000 + "1")
    assert cell.error is not None
    assert "internal kernel error" not in cell.error["evalue"]
    assert cell.error["ename"] in ("MemoryError", "RuntimeError", "SyntaxError"), cell.error
    assert host_kernel.execute("print(y)").stdout == "5\n"


@pytest.mark.parametrize("how", ["env", "setting"])
def test_host_cells_can_be_switched_off(how, tmp_path) -> None:
    env = dict(os.environ)
    if how == "env":
        env["MICROPYTHON_KERNEL_HOST"] = "off"
    else:
        profile = tmp_path / "ipython" / "profile_default"
        profile.mkdir(parents=True)
        (profile / "ipython_kernel_config.py").write_text("c.MicroPythonKernel.allow_host = False\n")
        env["IPYTHONDIR"] = str(tmp_path / "ipython")
    session = KernelSession(env=env, cwd=str(tmp_path))
    try:
        marker = tmp_path / "ran"
        cell = session.execute(f"%%host\nopen({str(marker)!r}, 'w').close()")
        assert cell.error is not None and "switched off" in cell.error["evalue"]
        assert not marker.exists()
        assert session.execute("print(6 * 7)").stdout == "42\n"
    finally:
        session.close()


def test_install_no_host_writes_the_setting() -> None:
    from micropython_kernel.install import kernel_json

    assert "--MicroPythonKernel.allow_host=False" in kernel_json(allow_host=False)["argv"]
    assert not any("allow_host" in word for word in kernel_json()["argv"])
