"""The simulated board keeps its flash as a board does: across kernel restarts, new kernels, reconnects,
failed %connects; two kernels never write one image; headless runs start from a known flash."""

from __future__ import annotations

import ast
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbclient import NotebookClient

from micropython_kernel.simulator import scratch
from tests.kernel_driver import KernelSession


def ok(kernel: KernelSession, code: str, timeout: float = 60) -> str:
    cell = kernel.execute(code, timeout=timeout)
    assert cell.error is None, cell.error
    return cell.text


def listing(kernel: KernelSession) -> list[str]:
    return ast.literal_eval(ok(kernel, "import os\nprint(sorted(os.listdir()))").strip().splitlines()[-1])


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "jupyter-data"


def persistent_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A kernel's environment with the default flash (persistent) in a data folder of the test's own."""
    env = dict(os.environ, JUPYTER_DATA_DIR=str(data_dir))
    env.pop("MICROPYTHON_KERNEL_FLASH", None)  # (conftest makes it "clean" for the other tests)
    env.update(extra)
    return env


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The notebook's folder (the kernel's working directory)."""
    path = tmp_path / "notebook"
    path.mkdir()
    return path


@pytest.fixture
def persistent(data_dir: Path, folder: Path):
    session = KernelSession(env=persistent_env(data_dir), cwd=str(folder))
    yield session
    session.close()


def test_files_survive_a_kernel_restart_and_a_new_kernel(persistent: KernelSession, data_dir: Path) -> None:
    ok(persistent, "with open('main.py', 'w') as f:\n    f.write('print(\"hi from main\")\\n')")
    status = ok(persistent, "%status")
    image = data_dir / "micropython-kernel" / "boards" / "esp32" / "flash.img"
    assert f"flash image: {image} (persistent)" in status
    persistent.manager.restart_kernel(now=True)
    persistent.client.wait_for_ready(timeout=60)
    assert "main.py" in listing(persistent)
    persistent.close()
    again = KernelSession(env=persistent_env(data_dir))
    try:
        assert "main.py" in listing(again)
        assert ok(again, "exec(open('main.py').read())").strip() == "hi from main"
    finally:
        again.close()


def test_nothing_wipes_the_board_by_accident(persistent: KernelSession) -> None:
    ok(persistent, "x = 42\nwith open('keep.txt', 'w') as f:\n    f.write('kept')")
    failed = persistent.execute("%connect /dev/ttyUSB9")
    assert failed.status == "error" and "/dev/ttyUSB9" in failed.error["evalue"]
    assert ok(persistent, "print(x, open('keep.txt').read())").strip() == "42 kept"  # nothing lost

    again = persistent.execute("%connect sim")  # the same board: a power cycle
    assert again.error is None and "power-cycled" in again.stdout and "flash kept" in again.stdout
    assert "keep.txt" in listing(persistent)
    gone = persistent.execute("print(x)")
    assert gone.error["ename"] == "NameError"  # RAM is new, as after a power cycle

    switched = ok(persistent, "%connect sim pico")
    assert "variables are gone; its flash is kept" in switched
    assert "keep.txt" not in listing(persistent)  # another board, another flash
    ok(persistent, "%connect sim")
    assert "keep.txt" in listing(persistent)
    ok(persistent, "%disconnect")
    ok(persistent, "%connect sim")
    assert "keep.txt" in listing(persistent)


def test_a_second_kernel_on_the_board_works_on_a_copy(persistent: KernelSession, data_dir: Path) -> None:
    ok(persistent, "with open('first.txt', 'w') as f:\n    f.write('1')")
    second = KernelSession(env=persistent_env(data_dir))
    try:
        cell = second.execute("import os\nprint(sorted(os.listdir()))")
        assert cell.error is None
        assert "first.txt" in cell.stdout  # it starts from the board's flash ...
        assert "in use by the kernel with process id" in cell.stderr and "copy" in cell.stderr
        ok(second, "with open('second.txt', 'w') as f:\n    f.write('2')")
        assert "copy" in ok(second, "%flash")
    finally:
        second.close()
    assert "second.txt" not in listing(persistent)  # ... and never writes it
    persistent.manager.restart_kernel(now=True)
    persistent.client.wait_for_ready(timeout=60)
    assert listing(persistent) == ["boot.py", "first.txt"]


