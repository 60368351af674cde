"""Magics that show the live views: %board, %plot, %heap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..views import close_widgets
from .files import local_path
from .registry import MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..session import Session


_board_parser = MagicArgumentParser("%board")
_board_parser.add_argument("--watch", nargs="+", metavar="PIN", help="pins to read after each cell")


@line_magic(
    "board",
    "%board [--watch PIN ...]",
    "a live panel: pins, PWM, display, inputs on the simulator (--watch: pins read after each cell)",
)
async def board(session: Session, args: str, body: str | None) -> None:
    options = _board_parser.parse_line(args)
    await session.target.ensure()
    if options.watch:
        session.views.watch(options.watch)
        await session.views.read_watched_pins()
    session.views.show("board", session.views.new_board_panel())  # the last panel keeps its picture


_plot_parser = MagicArgumentParser("%plot")
_plot_parser.add_argument("--window", type=int, help="how many samples to draw")
_plot_parser.add_argument("--hide-data", action="store_true", help="don't print the data lines as text")
_plot_parser.add_argument("--show-data", action="store_true", help="print the data lines as text (default)")
_plot_parser.add_argument("--clear", action="store_true", help="forget the samples so far")
_plot_parser.add_argument("--export", metavar="PATH", help="write the samples to PATH (.csv or .png)")


@line_magic(
    "plot",
    "%plot [--window N] [--hide-data|--show-data] [--clear] [--export PATH.csv|PATH.png]",
    "a live plot of numbers the target prints (1.5 2.0 / (1.5, 2.0) / temp:21.5 hum:40)",
)
async def plot(session: Session, args: str, body: str | None) -> None:
    options = _plot_parser.parse_line(args)
    if options.window is not None and not 2 <= options.window <= session.state.max_data_samples:
        raise MagicError(f"%plot: the window must be 2..{session.state.max_data_samples} samples")
    if options.hide_data or options.show_data:
        session.views.hide_data = options.hide_data
    if options.export:  # (an export only writes the file: the live plot's samples, or all so far)
        path = local_path(options.export)
        if path.suffix.lower() not in (".csv", ".png"):
            raise MagicError("%plot --export: the file must end in .csv or .png")
        view = session.views.plot or session.views.new_plot()
        if options.window is not None:
            view.window.value = options.window
        if options.clear:
            view.clear()
        count = view.to_csv(path) if path.suffix.lower() == ".csv" else view.to_png(path)
        if view is not session.views.plot:
            close_widgets(view)  # (made for the export only)
        session.print(f"Wrote {count} samples to {options.export}.\n")
        return
    view = session.views.new_plot(clear=options.clear)  # a new output: the last plot keeps its picture
    if options.window is not None:
        view.window.value = options.window
    session.views.show("plot", view)


_heap_parser = MagicArgumentParser("%heap")
_heap_parser.add_argument("--window", type=int, help="how many samples to draw")


@line_magic("heap", "%heap [--window N]", "free/used heap and largest free block, sampled after each cell")
async def heap(session: Session, args: str, body: str | None) -> None:
    options = _heap_parser.parse_line(args)
    if options.window is not None and options.window < 2:
        raise MagicError("%heap: the window must be at least 2 samples")
    await session.target.ensure()
    await session.views.sample_heap()
    view = session.views.new_heap()
    if options.window is not None:
        view.window = options.window
    session.views.show("heap", view)  # the last heap view keeps its picture
