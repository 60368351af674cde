// The time chart of %plot and %heap: an anywidget ES module drawing with uPlot.
//
// Python sends data as custom messages, never as synced state, so an update carries only what is new:
//   {kind: "reset", t: [...], columns: [[...], ...], markers: [[t, label], ...]}  the whole window
//   {kind: "append", t: [...], columns: [[...], ...], markers: [...]}           new samples only
// (one column per name in the `series` trait, null where a sample has no value for that series).
// A view rendered later (a second output, a page reload) asks for the window with {kind: "ready"}.
// The page keeps at most `window` points; zoom, pan, pause and the legend are local to each view.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./chart.css";

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

// Tick steps for bytes: powers of two (16 B ... 1 MB) and their 1.5 and 3 multiples, so KB ticks are round.
const BYTE_STEPS = [];
for (let step = 1; step <= 1 << 20; step *= 2) BYTE_STEPS.push(step, step * 1.5);

function plainNumber(value) {
  // 33870 -> "33,870", 0.0021 -> "0.0021": never scientific notation for what a class reads.
  if (value == null || !Number.isFinite(value)) return "-";
  const size = Math.abs(value);
  const digits = size >= 1000 ? 0 : size >= 10 ? 2 : size >= 1 ? 3 : 4;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

function bytes(value) {
  if (value == null || !Number.isFinite(value)) return "-";
  return Math.abs(value) >= 1024 ? `${plainNumber(value / 1024)} KB` : `${plainNumber(value)} B`;
}

function seconds(value) {
  if (value == null || !Number.isFinite(value)) return "-";
  return `${plainNumber(value)} s`;
}

class Store {
  // Columns of a fixed-size window: t and one array per series (appends trim from the front).
  constructor(names, limit) {
    this.limit = limit;
    this.t = [];
    this.columns = names.map(() => []);
    this.markers = [];
  }
  reset(msg) {
    this.t = msg.t.slice();
    this.columns = msg.columns.map((c) => c.slice());
    this.markers = (msg.markers || []).slice();
    this.trim();
  }
  append(msg) {
    for (const v of msg.t) this.t.push(v);
    msg.columns.forEach((column, i) => {
      if (!this.columns[i]) this.columns[i] = new Array(this.t.length - column.length).fill(null);
      for (const v of column) this.columns[i].push(v);
    });
    for (const m of msg.markers || []) this.markers.push(m);
    this.trim();
  }
  trim() {
    const extra = this.t.length - this.limit;
    if (extra > 0) {
      this.t.splice(0, extra);
      for (const column of this.columns) column.splice(0, extra);
    }
    const first = this.t.length ? this.t[0] : 0;
    this.markers = this.markers.filter((m) => m[0] >= first);
  }
  data() {
    return [this.t, ...this.columns];
  }
}

function markersPlugin(currentStore) {
  // Vertical dashed lines (a MemoryError, a cell boundary) with their label on top.
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = "#d62728";
        ctx.fillStyle = "#d62728";
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1.5 * uPlot.pxRatio;
        ctx.font = `${12 * uPlot.pxRatio}px sans-serif`;
        for (const [t, label] of currentStore().markers) {
          const x = Math.round(u.valToPos(t, "x", true));
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillText(label, x + 4, u.bbox.top + 14 * uPlot.pxRatio);
        }
        ctx.restore();
      },
    },
  };
}

function wheelZoomPlugin(view) {
  // Wheel: zoom the time axis around the pointer; Shift+wheel (or a sideways wheel): pan it.
  return {
    hooks: {
      ready: (u) => {
        u.over.addEventListener(
          "wheel",
          (e) => {
            e.preventDefault();
            const { min, max } = u.scales.x;
            if (min == null || max == null) return;
            const span = max - min;
            const panning = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
            view.following = false;
            if (panning) {
              const shift = (span * (e.shiftKey ? e.deltaY : e.deltaX)) / 500;
              u.setScale("x", { min: min + shift, max: max + shift });
            } else {
              const at = u.posToVal(e.offsetX, "x");
              const factor = e.deltaY < 0 ? 0.8 : 1.25;
              u.setScale("x", { min: at - (at - min) * factor, max: at + (max - at) * factor });
            }
            view.showState();
          },
          { passive: false },
        );
      },
    },
  };
}

