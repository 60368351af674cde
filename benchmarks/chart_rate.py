"""What the live charts cost: bytes a redraw, frame rate and page memory, uPlot (ours) against the SVG
views it replaced and bqplot, in one run.

Prints:
1. Bytes and messages per update for a 10,000-point window streaming at 30 updates a second (33 new
   samples of 2 series each): widgets/chart.py's TimeChart (appends), the SVG chart the views sent
   before (widgets/svgchart.py: the whole window as SVG each redraw), and bqplot 0.13 (Lines with x/y
   arrays: the whole window as binary buffers each redraw). Measured on the comm messages each sends.
2. Bytes and messages a second per view through jupyter_client under a flood (100,000 printed lines with
   %plot, 100,000 pin toggles with %board, allocations with %heap), and what the SVG plot would have sent
   for the same redraws.
3. In headless Debian Chromium: frames a second and the page's JS heap while the 10,000-point window
   streams at 30 updates a second, uPlot (static/chart.js, as the widget runs it) against the SVG chart
   (innerHTML replaced each update, as the HTML widget did). The heap is sampled after a forced GC; the
   10-minute figure is extrapolated from the run's slope (--seconds, default 120) and says so.

Run: python benchmarks/chart_rate.py [--seconds N] [--skip-kernel] [--skip-browser]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import math
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micropython_kernel.widgets.chart import STATIC, TimeChart  # noqa: E402
from micropython_kernel.widgets.svgchart import line_chart  # noqa: E402

WINDOW = 10_000
RATE = 30  # updates a second
NEW = 33  # samples an update (~1,000 a second)


def _capture(widget) -> list[int]:
    """Record the size of every comm message ``widget`` sends (JSON plus binary buffers)."""
    sizes: list[int] = []

    def send(data=None, metadata=None, buffers=None):
        size = len(json.dumps(data, default=str))
        size += sum(len(memoryview(b).cast("B")) for b in buffers or [])
        sizes.append(size)

    widget.comm.send = send
    return sizes


def _samples(start: int, count: int) -> tuple[list[float], list[float], list[float]]:
    t = [i / 1000 for i in range(start, start + count)]
    return t, [1000 * math.sin(x * 3) for x in t], [800 * math.cos(x * 7) for x in t]


def bytes_per_update(updates: int = 150) -> dict[str, float]:
    """Median bytes an update of a full 10,000-point window costs, per chart."""
    results: dict[str, float] = {}
    chart = TimeChart(lambda: ([], [], []), series=["a", "b"], window=WINDOW)
    sizes = _capture(chart)
    start = WINDOW
    for _ in range(updates):
        t, a, b = _samples(start, NEW)
        chart.append(t, [a, b])
        start += NEW
    results["uPlot TimeChart (append)"] = statistics.median(sizes)

    t, a, b = _samples(0, WINDOW)
    svg_sizes = []
    for shift in range(0, updates * NEW, NEW * 10):  # (a sample of the redraws: each is the same size)
        window = slice(shift, shift + WINDOW)
        tt, aa, bb = (t + t)[window], (a + a)[window], (b + b)[window]
        svg = line_chart({"a": list(zip(tt, aa, strict=True)), "b": list(zip(tt, bb, strict=True))})
        svg_sizes.append(len(json.dumps({"method": "update", "state": {"value": svg}})))
    results["SVG (the views before)"] = statistics.median(svg_sizes)

    try:
        import bqplot
        import numpy as np
    except ImportError:
        return results
    x, y = bqplot.LinearScale(), bqplot.LinearScale()
    lines = bqplot.Lines(x=np.zeros(WINDOW), y=np.zeros((2, WINDOW)), scales={"x": x, "y": y})
    bq_sizes = _capture(lines)
    xs = np.arange(WINDOW + updates * NEW) / 1000
    for i in range(updates):
        window = xs[i * NEW : i * NEW + WINDOW]
        with lines.hold_sync():
            lines.x, lines.y = window, np.vstack([1000 * np.sin(window * 3), 800 * np.cos(window * 7)])
    results["bqplot 0.13 Lines"] = statistics.median(bq_sizes)
    return results


PLOT_FLOOD = "for i in range(100000):\n    print('a:%d b:%d' % (i, -i))"
BOARD_FLOOD = "\n".join(
    [
        "import _simhw",
        "c = _simhw.code_for('pin', 'GPIO4')",
        "for i in range(100000):",
        "    _simhw.level(c, i & 1)",
    ]
)
HEAP_FLOOD = "\n".join(
    [
        "import time",
        "keep = []",
        "for i in range(40):",
        "    keep.append(bytearray(500))",
        "    time.sleep_ms(50)",
    ]
)


def kernel_flood() -> None:
    from tests.kernel_driver import KernelSession
    from tests.widget_messages import comm_opens

    floods = {
        "%plot": ("%plot --hide-data --window 10000", PLOT_FLOOD),
        "%board": ("%board", BOARD_FLOOD),
        "%heap": ("%heap", HEAP_FLOOD),
    }
    for view, (show, flood) in floods.items():
        session = KernelSession()
        try:
            shown = session.execute(show)
            ids = set(comm_opens(shown))
            started = time.monotonic()
            run = session.execute(flood, timeout=180)
            elapsed = time.monotonic() - started
            messages = [m for m in run.of_type("comm_msg") if m["content"]["comm_id"] in ids]
            size = sum(len(json.dumps(m["content"])) for m in messages)
            print(
                f"  {view:7s} flood {elapsed:5.2f} s: {len(messages) / elapsed:5.1f} messages/s, "
                f"{size / elapsed / 1024:7.1f} KB/s ({size / max(1, len(messages)):,.0f} B a message)"
            )
            if view == "%plot":
                redraws = sum(1 for m in messages if m["content"]["data"].get("method") == "custom")
                t, a, b = _samples(0, WINDOW)
                svg = line_chart({"a": list(zip(t, a, strict=True)), "b": list(zip(t, b, strict=True))})
                print(
                    f"          the SVG plot, same {redraws} redraws of a full window: "
                    f"{redraws * len(svg) / elapsed / 1024:7.1f} KB/s ({len(svg):,} B a redraw)"
                )
        finally:
            session.close()


HARNESS = """<!doctype html><html><body><div id="root" style="width:900px"></div><script type="module">
const params = new URLSearchParams(location.search);
const kind = params.get("kind"), WINDOW = %(window)d, RATE = %(rate)d, NEW = %(new)d;
const root = document.getElementById("root");
let feed;
if (kind === "uplot") {
  const { default: widget } = await import("./chart.js");
  const css = document.createElement("link"); css.rel = "stylesheet"; css.href = "./chart.css";
  document.head.appendChild(css);
  const state = {series: ["a", "b"], window: WINDOW, height: 300, x_label: "time (s)", y_label: "value",
                 y_format: "plain"};
  const handlers = {};
  const model = {get: (k) => state[k], on: (e, f) => { handlers[e] = f; }, off() {}, send() {}};
  widget.render({model, el: root});
  let n = 0;
  feed = () => {
    const t = [], a = [], b = [];
    for (let i = 0; i < NEW; i++, n++) {
      const x = n / 1000;
      t.push(x); a.push(1000 * Math.sin(x * 3)); b.push(800 * Math.cos(x * 7));
    }
    handlers["msg:custom"]({kind: "append", t, columns: [a, b], markers: []});
  };
} else {
  const svgs = await (await fetch("./svgs.json")).json();
  let n = 0;
  feed = () => { root.innerHTML = svgs[n++ %% svgs.length]; };
}
let frames = 0;
const tick = () => { frames++; requestAnimationFrame(tick); };
requestAnimationFrame(tick);
const chartFrames = () => Number(root.querySelector(".mpk-chart")?.dataset.frames || frames);
window.mpk = { frames: () => frames, chartFrames };
setInterval(feed, 1000 / RATE);
window.mpkReady = true;
</script></body></html>"""


def _metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def _heap(cdp) -> float:
    """The page's JS heap in MB after a forced garbage collection."""
    cdp.send("HeapProfiler.collectGarbage")
    return _metrics(cdp)["JSHeapUsedSize"] / 2**20


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def browser(seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    from tests.jupyterlab_page import CHROMIUM, CHROMIUM_FLAGS

    folder = Path(sys.argv[0]).resolve().parent / "results" / "chart_rate"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("chart.js", "chart.css"):
        (folder / name).write_bytes((STATIC / name).read_bytes())
    (folder / "index.html").write_text(HARNESS % {"window": WINDOW, "rate": RATE, "new": NEW})
    t, a, b = _samples(0, 2 * WINDOW)
    svgs = [
        line_chart({"a": list(zip(t[s : s + WINDOW], a[s : s + WINDOW], strict=True)),
                    "b": list(zip(t[s : s + WINDOW], b[s : s + WINDOW], strict=True))})
        for s in range(0, WINDOW, WINDOW // 30)
    ]  # fmt: skip
    (folder / "svgs.json").write_text(json.dumps(svgs))
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for kind in ("uplot", "svg"):
                page = chromium.new_page(viewport={"width": 1000, "height": 600})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(f"{base}/index.html?kind={kind}")
                page.wait_for_function("window.mpkReady === true")
                page.wait_for_timeout(WINDOW / (RATE * NEW) * 1000 + 1000)  # the window is full

                metrics = functools.partial(_metrics, cdp)
                heap = functools.partial(_heap, cdp)

                start_heap, started, busy0 = heap(), time.monotonic(), metrics()["TaskDuration"]
                f0, c0 = page.evaluate("mpk.frames()"), page.evaluate("mpk.chartFrames()")
                heaps = [(0.0, start_heap)]
                while time.monotonic() - started < seconds:
                    page.wait_for_timeout(min(10_000, 1000 * (seconds - (time.monotonic() - started))))
                    heaps.append((time.monotonic() - started, heap()))
                elapsed = time.monotonic() - started
                f1, c1 = page.evaluate("mpk.frames()"), page.evaluate("mpk.chartFrames()")
                end = metrics()
                busy = (end["TaskDuration"] - busy0) / elapsed * 100
                slope = (heaps[-1][1] - heaps[0][1]) / max(1e-9, heaps[-1][0]) * 600  # MB per 10 min
                drawn = f"{(c1 - c0) / elapsed:4.1f} chart redraws/s, " if kind == "uplot" else ""
                print(
                    f"  {kind:5s}: page {(f1 - f0) / elapsed:4.1f} frames/s, {drawn}main thread busy "
                    f"{busy:4.1f}%, {end['Nodes']:,.0f} DOM nodes, JS heap {start_heap:5.1f} MB -> "
                    f"{heaps[-1][1]:5.1f} MB after {elapsed:.0f} s "
                    f"(10 min extrapolated: {start_heap + slope:5.1f} MB)"
                )
                page.close()
            chromium.close()
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120, help="browser streaming time per chart")
    parser.add_argument("--skip-kernel", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    options = parser.parse_args()
    print(f"1. bytes an update, {WINDOW:,}-point window, {NEW} new samples x 2 series an update:")
    results = bytes_per_update()
    ours = results["uPlot TimeChart (append)"]
    for name, size in results.items():
        rate = size * RATE / 1024
        print(f"  {name:26s} {size:10,.0f} B/update = {rate:8.1f} KB/s at {RATE}/s ({size / ours:6.1f}x)")
    if not options.skip_kernel:
        print("2. through jupyter_client under a flood, per view:")
        kernel_flood()
    if not options.skip_browser:
        print(f"3. headless Chromium, {WINDOW:,}-point window, {RATE} updates/s, {options.seconds:.0f} s:")
        browser(options.seconds)


if __name__ == "__main__":
    main()
