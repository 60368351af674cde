"""Magics: commands handled by the kernel itself. Importing this package registers all of them."""

from . import files, hardware, target  # noqa: F401  (importing registers the magics)
from .registry import MAGICS, Magic, MagicError, cell_magic, find_magic, line_magic

__all__ = ["MAGICS", "Magic", "MagicError", "cell_magic", "find_magic", "line_magic"]
