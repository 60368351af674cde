#!/usr/bin/env bash
# The single-user image's build steps: hub/Dockerfile runs this as the notebook user inside the image;
# tests/test_image_build.py runs it in a fresh venv. Argument: the package's source folder (or a wheel).
# Uses the `python` first on PATH (the image's, or the venv's).
set -euo pipefail
source="${1:?usage: build-image.sh PACKAGE_SOURCE_OR_WHEEL}"

# The kernel, its simulated board (the VM wheel) and the widgets' frontend come from the package.
python -m pip install --no-cache-dir "$source"
# The kernelspec naming this Python (pip's data files say bare `python`, which is right in the image
# too, but an explicit path survives a PATH that puts another Python first).
python -m micropython_kernel install --sys-prefix
# A student's server without jsonschema's optional IRI checker (15 MB and ~2 s of CPU a server, see the
# script), as a command of this Python: hub/z2jh-values.yaml names it as singleuser.cmd.
if [ -f "$source/hub/jupyterhub-singleuser-student.py" ]; then
    scripts="$(python -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
    { echo "#!$(python -c 'import sys; print(sys.executable)')"; cat "$source/hub/jupyterhub-singleuser-student.py"; } \
        > "$scripts/jupyterhub-singleuser-student"
    chmod +x "$scripts/jupyterhub-singleuser-student"
fi

# Smoke test the image: the kernelspec is found, and a cell runs on the simulated board.
jupyter kernelspec list | grep -q '^ *micropython '
python - <<'PY'
from jupyter_client.manager import start_new_kernel

manager, client = start_new_kernel(kernel_name="micropython", startup_timeout=120)
try:
    reply = client.execute_interactive("import sys; print(sys.platform)", timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
print("the MicroPython kernel runs a cell on the simulated board")
PY
