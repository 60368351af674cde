"""Targets that run MicroPython: the Board protocol, the raw REPL and the byte channels under it.

Nothing here imports Jupyter: the board layer can be used (and tested) on its own.
"""
