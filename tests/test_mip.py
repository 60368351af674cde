"""%mip install: published MicroPython wheels from PyPI (fetched by pip at test time, as the issue asks)
into the target's /lib, on the simulated board and on the pty board; refusals for what a board cannot run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile

import pytest

from tests.conftest import skip_unless_ci
from tests.kernel_driver import KernelSession

AHTX0 = "micropython-ahtx0==0.1.2"  # pinned: a new release cannot change what is tested
LIS3DH = "micropython-lis3dh==0.1.2"  # a package: a folder of three files, one of 9.6 KB
READ_AHT20 = (
    "from machine import I2C, Pin\nimport ahtx0\n"
    "aht = ahtx0.AHT20(I2C(0, scl=Pin(22), sda=Pin(21)))\nprint(aht.temperature, aht.relative_humidity)"
)


def _readings(text: str) -> tuple[float, float]:
    temperature, humidity = (float(word) for word in text.split())
    return temperature, humidity


def _check_installs_and_reads(session: KernelSession) -> None:
    run = session.execute(f"%mip install {AHTX0}", timeout=180)
    assert run.status == "ok", run.error
    assert "/lib/ahtx0.py" in run.stdout and "Installed micropython_ahtx0-0.1.2" in run.stdout
    assert "ahtx0.py" in session.execute("%ls /lib").stdout
    run = session.execute(READ_AHT20)
    assert run.status == "ok", run.error
    temperature, humidity = _readings(run.stdout)
    assert temperature == pytest.approx(21.0, abs=0.01) and humidity == pytest.approx(45.0, abs=0.01)

    run = session.execute(f"%mip install {LIS3DH}", timeout=180)
    assert run.status == "ok", run.error
    assert "/lib/micropython_lis3dh/lis3dh.py" in run.stdout and "25%" in run.stdout  # a big file's progress
    run = session.execute(
        "from micropython_lis3dh import lis3dh\n"
        "acc = lis3dh.LIS3DH(I2C(0, scl=Pin(22), sda=Pin(21)))\nprint(len(acc.acceleration))"
    )
    assert run.status == "ok", run.error
    assert run.stdout.strip() == "3"


@pytest.fixture(scope="module")
def sim_kernel(notebook_folder):
    session = KernelSession(env=dict(os.environ, MICROPYTHON_KERNEL_FLASH="clean"), cwd=str(notebook_folder))
    yield session
    session.close()


def test_mip_on_the_simulated_board(sim_kernel):
    _check_installs_and_reads(sim_kernel)


def test_mip_on_a_serial_board(unix_boards, notebook_folder):
    board = unix_boards()
    session = KernelSession(
        env=dict(os.environ, MICROPYTHON_KERNEL_TARGET=board.port), cwd=str(notebook_folder)
    )
    try:
        _check_installs_and_reads(session)
    finally:
        session.close()


def _build_wheel_with_c_extension(folder) -> str:
    """A wheel with a CPython extension compiled here (setuptools' build_ext and the C compiler), packed
    as pip's wheel format: platform-tagged name, dist-info (this venv has no ``wheel`` to do it)."""
    import sysconfig

    source = folder / "fastmath"
    source.mkdir()
    (source / "fastmath.c").write_text(
        textwrap.dedent(
            """\
            #include <Python.h>
            static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastmath", NULL, -1, NULL};
            PyMODINIT_FUNC PyInit_fastmath(void) { return PyModule_Create(&module); }
            """
        )
    )
    (source / "setup.py").write_text(
        "from setuptools import setup, Extension\n"
        "setup(name='fastmath', version='1.0', ext_modules=[Extension('fastmath', ['fastmath.c'])])\n"
    )
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
        cwd=source,
        check=True,
        timeout=300,
        capture_output=True,
    )
    (extension,) = source.glob("fastmath*.so")
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    wheel = folder / f"fastmath-1.0-{tag}-{tag}-{platform}.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(extension, extension.name)
        archive.writestr("fastmath_helpers.py", "def double(x):\n    return 2 * x\n")
        archive.writestr(
            "fastmath-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: fastmath\nVersion: 1.0\n"
        )
        archive.writestr(
            "fastmath-1.0.dist-info/WHEEL",
            f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {tag}-{tag}-{platform}\n",
        )
        archive.writestr("fastmath-1.0.dist-info/RECORD", "")
    return wheel.name


def test_a_wheel_with_a_c_extension_is_refused(sim_kernel, notebook_folder):
    import shutil

    if shutil.which("gcc") is None:
        skip_unless_ci("no C compiler (gcc) to build a wheel with a C extension")
    name = _build_wheel_with_c_extension(notebook_folder)
    run = sim_kernel.execute(f"%mip install {name}")
    assert run.status == "error"
    assert "refused" in run.error["evalue"] and "compiled parts" in run.error["evalue"]
    assert "fastmath_helpers.py" not in sim_kernel.execute("%ls /lib").stdout  # nothing was copied


def test_a_wheel_without_micropython_files_is_refused(sim_kernel, notebook_folder):
    wheel = notebook_folder / "onlystubs-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:  # what a stubs package holds: .pyi files
        archive.writestr("machine.pyi", "class Pin: ...\n")
        archive.writestr("onlystubs-1.0.dist-info/METADATA", "Name: onlystubs\nVersion: 1.0\n")
    run = sim_kernel.execute(f"%mip install {wheel.name}")
    assert run.status == "error"
    assert "no MicroPython files" in run.error["evalue"]


def test_a_package_pip_cannot_fetch_is_refused_clearly(sim_kernel):
    run = sim_kernel.execute("%mip install micropython-no-such-package-xyz", timeout=180)
    assert run.status == "error"
    assert "pip could not fetch" in run.error["evalue"]
    assert sim_kernel.execute("print('still fine')").stdout.strip() == "still fine"


def test_usage_errors(sim_kernel):
    assert sim_kernel.execute("%mip").status == "error"
    assert "'..'" in sim_kernel.execute("%mip install x --target /lib/../etc").error["evalue"]
