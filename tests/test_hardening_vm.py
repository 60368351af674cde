"""The simulated board's VM has a board's limits (issue 18): memory, threads, file size, no second
process, no io_uring, no files written beside the flash image, and it dies with the kernel.

The attacks go through the kernel as a student's cell would; what a cell cannot reach without a memory
exploit (``uctypes`` poking libc's ``syscall``) is tested on the mechanism itself: a CPython child
confined exactly as the VM is (``confine_child``) tries each system call.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from micropython_kernel.simulator import confine
from tests.conftest import skip_unless_ci
from tests.kernel_driver import KernelSession

REVEAL = "import sys\nfor _name in ('os', 'vfs'):\n    sys.modules.pop(_name, None)\n"


def vm_processes(kernel: KernelSession) -> list[psutil.Process]:
    kernel_process = psutil.Process(kernel.manager.provisioner.process.pid)
    children = kernel_process.children(recursive=True)
    return [p for p in children if "micropython_module" in " ".join(p.cmdline())]


@pytest.fixture(scope="module")
def sandbox(kernel: KernelSession) -> str:
    cell = kernel.execute("%connect sim esp32\n%status")
    assert cell.status == "ok", cell.error
    line = next(line for line in cell.text.splitlines() if line.startswith("sandbox:"))
    if "seccomp" not in line or "Landlock" not in line:
        skip_unless_ci(f"this host lacks Landlock or seccomp: {line}")
    return line


def test_status_says_which_limits_hold(sandbox: str) -> None:
    for words in ("memory", "files", "dies with the kernel", "no fork", "no io_uring", "Landlock"):
        assert words in sandbox, sandbox


def test_a_huge_thread_stack_is_refused_and_costs_the_host_nothing(kernel: KernelSession, sandbox) -> None:
    kernel.execute("kept = 'yes'")
    cell = kernel.execute(
        "import _thread\n_thread.stack_size(1024 * 1024 * 1024)\n"
        "def down(n):\n    return down(n + 1)\n"
        "try:\n    _thread.start_new_thread(down, (0,))\n    print('started')\n"
        "except Exception as e:\n    print('refused', type(e).__name__)\n"
        "_thread.stack_size(0)"
    )
    assert cell.stdout.startswith("refused"), (cell.stdout, cell.error)
    (vm,) = vm_processes(kernel)
    assert vm.memory_info().rss < 100 * 1024 * 1024
    assert kernel.execute("print(kept)").stdout == "yes\n"


def test_threads_are_bounded(kernel: KernelSession, sandbox) -> None:
    cell = kernel.execute(
        "import _thread, time\nstarted = 0\n"
        "def wait():\n    time.sleep(2)\n"
        "try:\n    for _ in range(3000):\n        _thread.start_new_thread(wait, ())\n        started += 1\n"
        "except Exception as e:\n    print('stopped', type(e).__name__)\nprint(started)",
        timeout=120,
    )
    assert cell.status == "ok", cell.error
    assert cell.stdout.startswith("stopped") and int(cell.stdout.split()[-1]) < 3000, cell.stdout
    time.sleep(2.5)  # the threads end
    assert kernel.execute("print(started > 0)").stdout == "True\n"


def test_vfsposix_cannot_write_to_the_host(kernel: KernelSession, sandbox) -> None:
    (vm,) = vm_processes(kernel)
    folder = vm.cwd()
    before = set(os.listdir(folder))
    cell = kernel.execute(
        REVEAL + "import vfs\nvfs.mount(vfs.VfsPosix('.'), '/host')\n"
        "try:\n    with open('/host/big.bin', 'wb') as f:\n"
        "        for _ in range(200):\n            f.write(bytes(1024 * 1024))\n    print('WROTE')\n"
        "except OSError as e:\n    print('refused', e.errno)\nvfs.umount('/host')"
    )
    assert cell.stdout.startswith("refused"), (cell.stdout, cell.error)
    assert set(os.listdir(folder)) == before


def test_the_vm_dies_with_the_kernel(sandbox) -> None:
    session = KernelSession()
    try:
        assert session.execute("x = 1").status == "ok"
        (vm,) = vm_processes(session)
        session.manager.provisioner.process.kill()  # the kernel dies at once: no graceful shutdown
        vm.wait(timeout=30)
        assert not vm.is_running()
    finally:
        session.client.stop_channels()


# -- the mechanism: a CPython child confined as the VM is tries what uctypes could reach -------------

# (Imported before the confinement, as the VM's code is: afterwards no host file can be read.)
PREPARE = "import ctypes, os, sys, threading\n"
ATTACKS = """
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def syscall(number, *args):
    result = libc.syscall(number, *args)
    return result if result >= 0 else -ctypes.get_errno()
