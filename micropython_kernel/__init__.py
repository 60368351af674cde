"""micropython-kernel: a Jupyter kernel for MicroPython with a simulated board and live hardware views."""

__version__ = "0.1.0"
