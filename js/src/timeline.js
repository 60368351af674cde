// The logic analyzer of %timeline: an anywidget ES module drawing lanes on a canvas.
//
// The kernel keeps every event (up to a million); the page never gets them all. It asks for what it
// shows, {kind: "view", t0, t1, width} (seconds on the board's clock, canvas pixels), and the kernel
// answers with each lane reduced to what those pixels can show:
//   {kind: "data", t0, t1, start, end, follow, lanes: [{name, kind, steps: [[t, v], ...],
//    dense: [[t0, t1], ...], blocks: [[t0, t1, label], ...], low, high, unit}]}
// (steps: levels, duty or analog values from t on; dense: spans with more changes than pixels).
// While a cell runs the kernel sends new data as events arrive, following the newest time unless the
// user zoomed or panned. Two cursors (click: A, shift+click: B) read the time between them; the lane
// under the pointer is measured by the kernel over the cursors' span (or the view):
//   {kind: "measure", lane, t0, t1} -> {kind: "measured", lane, period, frequency, duty, pulse_width}
import "./timeline.css";

const LABEL = 130; // px for lane names
const LANE = 34; // px per lane
const AXIS = 26; // px for the time axis

function timeText(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "-";
  const size = Math.abs(seconds);
  if (size === 0) return "0 s";
  if (size >= 1) return `${seconds.toFixed(size >= 100 ? 1 : 4)} s`;
  if (size >= 1e-3) return `${(seconds * 1e3).toFixed(3)} ms`;
  return `${(seconds * 1e6).toFixed(size >= 1e-5 ? 1 : 2)} us`;
}

