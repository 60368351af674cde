"""The simulated board's flash, through jupyter_client as a notebook uses it."""

from __future__ import annotations

import pytest

from micropython_kernel.simulator.flash import LAYOUTS
from micropython_kernel.simulator.profiles import PROFILES
from tests.kernel_driver import KernelSession


def run(kernel: KernelSession, code: str) -> str:
    """Run a cell that must succeed; return its stdout."""
    cell = kernel.execute(code)
    assert cell.error is None, cell.error
    return cell.text


@pytest.fixture
def esp32(kernel: KernelSession) -> KernelSession:
    run(kernel, "%connect sim esp32")  # (a reconnect keeps the flash, as a board's)
    run(kernel, "%flash erase")  # a blank flash for each test
    return kernel


def test_files_write_read_list_remove_mkdir(esp32: KernelSession) -> None:
    out = run(
        esp32,
        "import os\n"
        "with open('notes.txt', 'w') as f:\n"
        "    f.write('hello flash')\n"
        "os.mkdir('data')\n"
        "with open('/data/log.csv', 'w') as f:\n"
        "    f.write('1,2\\n')\n"
        "print(open('notes.txt').read())\n"
        "print(sorted(os.listdir('/')), os.listdir('data'))\n"
        "os.remove('notes.txt')\n"
        "os.remove('data/log.csv')\n"
        "os.rmdir('data')\n"
        "print(os.listdir())",
    )
    assert out.splitlines() == ["hello flash", "['boot.py', 'data', 'notes.txt'] ['log.csv']", "['boot.py']"]


def test_statvfs_is_the_boards_flash(esp32: KernelSession) -> None:
    layout = LAYOUTS["esp32"]
    out = run(
        esp32,
        "import os\n"
        "before = os.statvfs('/')\n"
        "with open('blob.bin', 'wb') as f:\n"
        "    f.write(bytes(40000))\n"
        "after = os.statvfs('/')\n"
        "print(before[0], before[2], before[3], after[3])",
    )
    block_size, blocks, free_before, free_after = (int(word) for word in out.split())
    assert (block_size, blocks) == (layout.block_size, layout.block_count) == (4096, 512)  # 2 MB
    assert free_before - free_after >= 40000 // 4096  # the file took its blocks
    assert out and free_before <= blocks


def test_files_survive_resets_and_a_vm_restart(esp32: KernelSession) -> None:
    run(esp32, "with open('keep.txt', 'w') as f:\n    f.write('kept')")
    assert run(esp32, "%reset\nprint(open('keep.txt').read())").endswith("kept\n")
    assert run(esp32, "%reset --hard\nprint(open('keep.txt').read())").endswith("kept\n")
    crashed = esp32.execute("import sys\nsys.exit()")
    assert crashed.error is not None and crashed.error["ename"] == "BoardRestarted"
    assert run(esp32, "print(open('keep.txt').read())") == "kept\n"


def test_files_left_open_are_closed_by_a_reset(esp32: KernelSession) -> None:
    run(esp32, "open('quick.txt', 'w').write('one-liner')\nlog = open('log.txt', 'w')\nlog.write('held')")
    out = run(esp32, "%reset\nprint(open('quick.txt').read(), open('log.txt').read())")
    assert out.endswith("one-liner held\n")


def test_boot_and_main_run_on_a_hard_reset(esp32: KernelSession) -> None:
    run(
        esp32,
        "def save(name, text):\n"
        "    with open(name, 'w') as f:\n"
        "        f.write(text)\n"
        "save('boot.py', 'print(\"boot.py ran\")\\n')\n"
        "save('main.py', 'print(\"main.py ran\")\\nblinks = 3\\n')",
    )
    hard = run(esp32, "%reset --hard")
    assert "boot.py ran\nmain.py ran\n" in hard
    assert run(esp32, "print(blinks)") == "3\n"  # main.py ran in the REPL's globals, as on a board
    soft = run(esp32, "%reset")
    assert "boot.py ran" in soft and "main.py ran" not in soft  # a soft reset in raw REPL skips main.py


