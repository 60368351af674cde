from __future__ import annotations

import os

import pytest

from tests.kernel_driver import KernelSession

# Kernels started by tests work on a clean flash of their own: the user's persistent boards (and other
# test runs on this machine) stay untouched. Tests of persistence set their own data folder.
os.environ.setdefault("MICROPYTHON_KERNEL_FLASH", "clean")


def skip_unless_ci(reason: str) -> None:
    """Skip a test needing what this machine lacks; in CI (which installs it all) that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run provides it, so in CI this must run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def kernel():
    """One kernel per test module (starting one takes about a second)."""
    session = KernelSession()
    yield session
    session.close()


@pytest.fixture(scope="module")
def microbit():
    """A QEMU micro:bit (MicroPython v1.9.2 on a pty) shared by a test module, killed at the end."""
    from tests.qemu_microbit import QemuMicrobit, qemu_missing_reason

    reason = qemu_missing_reason()
    if reason is not None:
        skip_unless_ci(f"no QEMU micro:bit: {reason}")
    board = QemuMicrobit()
    yield board
    board.kill()


@pytest.fixture(scope="module")
def notebook_folder(tmp_path_factory):
    """The folder a test module's kernel runs in, as a notebook's folder."""
    return tmp_path_factory.mktemp("notebook")


@pytest.fixture(scope="module")
def board_kernel(microbit, notebook_folder):
    """A kernel in ``notebook_folder``, started connected to the QEMU micro:bit (its default target)."""
    env = dict(os.environ, MICROPYTHON_KERNEL_TARGET=microbit.port)
    session = KernelSession(env=env, cwd=str(notebook_folder))
    yield session
    session.close()


def require_vm() -> None:
    """The unix-port VM (the simulated board, the pty board) must be installed; CI has it."""
    from micropython_kernel.simulator.vm import SimulatorUnavailable, check_vm_available

    try:
        check_vm_available()
    except SimulatorUnavailable as err:
        skip_unless_ci(f"no MicroPython VM here: {err}")


@pytest.fixture(scope="module")
def unix_boards():
    """Start pty boards (``tests/unix_board.py``) with ``unix_boards(**options)``; all killed at the end."""
    from tests.unix_board import UnixBoard

    require_vm()
    started = []

    def start(**options):
        board = UnixBoard(**options)
        started.append(board)
        return board

    yield start
    for board in started:
        board.kill()
