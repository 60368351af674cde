from __future__ import annotations

import pytest

from tests.kernel_driver import KernelSession


@pytest.fixture(scope="module")
def kernel():
    """One kernel per test module (starting one takes about a second)."""
    session = KernelSession()
    yield session
    session.close()