def test_a_never_ending_main_py_can_be_stopped(esp32: KernelSession) -> None:
    import threading

    run(esp32, "with open('main.py', 'w') as f:\n    f.write('while True:\\n    pass\\n')")
    timer = threading.Timer(1.0, esp32.interrupt)
    timer.start()
    stopped = esp32.execute("%reset --hard", timeout=30)
    timer.join()
    assert stopped.error is not None and stopped.error["ename"] == "KeyboardInterrupt"
    assert run(esp32, "import os\nos.remove('main.py')\nprint('alive')") == "alive\n"


def test_import_a_module_written_to_the_flash(esp32: KernelSession) -> None:
    run(esp32, "with open('mymodule.py', 'w') as f:\n    f.write('def twice(x):\\n    return 2 * x\\n')")
    assert run(esp32, "import mymodule\nprint(mymodule.twice(21))") == "42\n"
    run(esp32, "import os\nos.mkdir('lib')\nwith open('lib/helper.py', 'w') as f:\n    f.write('NAME = 1')")
    assert run(esp32, "import helper\nprint(helper.NAME)") == "1\n"


@pytest.mark.parametrize("profile", list(PROFILES))
def test_each_profile_has_its_ports_flash_and_platform(kernel: KernelSession, profile: str) -> None:
    layout = LAYOUTS[profile]
    run(kernel, f"%connect sim {profile}")
    out = run(
        kernel,
        "import os, sys, gc\n"
        "gc.collect()\n"
        "print(sys.platform, os.getcwd(), gc.mem_free())\n"
        "print(os.statvfs(os.getcwd())[:3])",
    )
    first, second = out.splitlines()
    platform, cwd, free = first.split()
    assert platform == PROFILES[profile].platform
    assert cwd == layout.mount_point
    assert second == str((layout.block_size, layout.block_size, layout.block_count)) or layout.kind == "fat"
    # The boot's own objects (the flash's buffers, its modules) are paid for: the heap left is the
    # profile's, give or take the VM's own start-up allocations.
    assert abs(int(free) - PROFILES[profile].heap_bytes) <= 4096
    status = run(kernel, "%status")
    assert f"flash:     {layout.describe()}" in status


def test_pyboard_flash_is_fat_at_slash_flash(kernel: KernelSession) -> None:
    run(kernel, "%connect sim pyboard")
    out = run(kernel, "import os, vfs\nprint(os.listdir('/'), vfs.mount()[0])")
    assert out.startswith("['flash'] (<VfsFat>, '/flash')")


def test_microbit_filesystem_is_flat_and_fills_up(kernel: KernelSession) -> None:
    run(kernel, "%connect sim microbit")
    run(kernel, "%flash erase")
    out = run(
        kernel,
        "import os\n"
        "try:\n"
        "    os.mkdir('folder')\n"
        "except OSError as e:\n"
        "    print('mkdir', e.errno)\n"
        "try:\n"
        "    with open('big.bin', 'wb') as f:\n"
        "        for i in range(100):\n"
        "            f.write(bytes(512))\n"
        "except OSError as e:\n"
        "    print('full', e.errno)",
    )
    assert out.splitlines() == ["mkdir 1", "full 28"]  # EPERM, ENOSPC


def test_a_full_flash_gives_enospc(esp32: KernelSession) -> None:
    cell = esp32.execute(
        "chunk = bytes(4096)\nwith open('fill.bin', 'wb') as f:\n    while True:\n        f.write(chunk)",
        timeout=120,
    )
    assert cell.error is not None
    assert cell.error["ename"] == "OSError" and "28" in cell.error["evalue"]
    assert run(esp32, "import os\nos.remove('fill.bin')\nprint(os.statvfs('/')[3] > 500)") == "True\n"
