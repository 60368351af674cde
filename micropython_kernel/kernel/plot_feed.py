"""PlotFeed: the board's stdout on its way to the notebook, with the numeric lines taken as samples."""

from __future__ import annotations

import codecs

from ..board.datalines import LineSplitter, parse_data_line
from ..board.state import BoardState
from .output import OutputStreamer


class PlotFeed:
    """Between the board and the OutputStreamer while the plot is shown: each printed line that is
    data becomes a sample; with ``hide`` those lines are not passed on (nor counted as output)."""

    def __init__(self, streamer: OutputStreamer, state: BoardState, hide: bool) -> None:
        self._streamer = streamer
        self._state = state
        self._hide = hide
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._splitter = LineSplitter()

    def feed(self, data: bytes) -> None:
        self._text(self._decoder.decode(data))

    def _text(self, text: str) -> None:
        if not text:
            return
        kept = []
        for line in self._splitter.feed(text):
            values = parse_data_line(line)
            if values is not None:
                self._state.add_data(values)
            elif self._hide:
                kept.append(line + "\n")
        if not self._hide:  # shown as it came, partial lines too
            self._streamer.feed_text(text)
        elif kept:
            self._streamer.feed_text("".join(kept))

    def close(self) -> None:
        """The cell ended: its last line, even without a newline."""
        self._text(self._decoder.decode(b"", final=True))
        last = self._splitter.feed("\n")[0]
        if not last:
            return
        values = parse_data_line(last)
        if values is not None:
            self._state.add_data(values)
        elif self._hide:  # (when shown, it was passed on as it came)
            self._streamer.feed_text(last)
