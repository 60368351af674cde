"""Magics that show the live views: %board, %plot, %heap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .files import local_path
from .registry import MagicArgumentParser, MagicError, line_magic

if TYPE_CHECKING:
    from ..kernel import MicroPythonKernel


_board_parser = MagicArgumentParser("%board")
_board_parser.add_argument("--watch", nargs="+", metavar="PIN", help="pins to read after each cell")


@line_magic(
    "board",
    "%board [--watch PIN ...]",
    "a live panel: pins, PWM, display, inputs on the simulator (--watch: pins read after each cell)",
)
async def board(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    options = _board_parser.parse_line(args)
    await kernel.ensure_board()
    panel = kernel.views.board_panel()
    if options.watch:
        kernel.views.watch(options.watch)
        await kernel.views.read_watched_pins()
    kernel.views.show(panel.widget)


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
async def plot(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    options = _plot_parser.parse_line(args)
    view = kernel.views.live_plot()
    if options.window is not None:
        if not 2 <= options.window <= kernel.state.max_data_samples:
            raise MagicError(f"%plot: the window must be 2..{kernel.state.max_data_samples} samples")
        view.window.value = options.window
    if options.hide_data or options.show_data:
        kernel.views.hide_data = options.hide_data
    if options.clear:
        view.clear()
    if options.export:
        path = local_path(options.export)
        if path.suffix.lower() not in (".csv", ".png"):
            raise MagicError("%plot --export: the file must end in .csv or .png")
        count = view.to_csv(path) if path.suffix.lower() == ".csv" else view.to_png(path)
        kernel.print(f"Wrote {count} samples to {options.export}.\n")
    else:  # (an export only writes the file)
        kernel.views.show(view.widget)


_heap_parser = MagicArgumentParser("%heap")
_heap_parser.add_argument("--window", type=int, help="how many samples to draw")


@line_magic("heap", "%heap [--window N]", "free/used heap and largest free block, sampled after each cell")
async def heap(kernel: MicroPythonKernel, args: str, body: str | None) -> None:
    options = _heap_parser.parse_line(args)
    view = kernel.views.heap_view()
    if options.window is not None:
        if options.window < 2:
            raise MagicError("%heap: the window must be at least 2 samples")
        view.window = options.window
    await kernel.ensure_board()
    await kernel.views.sample_heap()
    kernel.views.show(view.widget)
