"""One cell's output from the board, on its way to the notebook, the plot and the recordings.

The board's stdout bytes are decoded once (UTF-8; a chunk may end inside a character), split into
lines once, and each line parsed once as data (``1.5 2.0``, ``temp:21.5``); then fanned out:

- the stream (``OutputStreamer``: the cell's text in the notebook, coalesced in time, bounded). Text
  goes out as it comes, partial lines too, unless the plot hides data lines (``%plot --hide-data``):
  then only whole text lines;
- the plot: each data line a sample on the ``BoardState`` (only while a plot is shown);
- the recording (``CellRecording``: ``data``/``lines`` of %%host, ``%capture``), which sees every line.

Lines are split and parsed only when one of the last two wants them. docs/architecture.md, "A cell's
output".
"""

from __future__ import annotations

import codecs
import time

from ..board.datalines import LineSplitter, parse_data_line
from ..board.plot_time import ArrivalClock, board_time
from ..board.state import BoardState
from .capture import CellRecording
from .output import OutputStreamer


class CellOutput:
    def __init__(
        self,
        stream: OutputStreamer,
        recording: CellRecording | None = None,
        plot: BoardState | None = None,
        hide_data: bool = False,
    ) -> None:
        self._stream = stream
        self._recording = recording if recording is not None and recording.active else None
        self._plot = plot
        self._hide = hide_data and plot is not None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._splitter = LineSplitter()
        self._wants_lines = self._recording is not None or plot is not None
        self._clock = ArrivalClock()  # the plot's x where the board prints no time of its own

    def feed(self, data: bytes) -> None:
        """Bytes the board printed (pass this as the board's ``on_stdout``)."""
        self._text(self._decoder.decode(data))

    def _text(self, text: str) -> None:
        if not text:
            return
        if not self._hide:
            self._stream.feed_text(text)  # as it came, partial lines too
        if self._wants_lines:
            self._lines(self._splitter.feed(text))

    def _lines(self, lines: list[str], end: str = "\n") -> None:
        if not lines:
            return
        values = [parse_data_line(line) for line in lines]
        if self._recording is not None:
            self._recording.add(lines, values)
        if self._plot is not None:
            rows = [row for row in values if row is not None]
            now = time.monotonic()
            for row, arrived in zip(rows, self._clock.times(len(rows), now), strict=True):
                clock = board_time(row)
                if clock is None:
                    self._plot.add_data(row, now, arrived)
                else:
                    self._plot.add_data(row, now, clock[1], clock[0])
        if self._hide:
            shown = "".join(line + end for line, row in zip(lines, values, strict=True) if row is None)
            if shown:
                self._stream.feed_text(shown)

    def close(self) -> None:
        """The cell ended (or was stopped): the rest of its output, a last line without a newline
        counted too, and the stream's last batch sent."""
        self._text(self._decoder.decode(b"", final=True))
        if self._wants_lines:
            last = self._splitter.feed("\n")[0]
            if last:
                self._lines([last], end="")  # (a hidden plot's text line: shown as printed)
        self._stream.close()
