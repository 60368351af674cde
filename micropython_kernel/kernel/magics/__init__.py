"""Magics: commands handled by the kernel itself. Importing this package registers all of them."""

from . import data, target  # noqa: F401  (registers %connect, %reset, %status, %lsmagic; %%host, %capture, %export)
from .registry import MAGICS, Magic, MagicError, cell_magic, find_magic, line_magic

__all__ = ["MAGICS", "Magic", "MagicError", "cell_magic", "find_magic", "line_magic"]
