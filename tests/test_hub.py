"""A real JupyterHub (hub/jupyterhub_config.py) with two students: each one's server starts, and a
MicroPython cell runs in each student's kernel through the hub's proxy, on a board of their own."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import skip_unless_ci
from tests.hub_class import ClassHub, missing_reason


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = missing_reason()
    if reason is not None:
        skip_unless_ci(reason)
    hub = ClassHub(tmp_path_factory.mktemp("hub"))
    hub.start()
    yield hub
    hub.stop()


@pytest.mark.timeout(900)
def test_two_students_run_cells_through_the_hub(hub):
    async def lesson() -> list[dict]:
        await hub.wait_ready()
        students = ["ada", "grace"]
        await hub.add_students(students)
        await asyncio.gather(*(hub.spawn(name, timeout=600) for name in students))
        kernels = [await hub.open_kernel(name) for name in students]
        runs = []
        for number, kernel in enumerate(kernels):
            # A lesson cell: the LED on, and what the board says; each student's own variable.
            code = (
                "from machine import Pin\nimport sys\nled = Pin(2, Pin.OUT)\nled.on()\n"
                f"mine = {number}\nprint(sys.platform, led.value(), mine)"
            )
            runs.append(await kernel.execute(code, timeout=300))
        runs.append(await kernels[0].execute("print(mine)", timeout=120))  # not the other student's
        for kernel in kernels:
            kernel.ws.close()
        return runs

    runs = asyncio.run(lesson())
    assert [run["status"] for run in runs] == ["ok"] * 3, [run["error"] for run in runs]
    assert runs[0]["stdout"] == "esp32 1 0\n"
    assert runs[1]["stdout"] == "esp32 1 1\n"
    assert runs[2]["stdout"] == "0\n"
    # Each student's home is their own folder under the hub's, and their board's flash persists there.
    homes = sorted(p.name for p in (hub.folder / "home").iterdir())
    assert homes == ["ada", "grace"]
    for name in homes:
        images = list((hub.folder / "home" / name).glob("**/micropython-kernel/boards/esp32/*.img"))
        assert images, f"no persistent flash in {name}'s home"
