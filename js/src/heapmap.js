// The %heap block map: one cell a GC block, as micropython.mem_info(1) prints it, drawn on a canvas.
// Synced state (widgets/heap_map.py): blocks (one character a block: "." free, "h" head, "=" tail,
// other letters heads by type), block_bytes, caption. Free, used and fragmentation at a glance.
import "./heapmap.css";

const KINDS = {
  ".": ["free", "#e3efe3"],
  "=": ["tail (rest of an object)", "#7aa6d6"],
  h: ["object", "#1f5fa8"],
  T: ["tuple", "#9467bd"],
  L: ["list", "#ff7f0e"],
  D: ["dict", "#2ca02c"],
  S: ["str", "#d62728"],
  A: ["bytearray", "#8c564b"],
  B: ["code", "#e377c2"],
  F: ["float", "#17becf"],
  M: ["module", "#bcbd22"],
};
const OTHER = ["other", "#555"];

function kb(bytes) {
  return bytes >= 1024 ? `${(bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} KB` : `${bytes} B`;
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "mpk-heapmap";
  const caption = document.createElement("div");
  caption.className = "mpk-heapmap-caption";
  const canvas = document.createElement("canvas");
  const stats = document.createElement("div");
  stats.className = "mpk-heapmap-stats";
  const legend = document.createElement("div");
  legend.className = "mpk-heapmap-legend";
  root.append(caption, canvas, stats, legend);
  el.appendChild(root);

  function draw() {
    const blocks = model.get("blocks") || "";
    const size = model.get("block_bytes") || 16;
    caption.textContent = model.get("caption");
    const columns = 128;
    const rows = Math.max(1, Math.ceil(blocks.length / columns));
    const width = Math.max(320, Math.min(root.clientWidth || 768, 1024));
    const cell = Math.max(2, Math.floor(width / columns));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = columns * cell * ratio;
    canvas.height = rows * cell * ratio;
    canvas.style.width = `${columns * cell}px`;
    canvas.style.height = `${rows * cell}px`;
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    const counts = {};
    let free = 0, largest = 0, run = 0, runs = 0;
    for (let i = 0; i < blocks.length; i++) {
      const c = blocks[i];
      counts[c] = (counts[c] || 0) + 1;
      if (c === ".") { free++; run++; if (run === 1) runs++; largest = Math.max(largest, run); }
      else run = 0;
      ctx.fillStyle = (KINDS[c] || OTHER)[1];
      ctx.fillRect((i % columns) * cell, Math.floor(i / columns) * cell, cell - (cell > 3 ? 1 : 0), cell - (cell > 3 ? 1 : 0));
    }
    const used = blocks.length - free;
    const fragmentation = free ? Math.round(100 * (1 - largest / free)) : 0;
    stats.textContent = blocks.length
      ? `${blocks.length.toLocaleString("en-US")} blocks of ${size} B: used ${kb(used * size)}, free ${kb(free * size)} in ${runs} run${runs === 1 ? "" : "s"}, largest free run ${kb(largest * size)} (fragmentation ${fragmentation}%)`
      : "no block map yet: run a cell";
    root.dataset.blocks = String(blocks.length);
    root.dataset.free = String(free);
    root.dataset.largest = String(largest);
    legend.replaceChildren();
    for (const [c, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
      const [name, color] = KINDS[c] || OTHER;
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = color;
      item.append(swatch, `${name} ${c === "." ? "" : `(${c}) `}${n.toLocaleString("en-US")}`);
      legend.appendChild(item);
    }
  }
  model.on("change:blocks", draw);
  model.on("change:caption", draw);
  const resize = new ResizeObserver(() => draw());
  resize.observe(root);
  draw();
  return () => {
    model.off("change:blocks", draw);
    model.off("change:caption", draw);
    resize.disconnect();
  };
}

export default { render };
