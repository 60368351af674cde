"""``python -m micropython_kernel``: run the kernel; ``install`` its kernelspec; ``run`` a notebook;
``stubs``: fetch the boards' MicroPython stubs (signatures and docs for inspection and completion)."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    if sys.argv[1:2] == ["install"]:
        from .install import main as install_main

        install_main(sys.argv[2:])
        return
    if sys.argv[1:2] == ["stubs"]:  # fetch the boards' MicroPython stubs once (docs for Shift-Tab)
        from .kernel.stubs import download, stubs_folder

        wheels = download()
        print(f"{len(wheels)} stub packages in {stubs_folder()}")
        return
    if sys.argv[1:2] == ["run"]:
        from .run_notebook import main as run_main

        sys.exit(run_main(sys.argv[2:]))
    # No debugger: the VM has no sys.settrace and kernel.json says "debugger": false, yet ipykernel
    # imports debugpy whenever it is installed (7.5 MB unique memory a kernel, measured: a class of 30
    # pays it 30 times). An import of debugpy now fails, so ipykernel starts without it.
    sys.modules.setdefault("debugpy", None)  # type: ignore[arg-type]
    from jupyter_core.paths import jupyter_data_dir
    from traitlets.config import Config

    from .kernel.app import MicroPythonKernelApp
    from .kernel.kernel import MicroPythonKernel

    config = Config()
    # MicroPython cells get their own history file, apart from IPython's.
    history = Path(jupyter_data_dir()) / "micropython_kernel" / "history.sqlite"
    history.parent.mkdir(parents=True, exist_ok=True)
    config.HistoryManager.hist_file = str(history)
    MicroPythonKernelApp.launch_instance(kernel_class=MicroPythonKernel, config=config)


if __name__ == "__main__":
    main()
