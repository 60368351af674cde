"""Magics: commands handled by the kernel itself. Importing this package registers all of them."""

# Each import registers its magics: %connect, %reset ... (target); %signal/%pins/%trace (hardware);
# %board, %plot, %heap (views); %%host, %capture, %export, %replay (data); %ls, %cat, %put ... (files);
# %flash (the simulated board's flash image); %timeline (timeline); %mip (packages).
from . import data, files, flash, hardware, packages, target, timeline, views  # noqa: F401
from .registry import MAGICS, Magic, MagicError, cell_magic, find_magic, line_magic

__all__ = ["MAGICS", "Magic", "MagicError", "cell_magic", "find_magic", "line_magic"]
