"""Magics: commands handled by the kernel itself. Importing this package registers all of them."""

# Importing a module registers its magics: %connect, %reset ... (target); %ls, %put ... (files);
# %signal/%pins/%trace (hardware); %%host, %capture, %export, %replay (data); %board, %plot, %heap (views).
from . import data, files, hardware, target, views  # noqa: F401
from .registry import MAGICS, Magic, MagicError, cell_magic, find_magic, line_magic

__all__ = ["MAGICS", "Magic", "MagicError", "cell_magic", "find_magic", "line_magic"]
