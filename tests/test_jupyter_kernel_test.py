"""The community's conformance suite for kernels (PyPI jupyter-kernel-test), run against ours."""

from __future__ import annotations

import unittest

import jupyter_kernel_test


class MicroPythonKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "micropython"

    @classmethod
    def setUpClass(cls) -> None:
        from micropython_kernel.kernel.stubs import download

        download()  # the boards' stubs from PyPI (once): "machine.Pi" completes from them
        super().setUpClass()

    language_name = "micropython"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_generate_error = "raise ValueError('boom')"
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": "'a' + 'b'", "result": "'ab'"}]
    # Rich display comes from %%host cells (CPython through the kernel's IPython shell).
    code_display_data = [
        {
            "code": "%%host\nfrom IPython.display import HTML, display\ndisplay(HTML('<b>hi</b>'))",
            "mime": "text/html",
        },
        {
            "code": "%%host\nfrom IPython.display import Math, display\ndisplay(Math('x^2'))",
            "mime": "text/latex",
        },
    ]
    code_page_something = "%%host\nprint?"
    code_clear_output = "%%host\nfrom IPython.display import clear_output\nclear_output()"

    completion_samples = [
        {"text": "zip_and_", "matches": set()},
        {"text": "pri", "matches": {"print"}},
        {"text": "machine.Pi", "matches": {"Pin"}},  # the simulated ESP32: its stubs, no PinBase
        {"text": "import time\ntime.sleep_", "matches": {"sleep_ms", "sleep_us"}},
    ]
    complete_code_samples = ["x = 1", "print('hello')", "def f():\n    return 1\n"]
    incomplete_code_samples = ["for i in range(3):", "def f(", "x = ["]
    invalid_code_samples = ["x = )"]

    code_inspect_sample = "print"
    code_history_pattern = "6*"
    supported_history_operations = ("tail", "search")


if __name__ == "__main__":
    unittest.main()
