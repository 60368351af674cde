// The %board picture: the profile's board with its pins where they are, as an anywidget ES module.
//
// Synced state from Python (widgets/board_picture.py):
//   layout     where things are (widgets/board_layouts.py): art, board/view boxes, pins, leds, buttons, display
//   pins       {name: {m: mode, v: level|null, b: brightness 0..1|null, d: detail text, t: toggling, i: input}}
//   display    25 brightness values 0..9 (the micro:bit's 5x5), or null
//   neopixels  {pin: ["#rrggbb", ...]}
// Messages to Python: {kind: "press", name, value: 1|0} (a board button down/up, a pin's button),
//                     {kind: "toggle", name} (a click on an input pin's switch).
// Pins carry data-pin/data-mode/data-level so a page (and the browser tests) can read what is drawn.
import "@wokwi/elements/dist/esm/esp32-devkit-v1-element.js";
import "./board.css";

const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, content, attrs = {}) {
  const node = el("text", { x, y, ...attrs }, parent);
  node.textContent = content;
  return node;
}

// -- the boards' art (the ESP32 DevKit is @wokwi/elements'; the others are drawn from the layout) ------
function drawArt(svg, layout) {
  const [bx, by, bw, bh] = layout.board;
  const art = el("g", { class: "mpk-art" }, svg);
  if (layout.art === "esp32-devkit-v1") {
    // The element's own SVG is 28.2 x 54.053 mm (106.6 x 204.3 px) around a 107 x 201 viewBox: undo its fit.
    const s = 106.58 / 107;
    const g = el("g", { transform: `scale(${1 / s}) translate(0 ${-(204.29 - 201 * s) / 2})` }, art);
    const fo = el("foreignObject", { x: 0, y: 0, width: 106.6, height: 204.3 }, g);
    const board = document.createElement("wokwi-esp32-devkit-v1");
    board.ledPower = true;
    fo.appendChild(board);
    return board;
  }
  el("rect", { x: bx, y: by, width: bw, height: bh, rx: 6, fill: layout.color, stroke: "#111" }, art);
  if (layout.art === "pico") {
    el("rect", { x: 32, y: -5, width: 20, height: 14, rx: 2, fill: "#c8c8c8", stroke: "#888" }, art); // USB
    el("rect", { x: 28, y: 80, width: 28, height: 28, fill: "#222" }, art); // RP2040
    text(art, 42, 96, "RP2040", { class: "mpk-silk", "text-anchor": "middle", "font-size": 5 });
    el("rect", { x: 50, y: 24, width: 12, height: 9, rx: 1.5, fill: "#eee", stroke: "#999" }, art); // BOOTSEL
    text(art, 42, 190, "Raspberry Pi Pico", { class: "mpk-silk", "text-anchor": "middle", "font-size": 6 });
    el("rect", { x: 24, y: 40, width: 36, height: 26, fill: "#2b2b2b" }, art); // flash
  } else if (layout.art === "pyboard") {
    el("rect", { x: -8, y: 70, width: 16, height: 24, rx: 2, fill: "#c8c8c8", stroke: "#888" }, art); // USB
    el("rect", { x: 70, y: 50, width: 56, height: 56, fill: "#222" }, art); // STM32F405
    text(art, 98, 81, "STM32F405", { class: "mpk-silk", "text-anchor": "middle", "font-size": 7 });
    text(art, 150, 110, "pyboard v1.1", { class: "mpk-silk", "text-anchor": "middle", "font-size": 8 });
    el("rect", { x: 164, y: 132, width: 16, height: 16, rx: 2, fill: "#ddd", stroke: "#777" }, art); // RST
    text(art, 172, 158, "RST", { class: "mpk-silk", "text-anchor": "middle", "font-size": 6 });
  } else if (layout.art === "microbit") {
    // The edge connector: gold pads along the bottom edge, rings for the big ones.
    el("rect", { x: 0, y: 178, width: 260, height: 34, fill: "#1a2028" }, art);
    for (const [name, x, y, side] of layout.pins) {
      if (side === "s") el("rect", { x: x - 2.2, y: y - 14, width: 4.4, height: 30, fill: "#c9a94b" }, art);
      else {
        el("rect", { x: x - 11.5, y: y - 16, width: 23, height: 32, rx: 3, fill: "#c9a94b" }, art);
        el("circle", { cx: x, cy: y - 6, r: 7, fill: layout.color }, art);
      }
    }
    text(art, 130, 30, "BBC micro:bit", { class: "mpk-silk", "text-anchor": "middle", "font-size": 10 });
  }
  return null;
}