def test_flash_erase_save_and_start_from_an_image(persistent: KernelSession, folder: Path) -> None:
    ok(persistent, "with open('lesson.py', 'w') as f:\n    f.write('GIVEN = 7\\n')")
    saved = ok(persistent, "%flash save starter.img")
    assert "Saved" in saved and (folder / "starter.img").stat().st_size == 2048 * 1024
    erased = ok(persistent, "%flash erase")
    assert "erased" in erased
    assert listing(persistent) == ["boot.py"]  # formatted, with what the port writes first
    started = ok(persistent, "%flash image starter.img")
    assert "private copy" in started
    assert "lesson.py" in listing(persistent)
    ok(persistent, "with open('scratch.txt', 'w') as f:\n    f.write('x')")
    ok(persistent, "%flash image starter.img")  # again: a fresh copy
    assert "scratch.txt" not in listing(persistent)
    ok(persistent, "%flash persistent")
    assert listing(persistent) == ["boot.py"]  # the board's own flash, erased above


def _vm_of(kernel: KernelSession) -> psutil.Process:
    """The VM process of the kernel's simulated board (the kernel's child hosting micropython_module)."""
    parent = psutil.Process(kernel.manager.provisioner.process.pid)
    for child in parent.children(recursive=True):
        if any("micropython_module" in part for part in child.cmdline()):
            return child
    raise AssertionError("no VM process")


def test_a_vm_killed_mid_write_leaves_every_closed_file_intact(persistent: KernelSession) -> None:
    """50 SIGKILLs of the VM while a cell writes files: after each, the flash mounts, every file holds a
    whole version, and the last file the cell had closed (and said so) holds that version or a newer."""
    writer = (
        "n = 0\n"
        "while True:\n"
        "    with open('f%d.txt' % (n % 8), 'w') as f:\n"
        "        f.write('%d:' % n + 'x' * 300)\n"
        "    print(n)\n"
        "    n += 1\n"
    )
    check = (
        "import os\n"
        "for name in sorted(os.listdir()):\n"
        "    if name.startswith('f'):\n"
        "        print(name, open(name).read())\n"
    )
    rng = random.Random(16)
    ok(persistent, "pass")  # (the board starts with the first cell)
    for _round in range(50):
        vm = _vm_of(persistent)
        closed = []
        after = rng.randint(1, 40)

        def on_message(message, closed=closed, vm=vm, after=after):
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                closed.extend(int(word) for word in message["content"]["text"].split())
                if len(closed) >= after and vm.is_running():
                    vm.kill()  # SIGKILL, mid-write of the next file

        cell = persistent.execute(writer, timeout=120, on_message=on_message)
        assert cell.error is not None and cell.error["ename"] == "BoardRestarted", cell.error
        files = {}
        for line in ok(persistent, check).splitlines():
            name, content = line.split(" ", 1)
            number, _, tail = content.partition(":")
            assert tail == "x" * 300, (name, content[:40])  # a whole version, never a torn one
            assert int(number) % 8 == int(name[1:-4])
            files[name] = int(number)
        last = closed[-1]
        assert files[f"f{last % 8}.txt"] >= last  # closed before the kill: it is there
    ok(
        persistent,
        "import os\nfor name in os.listdir():\n    if name.startswith('f'):\n        os.remove(name)",
    )