results = {}
try:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    results['fork'] = 'allowed'
except OSError as e:
    results['fork'] = e.errno
results['clone process'] = syscall(56, 17, 0, 0, 0, 0)  # SIGCHLD: a process
results['clone3'] = syscall(435, 0, 0)
results['setsid'] = syscall(112)
results['io_uring_setup'] = syscall(425, 8, ctypes.create_string_buffer(120))
results['clear death signal'] = libc.prctl(1, 0, 0, 0, 0) and -ctypes.get_errno()
box = threading.Thread(target=lambda: results.__setitem__('thread', 'ran'))
box.start(); box.join()
try:
    open(os.path.join(sys.argv[1], 'new.txt'), 'w').write('x')
    results['new file'] = 'allowed'
except OSError as e:
    results['new file'] = e.errno
try:
    bytearray(512 * 1024 * 1024)
    results['512 MB'] = 'allowed'
except MemoryError:
    results['512 MB'] = 'MemoryError'
print(results)
"""


def test_each_system_call_a_memory_exploit_could_make_is_refused(tmp_path) -> None:
    if not sys.platform.startswith("linux") or os.uname().machine != "x86_64":
        skip_unless_ci("the seccomp filter is for x86_64 Linux")
    request = confine.child_environment(
        str(tmp_path / "status.txt"), [str(tmp_path)], heap_bytes=300_000, max_file_bytes=2 * 1024 * 1024
    )
    confining = "from micropython_kernel.simulator.confine import confine_child\nconfine_child()\n"
    code = PREPARE + confining + ATTACKS
    env = dict(os.environ, **request)
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status = (tmp_path / "status.txt").read_text()
    if "seccomp" not in status or "Landlock" not in status:
        skip_unless_ci(f"this host lacks Landlock or seccomp: {status}")
    outcome = eval(result.stdout)  # noqa: S307 (our own child's repr of a dict of ints and words)
    assert outcome == {
        "fork": 1,  # EPERM
        "clone process": -1,
        "clone3": -38,  # ENOSYS: glibc falls back to clone, which allows threads
        "setsid": -1,
        "io_uring_setup": -1,
        "clear death signal": -1,
        "thread": "ran",
        "new file": 13,  # EACCES from Landlock
        "512 MB": "MemoryError",
    }, outcome


def test_the_vm_child_dies_with_its_parent(tmp_path) -> None:
    """PR_SET_PDEATHSIG: a parent that dies without a word takes the confined child with it."""
    if not sys.platform.startswith("linux"):
        skip_unless_ci("PR_SET_PDEATHSIG is Linux's")
    child = textwrap.dedent(
        """
        import os, sys, time
        from micropython_kernel.simulator.confine import confine_child
        confine_child()
        print(os.getpid(), flush=True)
        time.sleep(120)
        """
    )
    parent = textwrap.dedent(
        f"""
        import os, subprocess, sys
        from micropython_kernel.simulator import confine
        env = dict(os.environ, **confine.child_environment(
            {str(tmp_path / "status.txt")!r}, [{str(tmp_path)!r}], heap_bytes=300000, max_file_bytes=65536))
        child = subprocess.Popen(
            [sys.executable, "-c", {child!r}], env=env, stdout=subprocess.PIPE, text=True)
        print(child.stdout.readline().strip(), flush=True)
        os._exit(0)
        """
    )
    result = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True, timeout=60)
    pid = int(result.stdout.split()[0])
    deadline = time.monotonic() + 30
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.1)