function pinColor(pin) {
  // [fill, opacity, glow]: what a pin's LED shows (PWM and ADC as brightness).
  if (!pin || pin.m === "unused") return ["none", 1, false];
  if (pin.t) return ["#39ff6a", 0.6, true];
  if (pin.m === "pwm") return ["#39ff6a", 0.15 + 0.85 * (pin.b ?? 0), (pin.b ?? 0) > 0.05];
  if (pin.m === "adc") return ["#ff9a1f", 0.15 + 0.85 * (pin.b ?? 0), false];
  if (pin.m === "in") return [pin.v ? "#7fc4ff" : "#123a66", 1, false];
  if (pin.v === 1) return ["#39ff6a", 1, true];
  if (pin.v === 0) return ["#2a2a2a", 1, false];
  return ["#bbb", 1, false];
}

function render({ model, el: host }) {
  const root = document.createElement("div");
  root.className = "mpk-board";
  const title = document.createElement("div");
  title.className = "mpk-board-title";
  root.appendChild(title);
  host.appendChild(root);
  let svg = null;
  let wokwi = null;
  let parts = {}; // name -> {group, dot, label, detail, button}
  let layout = null;

  function send(message) {
    model.send(message);
  }

  function pressable(node, name) {
    // A momentary button: pointer down presses, up (or leaving while down) releases.
    let down = false;
    node.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      down = true;
      node.setPointerCapture?.(e.pointerId);
      node.classList.add("mpk-pressed");
      send({ kind: "press", name, value: 1 });
    });
    const release = () => {
      if (!down) return;
      down = false;
      node.classList.remove("mpk-pressed");
      send({ kind: "press", name, value: 0 });
    };
    node.addEventListener("pointerup", release);
    node.addEventListener("pointercancel", release);
  }

  function build() {
    layout = model.get("layout");
    if (svg) svg.remove();
    parts = {};
    const [vx, vy, vw, vh] = layout.view;
    svg = el("svg", { viewBox: `${vx} ${vy} ${vw} ${vh + 30}`, class: `mpk-board-svg mpk-art-${layout.art}` });
    svg.style.fontSize = `${layout.font}px`;
    root.appendChild(svg);
    wokwi = drawArt(svg, layout);
    const f = layout.font;
    for (const [name, x, y, side, label] of layout.pins) {
      const group = el("g", { class: name ? "mpk-pin" : "mpk-pin mpk-power", "data-pin": name || label }, svg);
      group.classList.add(`mpk-side-${side}`);
      if (!name) group.setAttribute("fill", "#e6e6e6"); // power and ground: never driven
      const key = name || `power:${label}`;
      if (side === "b") { // a big edge pad (micro:bit): the dot in its ring, its number under it, state below
        const dot = el("circle", { cx: x, cy: y - 6, r: 3.6, class: "mpk-dot" }, group);
        text(group, x, y + 11, label, { class: "mpk-pad-label", "text-anchor": "middle", "font-size": f * 1.3 });
        const line1 = text(group, x, y + 28, "", { class: "mpk-detail", "text-anchor": "middle" });
        const line2 = text(group, x, y + 28 + f, "", { class: "mpk-detail", "text-anchor": "middle" });
        parts[key] = { group, dot, side, lines: [line1, line2] };
      } else if (side === "s") { // a narrow strip: its number and state up the board, shown when used
        const dot = el("circle", { cx: x, cy: y - 6, r: 2.6, class: "mpk-dot" }, group);
        const label_ = text(group, x + f * 0.35, y - 14, label, { class: "mpk-strip-label", "text-anchor": "start" });
        label_.setAttribute("transform", `rotate(-90 ${x + f * 0.35} ${y - 14})`);
        const detail = el("tspan", { class: "mpk-detail" }, label_);
        parts[key] = { group, dot, label: label_, detail, side };
      } else {
        const dot = el("circle", { cx: x, cy: y, r: 3.4, class: "mpk-dot", ...(name ? {} : { fill: "#e6e6e6" }) }, group);
        let tx = x, ty = y + f * 0.35, anchor = "middle", rotate = null;
        if (side === "l") { tx = x - 9; anchor = "end"; }
        else if (side === "r") { tx = x + 9; anchor = "start"; }
        else if (side === "t") { tx = x + f * 0.35; ty = y - 8; anchor = "start"; rotate = -90; }
        else if (side === "d") { tx = x + f * 0.35; ty = y + 8; anchor = "end"; rotate = -90; }
        const label_ = text(group, tx, ty, name || label, { class: "mpk-label", "text-anchor": anchor });
        const detail = el("tspan", { class: "mpk-detail" }, label_);
        if (rotate !== null) label_.setAttribute("transform", `rotate(${rotate} ${tx} ${ty})`);
        parts[key] = { group, dot, label: label_, detail, side };
      }
      if (name) {
        group.addEventListener("click", () => {
          const pin = model.get("pins")[name];
          if (pin && pin.i === "toggle") send({ kind: "toggle", name });
        });
      }
    }
    for (const [name, x, y, color, label] of layout.leds) {
      const group = el("g", { class: "mpk-led", "data-led": name }, svg);
      el("circle", { cx: x, cy: y, r: 4.5, fill: "#ddd", stroke: "#888", "stroke-width": 0.6 }, group);
      const glow = el("circle", { cx: x, cy: y, r: 4.5, fill: color, class: "mpk-led-glow" }, group);
      el("title", {}, group).textContent = label;
      parts[`led:${name}`] = { glow, group };
    }
    for (const [name, x, y, r, label] of layout.buttons) {
      const group = el("g", { class: "mpk-button", "data-button": name, tabindex: 0 }, svg);
      el("rect", { x: x - r - 2, y: y - r - 2, width: 2 * r + 4, height: 2 * r + 4, rx: 2, fill: "#3b3b3b" }, group);
      el("circle", { cx: x, cy: y, r, class: "mpk-button-cap" }, group);
      if (layout.art === "microbit") {
        text(group, x, y + 4.5, label, { class: "mpk-button-letter", "text-anchor": "middle" });
      } else { // its name beside the board, where there is room for projector-sized text
        const [bx, , bw] = layout.board;
        text(group, bx + bw + 9, y + f * 0.35, label, { class: "mpk-label mpk-button-label" });
      }
      el("title", {}, group).textContent = `${label}: press and hold`;
      pressable(group, name);
      parts[`button:${name}`] = { group };
    }
    if (layout.display) {
      const [dx, dy, size] = layout.display;
      const g = el("g", { class: "mpk-display" }, svg);
      const pitch = size / 5;
      parts.display = [];
      for (let i = 0; i < 25; i++) {
        const px = el("rect", {
          x: dx + (i % 5) * pitch + pitch * 0.3, y: dy + Math.floor(i / 5) * pitch + pitch * 0.15,
          width: pitch * 0.4, height: pitch * 0.7, rx: 1.5, class: "mpk-px",
        }, g);
        parts.display.push(px);
      }
    }
    parts.neopixels = el("g", { class: "mpk-neopixels" }, svg);
    update();
  }

  function update() {
    const pins = model.get("pins") || {};
    title.textContent = model.get("title");
    for (const [name, part] of Object.entries(parts)) {
      if (!part || !part.group || name.startsWith("led:") || name.startsWith("button:") || name.startsWith("power:")) continue;
      const pin = pins[name];
      const [fill, opacity, glow] = pinColor(pin);
      part.dot.setAttribute("fill", fill);
      part.dot.setAttribute("fill-opacity", opacity);
      part.dot.classList.toggle("mpk-glow", glow);
      const mode = pin ? pin.m : "unused";
      part.group.dataset.mode = mode;
      part.group.dataset.level = pin && pin.v != null ? String(pin.v) : "";
      part.group.dataset.activity = pin && pin.t ? "toggling" : "";
      part.group.classList.toggle("mpk-input", !!(pin && pin.i === "toggle"));
      part.group.classList.toggle("mpk-pressed", !!(pin && pin.p));
      const detail = pin && mode !== "unused" ? pin.d : "";
      if (part.lines) { // two short lines under a pad: "pwm" / "29% 50 Hz"
        const cut = detail.indexOf(" ");
        part.lines[0].textContent = cut < 0 ? detail : detail.slice(0, cut);
        part.lines[1].textContent = cut < 0 ? "" : detail.slice(cut + 1);
      } else part.detail.textContent = detail ? `  ${detail}` : "";
      part.group.classList.toggle("mpk-used", mode !== "unused");
      if (pin && pin.i === "toggle") part.group.setAttribute("role", "button");
    }
    for (const [name, part] of Object.entries(parts)) {
      if (!name.startsWith("led:")) continue;
      const pin = pins[name.slice(4)];
      const level = !pin ? 0 : pin.m === "pwm" ? pin.b ?? 0 : pin.t ? 0.6 : pin.v ? 1 : 0;
      part.glow.setAttribute("opacity", level);
      part.group.dataset.level = String(level);
      part.glow.classList.toggle("mpk-glow", level > 0.05);
      if (wokwi && name === "led:GPIO2") wokwi.led1 = level > 0.5;
    }
    for (const [name, part] of Object.entries(parts)) {
      if (!name.startsWith("button:")) continue;
      const pin = pins[name.slice(7)];
      part.group.classList.toggle("mpk-down", !!(pin && pin.p));
      part.group.dataset.pressed = pin && pin.p ? "1" : "0";
    }
    const display = model.get("display");
    if (parts.display) {
      parts.display.forEach((px, i) => {
        const b = display ? display[i] || 0 : 0;
        px.setAttribute("fill-opacity", 0.1 + (0.9 * b) / 9);
        px.dataset.b = String(b);
        px.classList.toggle("mpk-glow", b > 0);
      });
    }
    const strips = model.get("neopixels") || {};
    const g = parts.neopixels;
    g.replaceChildren();
    const [vx, vy, vw, vh] = layout.view;
    let row = 0;
    for (const [pin, colours] of Object.entries(strips)) {
      const y = vy + vh + 12 + row * 18;
      text(g, vx + 4, y + 3, `NeoPixel ${pin}`, { class: "mpk-label" });
      const step = Math.min(14, (vw - 110) / Math.max(1, colours.length));
      colours.forEach((colour, i) => {
        el("circle", { cx: vx + 110 + i * step, cy: y, r: Math.min(6, step / 2.2), fill: colour, class: "mpk-neopixel", "data-i": i, stroke: "#333" }, g);
      });
      row += 1;
    }
    const [x0, y0, w0, h0] = layout.view;
    svg.setAttribute("viewBox", `${x0} ${y0} ${w0} ${h0 + (row ? 8 + row * 18 : 0)}`);
  }

  model.on("change:layout", build);
  model.on("change:pins", update);
  model.on("change:display", update);
  model.on("change:neopixels", update);
  model.on("change:title", update);
  build();
  return () => {
    model.off("change:layout", build);
    model.off("change:pins", update);
    model.off("change:display", update);
    model.off("change:neopixels", update);
    model.off("change:title", update);
  };
}

export default { render };
