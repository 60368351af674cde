from __future__ import annotations

import pytest

from tests.kernel_driver import KernelSession


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
        pytest.skip(f"no QEMU micro:bit: {reason}")
    board = QemuMicrobit()
    yield board
    board.kill()