def test_a_headless_run_starts_clean_and_leaves_nothing_for_the_next(data_dir: Path, folder: Path) -> None:
    """nbclient (allow_stdin=False) with MICROPYTHON_KERNEL_FLASH unset: each run starts from a clean
    flash, so one student's files never reach the next; the interactive board is untouched."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import os\nprint(sorted(os.listdir()))"),
        nbformat.v4.new_code_cell("with open('answer.txt', 'w') as f:\n    f.write('student')"),
    ]
    env = persistent_env(data_dir)
    for _run in range(2):
        client = NotebookClient(
            nbformat.from_dict(notebook),
            kernel_name="micropython",
            timeout=120,
            resources={"metadata": {"path": str(folder)}},
        )
        executed = client.execute(env=env)
        assert executed.cells[0].outputs[0]["text"].strip() == "['boot.py']"
    interactive = KernelSession(env=env, cwd=str(folder))
    try:
        assert "answer.txt" not in listing(interactive)
    finally:
        interactive.close()


def test_an_image_named_in_the_environment_is_copied_never_written(data_dir: Path, folder: Path) -> None:
    session = KernelSession(env=persistent_env(data_dir), cwd=str(folder))
    try:
        ok(session, "with open('given.py', 'w') as f:\n    f.write('1')")
        ok(session, "%flash save given.img")
    finally:
        session.close()
    image = folder / "given.img"
    before = image.read_bytes()
    for _run in range(2):
        run = KernelSession(env=persistent_env(data_dir, MICROPYTHON_KERNEL_FLASH=str(image)))
        try:
            assert listing(run) == ["boot.py", "given.py"]
            ok(run, "with open('extra.txt', 'w') as f:\n    f.write('2')")
            assert "private copy" in ok(run, "%flash")
        finally:
            run.close()
    assert image.read_bytes() == before


def test_scratch_folders_of_a_killed_kernel_are_removed_at_the_next_start(tmp_path: Path) -> None:
    code = (
        "import os, sys, time\n"
        "from micropython_kernel.simulator.scratch import scratch_folder\n"
        "print(scratch_folder(), flush=True)\n"
        "time.sleep(60)\n"
    )
    env = dict(os.environ, TMPDIR=str(tmp_path))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    folder = Path(child.stdout.readline().strip())
    assert folder.is_dir() and folder.parent == tmp_path
    assert scratch.remove_abandoned(tmp_path) == []  # alive: kept
    child.kill()  # SIGKILL: no atexit
    child.wait()
    assert folder.is_dir()
    deadline = time.monotonic() + 30
    while scratch.remove_abandoned(tmp_path) != [folder]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert not folder.exists()


def test_a_sigkilled_kernel_leaves_no_scratch_folder_behind(tmp_path: Path) -> None:
    """The kernel itself killed (no atexit): its VM ends, the next kernel's start removes its folder."""
    env = dict(os.environ, TMPDIR=str(tmp_path))
    first = KernelSession(env=env)
    try:
        ok(first, "print(1)")  # (the board, and with it the scratch folder, start with the first cell)
        folders = list(tmp_path.glob(scratch.PREFIX + "*"))
        assert len(folders) == 1
        vm = _vm_of(first)
        psutil.Process(first.manager.provisioner.process.pid).kill()
        first.manager.provisioner.process.wait(30)
        vm.wait(30)  # its VM ends too (its terminal hung up): it holds no flash image locked
    finally:
        first.client.stop_channels()
    assert folders[0].is_dir()  # left behind by the killed kernel
    second = KernelSession(env=env)
    try:
        ok(second, "print(2)")
        assert not folders[0].exists()
        assert len(list(tmp_path.glob(scratch.PREFIX + "*"))) == 1  # only the second kernel's own
    finally:
        second.close()


def test_named_boards_of_one_profile_have_flashes_of_their_own(
    persistent: KernelSession, data_dir: Path
) -> None:
    ok(persistent, "with open('default.txt', 'w') as f:\n    f.write('0')")
    named = ok(persistent, "%connect sim esp32 --name lab")
    assert "simulated esp32 'lab'" in named
    assert "default.txt" not in listing(persistent)
    ok(persistent, "with open('lab.txt', 'w') as f:\n    f.write('1')")
    assert f"{data_dir / 'micropython-kernel' / 'boards' / 'esp32-lab' / 'flash.img'}" in ok(
        persistent, "%flash"
    )
    ok(persistent, "%connect sim esp32")
    assert "default.txt" in listing(persistent) and "lab.txt" not in listing(persistent)
    bad = persistent.execute("%connect sim esp32 --name ../escape")
    assert bad.error is not None and "board name" in bad.error["evalue"]
    assert "default.txt" in listing(persistent)  # the refused connect left the board as it was
