"""Magics: commands handled by the kernel itself. Importing this package registers all of them."""

# Importing a module registers its magics: %signal/%pins/%trace; %connect, %reset, %status, %lsmagic;
# %board, %plot, %heap.
from . import hardware, target, views  # noqa: F401
from .registry import MAGICS, Magic, MagicError, cell_magic, find_magic, line_magic

__all__ = ["MAGICS", "Magic", "MagicError", "cell_magic", "find_magic", "line_magic"]
