"""Beyond one machine, what can run here without a container engine: the single-user image's build
steps (hub/build-image.sh, which hub/Dockerfile runs) in a fresh venv, and the hub configs loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
HUB = REPO / "hub"


@pytest.mark.timeout(1200)
def test_the_image_build_steps_in_a_fresh_venv(tmp_path):
    env_dir = tmp_path / "image"
    venv.create(env_dir, with_pip=True)
    # Only the fresh venv: not this checkout on PYTHONPATH, not the test venv's kernelspecs.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(env_dir / "bin"), env["PATH"]])
    env["HOME"] = str(tmp_path / "home")  # the kernel's persistent flash, and Jupyter's user dirs, here
    result = subprocess.run(
        ["bash", str(HUB / "build-image.sh"), str(REPO)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1100,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "the MicroPython kernel runs a cell on the simulated board" in result.stdout
    spec = json.loads((env_dir / "share" / "jupyter" / "kernels" / "micropython" / "kernel.json").read_text())
    assert Path(spec["argv"][0]).parent == env_dir / "bin"  # the image's own Python
    # The students' server command (singleuser.cmd in hub/z2jh-values.yaml), run by the image's Python.
    launcher = (env_dir / "bin" / "jupyterhub-singleuser-student").read_text()
    assert launcher.startswith(f"#!{env_dir / 'bin'}/python")
    assert 'sys.modules["rfc3987_syntax"] = None' in launcher


def test_the_dockerfile_runs_those_steps_on_a_supported_python():
    dockerfile = (HUB / "Dockerfile").read_text()
    base = next(line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM "))
    assert base.startswith("quay.io/jupyter/base-notebook:python-3.1")
    minor = int(base.rsplit("3.", 1)[1])
    assert 10 <= minor <= 13  # the VM package's wheels: CPython 3.10-3.13
    assert "hub/build-image.sh /tmp/micropython-kernel" in dockerfile


def test_the_hub_config_loads(tmp_path):
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    if not jupyterhub.exists():
        pytest.fail("jupyterhub is in the test extras: pip install '.[test]'")
    env = dict(os.environ, CLASS_DIR=str(tmp_path / "class"), CLASS_TEACHER_TOKEN="t" * 32)
    result = subprocess.run(
        [str(jupyterhub), "-f", str(HUB / "jupyterhub_config.py"), "--show-config"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SimpleLocalProcessSpawner" in result.stderr + result.stdout
    assert f"home_dir_template = '{tmp_path / 'class' / 'home'}/{{username}}'" in result.stdout
    assert "'name': 'teacher'" in result.stdout  # the teacher service with its token


def test_the_zero_to_jupyterhub_values():
    values = yaml.safe_load((HUB / "z2jh-values.yaml").read_text())
    singleuser = values["singleuser"]
    assert singleuser["image"]["name"] and singleuser["image"]["tag"]
    assert singleuser["storage"]["homeMountPath"] == "/home/jovyan"  # the flash persists in the home
    assert singleuser["defaultUrl"] == "/lab"
    assert singleuser["cmd"] == "jupyterhub-singleuser-student"  # installed by hub/build-image.sh
