"""The simulated board stays in its box: no host files, no programs, no network."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from micropython_kernel.simulator.confine import UNCONFINED
from tests.conftest import skip_unless_ci
from tests.kernel_driver import KernelSession

HOST_FILE = "/etc/hostname" if os.path.exists("/etc/hostname") else "/etc/passwd"


def run(kernel: KernelSession, code: str) -> str:
    cell = kernel.execute(code)
    assert cell.error is None, cell.error
    return cell.text


@pytest.fixture(scope="module")
def protection(kernel: KernelSession) -> str:
    """The sandbox line of %status (what the VM child applied)."""
    status = run(kernel, "%connect sim esp32\n%status")
    lines = [line for line in status.splitlines() if line.startswith("sandbox:")]
    assert len(lines) == 1, status
    return lines[0].split(":", 1)[1].strip()


def require(protection: str, name: str) -> None:
    if name not in protection:
        skip_unless_ci(f"{name} is not available on this system (the VM reports: {protection})")


def test_status_says_which_protection_is_active(protection: str) -> None:
    assert protection == UNCONFINED or "Landlock" in protection or "seccomp" in protection


def test_host_files_are_out_of_reach_through_open(kernel: KernelSession) -> None:
    out = run(
        kernel,
        "for path in ('/../../etc/hostname', '/etc/passwd', " + repr(HOST_FILE) + ", '../../../etc/passwd',\n"
        "             '/.simulator/../../../../etc/passwd'):\n"
        "    try:\n"
        "        open(path).read()\n"
        "        print('READ', path)\n"
        "    except OSError as e:\n"
        "        print('refused', e.errno)",
    )
    assert "READ" not in out and out.count("refused") == 5


def test_a_board_has_no_system_getenv_socket(kernel: KernelSession) -> None:
    out = run(
        kernel,
        "import os, sys\n"
        "print([name for name in ('system', 'getenv', 'putenv', 'VfsPosix') if hasattr(os, name)])\n"
        "for name in ('socket', 'websocket', 'network'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "        print('imported', name)\n"
        "    except ImportError:\n"
        "        print('no', name)\n"
        "print(hasattr(sys, 'executable'))",
    )
    assert out.splitlines() == ["[]", "no socket", "no websocket", "no network", "False"]


# The unix port's own modules are one `del sys.modules[...]` away: the process confinement must hold.
REVEAL = "import sys\nfor _name in ('os', 'vfs', 'socket'):\n    sys.modules.pop(_name, None)\n"


def test_the_unix_ports_vfsposix_cannot_read_host_files(kernel: KernelSession, protection: str) -> None:
    require(protection, "Landlock")
    cell = kernel.execute(
        REVEAL + f"import vfs\nvfs.mount(vfs.VfsPosix('/'), '/host')\nprint(open('/host{HOST_FILE}').read())"
    )
    assert cell.error is not None and cell.error["ename"] == "OSError", cell.stdout
    assert "13" in cell.error["evalue"]  # EACCES from Landlock
    run(kernel, "import vfs\nvfs.umount('/host')")


def test_the_unix_ports_os_system_runs_nothing(kernel: KernelSession, protection: str, tmp_path) -> None:
    require(protection, "seccomp")
    marker = tmp_path / "escaped"
    out = run(kernel, REVEAL + f"import os\nprint(os.system('touch {marker}'))")
    assert int(out) != 0
    assert not marker.exists()


def test_the_unix_ports_socket_cannot_connect(kernel: KernelSession, protection: str) -> None:
    require(protection, "seccomp")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    try:
        out = run(
            kernel,
            REVEAL + "sys.path.remove('/.simulator')\nimport socket\n"
            "try:\n"
            "    s = socket.socket()\n"
            f"    s.connect(socket.getaddrinfo('127.0.0.1', {port})[0][-1])\n"
            "    print('connected')\n"
            "except OSError as e:\n"
            "    print('refused', e.errno)\n"
            "sys.path.append('/.simulator')",
        )
    finally:
        server.close()
    assert out.startswith("refused") and not accepted


def test_the_box_holds_for_every_profile(kernel: KernelSession) -> None:
    for profile in ("pico", "pyboard", "microbit"):
        run(kernel, f"%connect sim {profile}")
        out = run(kernel, "try:\n    open('/../../etc/hostname')\nexcept OSError:\n    print('refused')")
        assert out == "refused\n", profile
    run(kernel, "%connect sim esp32")
