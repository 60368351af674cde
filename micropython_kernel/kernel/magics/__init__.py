"""Magics: commands handled by the kernel itself. Importing this package registers all of them."""

from . import hardware, target  # noqa: F401  (register %signal/%pins/%trace; %connect, %reset ...)
from .registry import MAGICS, Magic, MagicError, cell_magic, find_magic, line_magic

__all__ = ["MAGICS", "Magic", "MagicError", "cell_magic", "find_magic", "line_magic"]