function hertz(value) {
  if (value == null || !Number.isFinite(value)) return "-";
  if (value >= 1e6) return `${(value / 1e6).toFixed(3)} MHz`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(3)} kHz`;
  return `${value.toFixed(3)} Hz`;
}

function niceStep(span, pixels) {
  // A tick step of 1, 2 or 5 times a power of ten, about every 110 px.
  const raw = (span * 110) / Math.max(pixels, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function element(tag, className, text = "", title = "") {
  const made = document.createElement(tag);
  if (className) made.className = className;
  made.textContent = text;
  if (title) made.title = title;
  return made;
}

function render({ model, el }) {
  const root = element("div", "mpk-timeline");
  const tools = element("div", "mpk-timeline-tools");
  const live = element("button", "", "Live / whole run",
    "follow the newest events again, the whole --window (or double-click the lanes)");
  const zoomIn = element("button", "", "Zoom in");
  const zoomOut = element("button", "", "Zoom out");
  const clear = element("button", "", "Clear cursors");
  tools.append(live, zoomIn, zoomOut, clear);
  const status = element("div", "mpk-timeline-status");
  const note = element("div", "mpk-timeline-note");
  const canvas = element("canvas", "mpk-timeline-canvas");
  const readout = element("div", "mpk-timeline-readout");
  const measure = element("div", "mpk-timeline-measure");
  root.append(tools, status, note, canvas, readout, measure);
  el.append(root);

  const view = { t0: 0, t1: 1, follow: true, data: null, cursors: [null, null], hover: null, measured: null };
  let frames = 0;

  const width = () => Math.max(480, Math.min(root.clientWidth || el.clientWidth || 900, 1600));
  const plotWidth = () => width() - LABEL - 10;
  const lanes = () => (view.data ? view.data.lanes : []);
  const xOf = (t) => LABEL + ((t - view.t0) / (view.t1 - view.t0 || 1)) * plotWidth();
  const tOf = (x) => view.t0 + ((x - LABEL) / plotWidth()) * (view.t1 - view.t0);

  function ask() {
    model.send({ kind: "view", t0: view.t0, t1: view.t1, width: Math.round(plotWidth()), follow: view.follow });
  }

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    const w = width();
    const h = Math.max(1, lanes().length) * LANE + AXIS;
    canvas.width = w * ratio;
    canvas.height = h * ratio;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "12px sans-serif";
    const right = LABEL + plotWidth();
    lanes().forEach((lane, i) => {
      const top = i * LANE;
      const hi = top + 6;
      const lo = top + LANE - 6;
      ctx.fillStyle = i % 2 ? "#fafafa" : "#f2f2f2";
      ctx.fillRect(0, top, right, LANE);
      ctx.fillStyle = view.hover === i ? "#d62728" : "#222";
      ctx.fillText(lane.name, 6, top + LANE / 2 + 4);
      ctx.fillStyle = "#777";
      ctx.fillText(lane.kind === "pin" ? "" : lane.kind, 6, top + LANE - 3);
      ctx.save();
      ctx.beginPath();
      ctx.rect(LABEL, top, plotWidth(), LANE);
      ctx.clip();
      ctx.strokeStyle = "#1f77b4";
      ctx.lineWidth = 1.5;
      const y = (v) => {
        if (lane.kind === "pin") return v >= 0.5 ? hi : lo;
        const span = lane.high - lane.low || 1;
        return lo - ((v - lane.low) / span) * (lo - hi);
      };
      if (lane.kind === "pin" || lane.kind === "pwm") {
        let lastY = null;
        ctx.beginPath();
        for (const [t, v] of lane.steps) {
          const x = Math.max(LABEL, xOf(t));
          if (lastY == null) ctx.moveTo(x, y(v));
          else {
            ctx.lineTo(x, lastY);
            ctx.lineTo(x, y(v));
          }
          lastY = y(v);
        }
        if (lastY != null) ctx.lineTo(Math.min(right, xOf(view.data.end)), lastY);
        ctx.stroke();
      } else if (lane.kind === "adc" || lane.kind === "sensor") {
        ctx.beginPath();
        lane.steps.forEach(([t, v], k) => (k ? ctx.lineTo(xOf(t), y(v)) : ctx.moveTo(xOf(t), y(v))));
        ctx.stroke();
      }
      ctx.fillStyle = "rgba(31, 119, 180, 0.55)";
      for (const [a, b] of lane.dense) ctx.fillRect(xOf(a), hi, Math.max(1, xOf(b) - xOf(a)), lo - hi);
      for (const [a, b, label] of lane.blocks) {
        const x = xOf(a);
        const bw = Math.max(2, xOf(b) - x);
        ctx.fillStyle = "#ffe9b3";
        ctx.strokeStyle = "#b8860b";
        ctx.fillRect(x, hi, bw, lo - hi);
        ctx.strokeRect(x, hi, bw, lo - hi);
        if (bw > 30) {
          ctx.fillStyle = "#222";
          ctx.fillText(label, x + 3, top + LANE / 2 + 4, bw - 6);
        }
      }
      if (lane.kind === "pwm" && lane.steps.length) {
        const [, duty] = lane.steps[lane.steps.length - 1];
        ctx.fillStyle = "#555";
        ctx.fillText(`${(duty * 100).toFixed(1)}% ${lane.unit || ""}`, right - 120, top + 12);
      }
      ctx.restore();
    });
    // time axis
    const axisTop = lanes().length * LANE;
    ctx.strokeStyle = "#999";
    ctx.fillStyle = "#333";
    ctx.beginPath();
    ctx.moveTo(LABEL, axisTop + 1);
    ctx.lineTo(right, axisTop + 1);
    ctx.stroke();
    const step = niceStep(view.t1 - view.t0, plotWidth());
    const first = Math.ceil(view.t0 / step) * step;
    // Zoomed in far, absolute times all read alike: label the ticks from the first one (shown as "t=").
    const relative = view.t1 - view.t0 < 0.01 && Math.abs(first) > 100 * (view.t1 - view.t0);
    for (let k = 0, t = first; t <= view.t1; t = first + ++k * step) {
      const x = xOf(t);
      ctx.beginPath();
      ctx.moveTo(x, axisTop);
      ctx.lineTo(x, axisTop + 5);
      ctx.stroke();
      const text = !relative ? timeText(t) : k === 0 ? `t=${t.toFixed(6)} s` : `+${timeText(t - first)}`;
      ctx.fillText(text, x - 20, axisTop + 18);
    }
    // cursors
    view.cursors.forEach((t, k) => {
      if (t == null || t < view.t0 || t > view.t1) return;
      ctx.strokeStyle = k ? "#2ca02c" : "#d62728";
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(xOf(t), 0);
      ctx.lineTo(xOf(t), axisTop);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fillText(k ? "B" : "A", xOf(t) + 3, 11);
    });
    root.dataset.frames = String(++frames);
    root.dataset.lanes = String(lanes().length);
    root.dataset.t0 = String(view.t0);
    root.dataset.t1 = String(view.t1);
    showText();
  }

  function showText() {
    const d = view.data;
    const span = view.t1 - view.t0;
    const at = (t) => (span < 0.1 ? `${t.toFixed(6)} s` : timeText(t));
    status.textContent = d
      ? `${at(view.t0)} .. ${at(view.t1)} (${timeText(span)} shown)` +
        `${view.follow ? ", live" : ", zoomed (double-click: whole run)"}`
      : "waiting for events";
    const [a, b] = view.cursors;
    let text = "click: cursor A, shift+click: cursor B";
    if (a != null) text = `A ${timeText(a)}`;
    if (b != null) text += `   B ${timeText(b)}`;
    if (a != null && b != null) {
      const delta = Math.abs(b - a);
      text += `   B - A = ${timeText(delta)} (${hertz(delta > 0 ? 1 / delta : NaN)})`;
    }
    readout.textContent = text;
    readout.dataset.delta = a != null && b != null ? String(Math.abs(b - a)) : "";
    const m = view.measured;
    measure.textContent = m
      ? `${m.lane}: period ${timeText(m.period)}, frequency ${hertz(m.frequency)}, duty ${
          Number.isFinite(m.duty) ? (m.duty * 100).toFixed(1) + "%" : "-"
        }, pulse width ${timeText(m.pulse_width)} (${m.over})`
      : "point at a lane to measure it";
    if (m) measure.dataset.period = String(m.period);
  }

  function askMeasure(index) {
    const lane = lanes()[index];
    if (!lane) return;
    const [a, b] = view.cursors;
    const span = a != null && b != null ? [Math.min(a, b), Math.max(a, b)] : [view.t0, view.t1];
    const cursors = a != null && b != null;
    model.send({ kind: "measure", lane: lane.name, t0: span[0], t1: span[1], cursors, view_t0: view.t0, view_t1: view.t1 });
  }

  function zoom(factor, at) {
    const center = at ?? (view.t0 + view.t1) / 2;
    const start = view.data ? view.data.start : view.t0;
    const end = view.data ? view.data.end : view.t1;
    let t0 = center - (center - view.t0) * factor;
    let t1 = center + (view.t1 - center) * factor;
    if (t1 - t0 < 1e-6) [t0, t1] = [center - 5e-7, center + 5e-7]; // a microsecond across at most
    if (t1 - t0 > (end - start) * 1.1 && end > start) [t0, t1] = [start, end];
    view.t0 = t0;
    view.t1 = t1;
    view.follow = false;
    draw();
    ask();
  }

  canvas.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const shift = ((view.t1 - view.t0) * (e.shiftKey ? e.deltaY : e.deltaX)) / 500;
        view.t0 += shift;
        view.t1 += shift;
        view.follow = false;
        draw();
        ask();
      } else zoom(2 ** (Math.max(-600, Math.min(600, e.deltaY)) / 200), tOf(e.offsetX)); // a notch: x0.7
    },
    { passive: false },
  );
  let drag = null;
  canvas.addEventListener("mousedown", (e) => { drag = { x: e.offsetX, t0: view.t0, t1: view.t1, moved: false }; });
  canvas.addEventListener("mousemove", (e) => {
    const lane = Math.floor(e.offsetY / LANE);
    if (lane !== view.hover && lane < lanes().length) {
      view.hover = lane;
      askMeasure(lane);
      draw();
    }
    if (!drag) return;
    const dx = e.offsetX - drag.x;
    if (Math.abs(dx) > 3) drag.moved = true;
    if (!drag.moved) return;
    const shift = (-dx / plotWidth()) * (drag.t1 - drag.t0);
    view.t0 = drag.t0 + shift;
    view.t1 = drag.t1 + shift;
    view.follow = false;
    draw();
  });
  window.addEventListener("mouseup", (e) => {
    if (!drag) return;
    const moved = drag.moved;
    drag = null;
    if (moved) ask();
  });
  canvas.addEventListener("click", (e) => {
    if (e.offsetX < LABEL) return;
    view.cursors[e.shiftKey ? 1 : 0] = tOf(e.offsetX);
    if (view.hover != null) askMeasure(view.hover);
    draw();
  });
  canvas.addEventListener("dblclick", () => { view.follow = true; ask(); });
  live.addEventListener("click", () => { view.follow = true; ask(); });
  zoomIn.addEventListener("click", () => zoom(0.5));
  zoomOut.addEventListener("click", () => zoom(2));
  clear.addEventListener("click", () => { view.cursors = [null, null]; draw(); });

  let pending = false;
  const onMessage = (msg) => {
    if (msg.kind === "data") {
      view.data = msg;
      if (view.follow || msg.follow) {
        view.t0 = msg.t0;
        view.t1 = msg.t1;
      }
      note.textContent = model.get("note");
      if (!pending) {
        pending = true;
        requestAnimationFrame(() => { pending = false; draw(); });
      }
    } else if (msg.kind === "measured") {
      view.measured = msg;
      showText();
    }
  };
  model.on("msg:custom", onMessage);
  const onNote = () => { note.textContent = model.get("note"); };
  model.on("change:note", onNote);
  onNote();
  const resize = new ResizeObserver(() => { draw(); ask(); });
  resize.observe(root);
  draw();
  ask();
  return () => {
    model.off("msg:custom", onMessage);
    model.off("change:note", onNote);
    resize.disconnect();
  };
}

export default { render };
