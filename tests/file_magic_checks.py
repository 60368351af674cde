"""The same file-magic checks for every target (the QEMU micro:bit, the simulated board)."""

from __future__ import annotations

from pathlib import Path

from tests.kernel_driver import KernelSession


def _ok(kernel: KernelSession, code: str) -> str:
    run = kernel.execute(code)
    assert run.status == "ok", (code, run.error)
    return run.stdout.replace("\r\n", "\n")


def check_file_magics(kernel: KernelSession, notebook: Path, folders: bool) -> None:
    text = "first line\nsecond line, ünïcode\n" + "x" * 700 + "\n"
    _ok(kernel, "%%writefile notes.txt\n" + text)
    listing = _ok(kernel, "%ls")
    assert "notes.txt" in listing
    assert _ok(kernel, "%cat notes.txt") == text
    # the board's own os and open see the file
    assert "notes.txt" in _ok(kernel, "import os\nprint(os.listdir())")
    assert _ok(kernel, "f = open('notes.txt')\nprint(f.read().split()[0])\nf.close()") == "first\n"

    _ok(kernel, "%get notes.txt")
    assert (notebook / "notes.txt").read_text(encoding="utf-8") == text
    _ok(kernel, "%get notes.txt copy.txt")
    assert (notebook / "copy.txt").read_text(encoding="utf-8") == text

    payload = bytes(range(256)) * 12  # binary, 3 KB, every byte value
    (notebook / "blob.bin").write_bytes(payload)
    _ok(kernel, "%put blob.bin")
    _ok(kernel, "%get blob.bin back.bin")
    assert (notebook / "back.bin").read_bytes() == payload
    assert "3,072 B" in _ok(kernel, "%ls")

    (notebook / "script.py").write_text("def twice(n):\n    return 2 * n\nprint('ran', twice(21))\n")
    assert _ok(kernel, "%run script.py") == "ran 42\n"
    assert _ok(kernel, "print(twice(5))") == "10\n"
    (notebook / "broken.py").write_text("a = 1\nb = a + undefined_name\n")
    run = kernel.execute("%run broken.py")
    assert run.status == "error" and run.error["ename"] == "NameError"

    _ok(kernel, "%put script.py lib.py")
    assert _ok(kernel, "import lib") == "ran 42\n"

    _ok(kernel, "%rm blob.bin")
    assert "blob.bin" not in _ok(kernel, "%ls")
    run = kernel.execute("%rm no_such_file.txt")
    assert run.status == "error" and "no_such_file.txt" in run.error["evalue"]
    run = kernel.execute("%cat no_such_file.txt")
    assert run.status == "error" and "cannot read" in run.error["evalue"]

    if folders:
        _ok(kernel, "%mkdir data")
        _ok(kernel, "%%writefile data/readings.csv\n1,2\n3,4\n")
        assert "data/" in _ok(kernel, "%ls")
        assert "readings.csv" in _ok(kernel, "%ls data")
        assert _ok(kernel, "%cat data/readings.csv") == "1,2\n3,4\n"
        _ok(kernel, "%rm data/readings.csv")
        _ok(kernel, "%rm data")
        assert "data/" not in _ok(kernel, "%ls")


def check_paths_that_escape_are_refused(kernel: KernelSession, notebook: Path) -> None:
    _ok(kernel, "%%writefile safe.txt\nhello\n")
    outside = notebook.parent / "outside.txt"
    for cell in (
        "%get safe.txt ../outside.txt",
        f"%get safe.txt {outside}",
        "%get safe.txt /etc/passwd-copy",
        "%put /etc/hostname",
        "%put ../outside.txt",
        "%run /etc/hostname",
        "%cat ../etc/passwd",
        "%get ../../etc/passwd",
        "%rm ../x",
    ):
        run = kernel.execute(cell)
        assert run.status == "error", cell
        assert "refused" in run.error["evalue"], (cell, run.error)
    assert not outside.exists()