function render({ model, el }) {
  let store = new Store(model.get("series"), model.get("window"));
  const view = { following: true, paused: false, showState: () => {} };
  const root = document.createElement("div");
  root.className = "mpk-chart";
  const tools = document.createElement("div");
  tools.className = "mpk-chart-tools";
  const pause = document.createElement("button");
  const follow = document.createElement("button");
  follow.textContent = "Show all";
  follow.title = "follow the newest samples again (or double-click the chart)";
  const state = document.createElement("span");
  state.className = "mpk-chart-state";
  tools.append(pause, follow, state);
  const plotBox = document.createElement("div");
  root.append(plotBox, tools);
  el.append(root);

  const yFormat = model.get("y_format") === "bytes" ? bytes : plainNumber;
  const width = () => Math.max(320, Math.min(plotBox.clientWidth || el.clientWidth || 720, 1400));
  function options(names) {
    return {
      width: width(),
      height: model.get("height"),
      series: [
        { label: model.get("x_label") || "time", value: (u, v) => seconds(v) },
        ...names.map((name, i) => ({
          label: name,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: true,
          value: (u, v) => yFormat(v),
          points: { show: false },
        })),
      ],
      scales: { x: { time: false } },
      axes: [
        {
          label: model.get("x_label") || "time (s)",
          values: (u, ticks) => ticks.map((v) => plainNumber(v)),
          grid: { stroke: "#e6e6e6" },
          font: "14px sans-serif",
          labelFont: "bold 14px sans-serif",
        },
        {
          label: model.get("y_label") || "",
          values: (u, ticks) => ticks.map((v) => yFormat(v)),
          ...(yFormat === bytes ? { incrs: BYTE_STEPS } : {}),
          grid: { stroke: "#e6e6e6" },
          size: 90,
          font: "14px sans-serif",
          labelFont: "bold 14px sans-serif",
        },
      ],
      cursor: { drag: { x: true, y: false, setScale: true } },
      legend: { live: true },
      plugins: [markersPlugin(() => store), wheelZoomPlugin(view)],
      hooks: {
        setSelect: [() => { view.following = false; view.showState(); }],
      },
    };
  }
  let plot = null;
  function build() {
    if (plot) plot.destroy();
    plot = new uPlot(options(model.get("series")), store.data(), plotBox);
    plot.over.addEventListener("dblclick", () => { view.following = true; draw(); });
  }
  build();

  let frames = 0;
  function draw() {
    if (view.paused) return;
    plot.setData(store.data(), view.following);
    root.dataset.frames = String(++frames);
    view.showState();
  }
  view.showState = () => {
    pause.textContent = view.paused ? "Resume" : "Pause";
    pause.title = view.paused ? "draw the newest samples again" : "freeze the drawing (samples still arrive)";
    follow.disabled = view.following && !view.paused;
    const n = store.t.length;
    state.textContent = `${n.toLocaleString("en-US")} samples${view.paused ? ", paused" : ""}${
      view.following ? "" : ", zoomed (double-click: show all)"
    }`;
    root.dataset.samples = String(n);
    root.dataset.paused = String(view.paused);
  };
  pause.addEventListener("click", () => { view.paused = !view.paused; draw(); view.showState(); });
  follow.addEventListener("click", () => { view.following = true; view.paused = false; draw(); });

  // Redraw at most once a frame, however many messages came in it.
  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  }
  const onMessage = (msg) => {
    if (msg.kind === "reset") store.reset(msg);
    else if (msg.kind === "append") store.append(msg);
    else return;
    schedule();
  };
  const onSeries = () => { store = new Store(model.get("series"), model.get("window")); build(); };
  const onWindow = () => { store.limit = model.get("window"); store.trim(); schedule(); };
  model.on("msg:custom", onMessage);
  model.on("change:series", onSeries);
  model.on("change:window", onWindow);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: model.get("height") }));
  resize.observe(plotBox);
  view.showState();
  model.send({ kind: "ready" });
  return () => {
    model.off("msg:custom", onMessage);
    model.off("change:series", onSeries);
    model.off("change:window", onWindow);
    resize.disconnect();
    plot.destroy();
  };
}

export default { render };
