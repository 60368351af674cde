"""Host cells (``%%host``): CPython in the kernel process, through the IPython shell.

The cell runs exactly as in an IPython kernel (``display()``, rich reprs, inline matplotlib, IPython's
own magics and tracebacks), with the captured board data put in the shell's namespace first:

- ``data``: the session's printed numeric samples, a pandas DataFrame indexed by ``host_time`` (seconds since
  the kernel started), one column per series;
- ``lines``: the raw printed lines (a list of strings, newest last);
- ``captures``: ``captures["NAME"]`` is the DataFrame of a ``%capture NAME`` recording
  (``host_time`` in seconds since that capture started);
- ``timeline``: every recorded hardware change (the logic analyzer), a DataFrame with columns ``t``
  (seconds on the board's clock), ``pin``, ``value``, ``kind``, ``detail``; and the helpers
  ``edges(pin, start=None, end=None)``, ``period``, ``frequency``, ``duty``, ``pulse_width`` (same
  arguments) measured from it (``board/timeline.py``).

The board is never touched, so a failing host cell cannot disturb it. pandas is imported on the first
host cell only, so plain MicroPython sessions never pay for it.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .capture import Capture, DataRecorder

if TYPE_CHECKING:
    import pandas

    from .session import Session

# (the timeline helpers: board/timeline.py HELPERS, imported with the first host cell)
HOST_NAMES = ("data", "lines", "captures", "timeline", "edges", "period", "frequency", "duty", "pulse_width")


class CaptureFrames(Mapping[str, "pandas.DataFrame"]):
    """``captures["NAME"]``: each capture becomes a DataFrame only when a host cell asks for it."""

    def __init__(self, frames: FrameCache, recorder: DataRecorder) -> None:
        self._frames = frames
        self._captures = dict(recorder.captures)

    def __getitem__(self, name: str) -> pandas.DataFrame:
        if name not in self._captures:
            known = ", ".join(self._captures) or "none yet: start one with %capture NAME"
            raise KeyError(f"no capture named {name!r} (captures: {known})")
        return self._frames.frame(self._captures[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._captures)

    def __len__(self) -> int:
        return len(self._captures)

    def __repr__(self) -> str:
        return "captures: " + (", ".join(f"{name!r}" for name in self._captures) or "none")


class FrameCache:
    """Builds a capture's DataFrame once per change; each host cell gets its own copy to change."""

    def __init__(self) -> None:
        # By id, holding the capture itself: a replaced capture's id may be reused by its successor.
        self._built: dict[int, tuple[Capture, tuple[int, int], pandas.DataFrame]] = {}

    def frame(self, capture: Capture) -> pandas.DataFrame:
        key = (capture.samples.total, len(capture.samples.series))
        built = self._built.get(id(capture))
        if built is None or built[0] is not capture or built[1] != key:
            built = self._built[id(capture)] = (capture, key, capture.to_dataframe())
        return built[2].copy()  # deep: pandas 2 (Python 3.10) has no copy-on-write

    def forget_except(self, captures: list[Capture]) -> None:
        keep = {id(capture) for capture in captures}
        for key in [key for key in self._built if key not in keep]:
            del self._built[key]


class HostCells:
    """Runs ``%%host`` cells and lets the stop button interrupt them.

    ``execute(code, silent)`` runs CPython in the IPython shell whose namespace is ``user_ns`` (the
    kernel's ``IPythonKernel.do_execute``) and returns its execute reply; the session's recorder and
    state (its timeline) are the data a host cell gets.
    """

    def __init__(
        self,
        execute: Callable[[str, bool], Awaitable[dict[str, Any]]],
        user_ns: dict[str, Any],
        session: Session,
    ) -> None:
        self._execute = execute
        self._user_ns = user_ns
        self._recorder = session.recorder
        self._state = session.state
        self._frames = FrameCache()
        self._timeline_frame: tuple[int, int, pandas.DataFrame] | None = None  # (id, version, frame)
        self._lock = threading.Lock()
        self._running = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def namespace(self) -> dict[str, Any]:
        from ..board.timeline import bind_helpers

        recorder = self._recorder
        self._frames.forget_except([recorder.session, *recorder.captures.values()])
        return {
            "data": self._frames.frame(recorder.session),
            "lines": recorder.lines.to_list(),
            "captures": CaptureFrames(self._frames, recorder),
            "timeline": self._timeline(),
            **bind_helpers(self._state.timeline),
        }

    def _timeline(self) -> pandas.DataFrame:
        """The timeline's DataFrame, built again only after it changed (a copy for each cell)."""
        timeline = self._state.timeline
        built = self._timeline_frame
        if built is None or built[:2] != (id(timeline), timeline.version):
            built = self._timeline_frame = (id(timeline), timeline.version, timeline.to_frame())
        return built[2].copy()

    async def run(self, code: str, silent: bool) -> dict[str, Any]:
        """Run ``code`` in the IPython shell; returns the execute reply (an error reply if it raised)."""
        self._loop = asyncio.get_running_loop()
        self._user_ns.update(self.namespace())
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self._on_sigint) if in_main_thread else None
        with self._lock:
            self._running = True
        try:
            reply = await self._execute(code, silent)
        except KeyboardInterrupt:  # the stop button, in the instant the cell was ending
            reply = {"status": "error", "ename": "KeyboardInterrupt", "evalue": "", "traceback": []}
        finally:
            with self._lock:
                self._running = False
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        return reply

    def _on_sigint(self, signum: int, frame: Any) -> None:
        if self._running:
            raise KeyboardInterrupt

    def interrupt(self) -> bool:
        """From the control thread: raise KeyboardInterrupt in a running host cell; False if none runs."""
        with self._lock:
            if not self._running:
                return False
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        # A cell awaiting something leaves the loop asleep in select(): wake it so it sees the stop.
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(lambda: None)
        return True
