"""File magics on the QEMU micro:bit (a flat filesystem, MicroPython v1.9.2)."""

from __future__ import annotations

from tests.file_magic_checks import check_file_magics, check_paths_that_escape_are_refused


def test_file_magics(board_kernel, notebook_folder):
    check_file_magics(board_kernel, notebook_folder, folders=False)


def test_paths_that_escape_are_refused(board_kernel, notebook_folder):
    check_paths_that_escape_are_refused(board_kernel, notebook_folder)


def test_mkdir_says_the_microbit_has_no_folders(board_kernel):
    run = board_kernel.execute("%mkdir data")
    assert run.status == "error"
    assert "no folders" in run.error["evalue"]
