"""A pty that answers the raw REPL as a MicroPython board would, then says whatever a test scripts.

It handles Ctrl-C, Ctrl-A (the raw prompt), the raw-paste request (refused: ``R\\x00``) and the
kernel's info query, so the kernel connects; the answer to every other piece of code is ``script``.
"""

from __future__ import annotations

import os
import pty
import re
import threading
import tty

BANNER = b"raw REPL; CTRL-B to exit\r\n>"
_PRINT = re.compile(rb"print\('([^']*)'\)")
INFO_ANSWER = b"OK('MicroPython v1.0.0 on 2020-01-01; fake board', 'fake', '1.0.0')\r\n\x04\x04>"


def answer_for(text: str) -> bytes:
    return b"OK" + text.encode() + b"\r\n\x04\x04>"


class FakeBoard:
    def __init__(self) -> None:
        self.master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self.script: bytes | None = None  # the answer to the next code; None: answer print('...') faithfully
        self._code = bytearray()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            try:
                for byte in data:
                    self._take(byte)
            except OSError:  # closed while answering: unplugged
                return

    def _take(self, byte: int) -> None:
        if byte == 0x03:
            self._code.clear()
        elif byte == 0x01:
            refused_paste = self._code.endswith(b"\x05A")
            self._code.clear()
            os.write(self.master, b"R\x00" if refused_paste else BANNER)
        elif byte == 0x04:
            code, self._code = bytes(self._code), bytearray()
            os.write(self.master, self._answer(code))
        else:
            self._code.append(byte)

    def _answer(self, code: bytes) -> bytes:
        if b"_mpk_info" in code:
            return INFO_ANSWER
        if self.script is not None:
            return self.script
        printed = _PRINT.search(code)  # the kernel may wrap it: ``_ = (print('...'))``
        if printed:
            return answer_for(printed.group(1).decode())
        return b"OK\x04\x04>"

    def close(self) -> None:
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
