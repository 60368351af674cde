"""input() on the board, answered in the notebook (Jupyter's stdin channel).

A board's ``input()`` prints nothing that says "I am waiting", so before a cell that calls it the kernel
defines a global ``input`` on the board (``HELPER``): it prints a marker with the prompt, then calls the
board's own ``input()``, which reads a line from the serial line (or the VM's terminal) and echoes it.
``StdinRelay`` sits on the cell's output: it takes the marker out and asks the kernel for a line; the
kernel sends the line to the board and the relay drops its echo. The same code works on every target
(the micro:bit's v1.9.2 has no ``sys.stdin``, but it has ``builtins.input``). Ctrl-D on an empty line
makes the board's ``input()`` raise EOFError: the answer for a frontend that takes no input.
"""

from __future__ import annotations

from collections.abc import Callable

MARKER = b"\x1b]mpk-input;"
END = b"\x07"
EOF = b"\x04"  # Ctrl-D: the board's input() raises EOFError
# Defined on the board before a cell that mentions input( (the default binds the built-in once).
HELPER = (
    "def input(prompt='', _input=__import__('builtins').input):\n"
    "    print('\\x1b]mpk-input;%s\\x07' % (prompt,), end='')\n"
    "    return _input()\n"
)


def wants_input(code: str) -> bool:
    """Whether a cell may call input() (then the kernel defines the helper first)."""
    return "input(" in code


class StdinRelay:
    """Filters a cell's stdout: input markers become ``on_request(prompt)``, echoes are dropped."""

    def __init__(self, sink: Callable[[bytes], None], on_request: Callable[[str], None]) -> None:
        self._sink = sink
        self._on_request = on_request
        self._held = bytearray()  # a marker (or the start of one) not yet complete
        self._echo = b""  # what the board will echo of the line it was sent

    def expect_echo(self, line: bytes) -> None:
        self._echo = line

    def feed(self, data: bytes) -> None:
        if self._echo:
            data = self._drop_echo(data)
        self._held += data
        out = bytearray()
        while self._held:
            start = self._held.find(MARKER)
            if start < 0:
                keep = _partial_marker(self._held)  # bytes that may begin a marker: wait for more
                out += self._held[: len(self._held) - keep]
                del self._held[: len(self._held) - keep]
                break
            end = self._held.find(END, start + len(MARKER))
            out += self._held[:start]
            if end < 0:
                del self._held[:start]
                break
            prompt = self._held[start + len(MARKER) : end].decode("utf-8", "replace")
            del self._held[: end + 1]
            if out:
                self._sink(bytes(out))
                out.clear()
            self._on_request(prompt)
        if out:
            self._sink(bytes(out))

    def close(self) -> None:
        """The cell ended: pass on what was held back."""
        if self._held:
            self._sink(bytes(self._held))
            self._held.clear()

    def _drop_echo(self, data: bytes) -> bytes:
        # The echo comes first, byte for byte, then the Enter ("\r\n" from the board, "\n" once a
        # serial line's ending filter had it): carriage returns are skipped while the echo is awaited.
        pos = 0
        while pos < len(data) and self._echo:
            byte = data[pos]
            if byte == self._echo[0]:
                self._echo = self._echo[1:]
            elif byte != 0x0D:  # something else: the echo is over (or never came)
                self._echo = b""
                break
            pos += 1
        return data[pos:]


def _partial_marker(data: bytearray) -> int:
    """How many bytes at the end of ``data`` are the start of MARKER."""
    for size in range(min(len(MARKER) - 1, len(data)), 0, -1):
        if data.endswith(MARKER[:size]):
            return size
    return 0
