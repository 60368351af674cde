"""Reading a raw-REPL result frame, ``<stdout>\\x04<stderr>\\x04>``, when the code may print ``\\x04`` too.

A board sends the frame's first ``\\x04`` when the code has finished, then the uncaught exception's
traceback (or nothing), then ``\\x04>``, and then nothing at all until the host speaks. Code that prints
``\\x04`` (``print('\\x04')``, random bytes, a binary file) makes a byte that looks like the first one, so
a ``\\x04`` only *may* end stdout. What follows tells them apart:

- a real first ``\\x04`` is followed, with no ``\\x04`` between, by ``\\x04>``; if the next ``\\x04`` is
  followed by anything but ``>``, the earlier one was the code's (``print('\\x04')`` gives
  ``\\x04\\n\\x04\\x04>``: the first ``\\x04`` is followed by ``\\n\\x04\\x04``, so it was the code's);
- after the real ``\\x04>`` the board is silent; bytes after it mean the code printed that ``\\x04>``.

What cannot be told apart on the wire is code that prints ``\\x04<text>\\x04>`` and then stays silent
for a while: the frame looks complete. The raw REPL notices it when the board answers the next request
late, after more output (``RawRepl`` shows that output as the previous cell's, see ``late_output``).
"""

from __future__ import annotations

from collections.abc import Callable

EOT = b"\x04"
PROMPT = b">"
# Bytes after a possible first \x04 held back (not streamed) while waiting to see what follows; a
# traceback is far smaller. Beyond this, the \x04 was the code's and the bytes are stdout.
TAIL_LIMIT = 1 << 20


class FrameReader:
    """Fed the bytes a board sends after accepting code: streams stdout, finds the frame's end."""

    def __init__(self, on_stdout: Callable[[bytes], None]) -> None:
        self._on_stdout = on_stdout
        self._tail: bytearray | None = None  # bytes after a \x04 that may have ended stdout
        self.stderr: bytes | None = None  # set once the frame's end was seen
        self.code_eots = 0  # \x04 bytes found to be the code's own output

    @property
    def done(self) -> bool:
        return self.stderr is not None

    @property
    def holding(self) -> bool:
        """Is stdout held back after a \x04 (a reboot banner in stdout cannot be told then)?"""
        return self._tail is not None

    def feed(self, data: bytes) -> bytes:
        """Take ``data``; returns the bytes after the frame's end if it ended in ``data`` (which mean
        that it did not: call ``reopen`` with them), else b""."""
        while data:
            if self._tail is None:
                index = data.find(EOT)
                if index < 0:
                    self._on_stdout(data)
                    return b""
                if index:
                    self._on_stdout(data[:index])
                self._tail = bytearray()
                data = data[index + 1 :]
                continue
            self._tail += data
            data = b""
            result = self._scan_tail()
            if result is not None:
                return result
        return b""

    def _scan_tail(self) -> bytes | None:
        """Look for ``\\x04>`` in the held tail; None to wait for more."""
        while self._tail is not None:
            tail = self._tail
            index = tail.find(EOT)
            if index < 0:
                if len(tail) > TAIL_LIMIT:  # no traceback is this long: it was the code's \x04
                    self._code_output(EOT + bytes(tail))
                    self._tail = None
                return None
            if index + 1 >= len(tail):
                return None  # the byte after this \x04 decides: wait for it
            if tail[index + 1 : index + 2] == PROMPT:
                self.stderr = bytes(tail[:index])
                self._tail = None
                return bytes(tail[index + 2 :])
            # Not "\x04>": the held \x04 was printed by the code; this one may end stdout.
            self._code_output(EOT + bytes(tail[:index]))
            self._tail = tail[index + 1 :]
        return None

    def reopen(self, following: bytes) -> None:
        """Bytes came after the frame's end: the code printed that end. Stream it and go on reading."""
        assert self.stderr is not None
        self._code_output(EOT + self.stderr + EOT + PROMPT)
        self.code_eots += 1  # (the second one; _code_output counted the first)
        self.stderr = None
        rest = self.feed(following)
        if rest:
            self.reopen(rest)

    def _code_output(self, data: bytes) -> None:
        self.code_eots += 1
        self._on_stdout(data)
