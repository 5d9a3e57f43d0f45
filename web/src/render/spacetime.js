// The space-time (Lamport) diagram: one vertical line per node, time flowing down, an arrow
// from each message's send to its delivery. Drawn on a canvas: with hundreds of messages in
// flight a full redraw costs well under a millisecond, where one SVG element per arrow cost
// several per frame. Colours come from the same CSS custom properties as the cluster view.

import { kindVar, messageProgress } from "./geom.js";

/**
 * A node-to-node message as remembered after it left the view (`from`/`to` are node ids).
 * @typedef {{ id: number, from: number, to: number, kind: string, sent_at_us: number,
 *   deliver_at_us: number, fate: "flight" | "delivered" | "dropped", end_us: number }} Flight
 */

const HEIGHT_PX = 220;
const TOP_PX = 18;
const VARS = [
  "--m-vote",
  "--m-pre",
  "--m-append",
  "--m-tn",
  "--m-hb",
  "--bad",
  "--line",
  "--muted",
];

/** Builds the diagram. */
export function createSpacetimeView() {
  const root = document.createElement("div");
  root.className = "spacetime";
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", "Space-time diagram of recent messages");
  // Node labels are HTML over the canvas: canvas text resolves fonts against the page's style
  // on every call, which costs more than the whole diagram.
  const labels = document.createElement("div");
  labels.className = "st-labels";
  const canvas = document.createElement("canvas");
  canvas.style.height = `${HEIGHT_PX}px`;
  root.append(labels, canvas);
  const ctx = canvas.getContext("2d");
  let labelsKey = "";
  /** @type {Record<string, string>} */
  let colours = {};
  let coloursKey = "";

  /** Reads the theme's colours (once per theme; a style read, so not every frame). */
  function readColours(/** @type {string} */ key) {
    if (key === coloursKey) return;
    const cs = getComputedStyle(canvas);
    /** @type {Record<string, string>} */
    const next = {};
    for (const v of VARS) next[v] = cs.getPropertyValue(v).trim();
    // Not styled yet (detached, or the sheet not applied): try again next time.
    if (!next["--m-hb"]) return;
    colours = next;
    coloursKey = key;
  }

  /**
   * @param {number[]} nodeIds
   * @param {Flight[]} flights
   * @param {number} now_us
   * @param {number} window_us time span shown
   * @param {number} width_px
   * @param {string} [theme] any string that changes when the colours do
   */
  function render(nodeIds, flights, now_us, window_us, width_px, theme = "") {
    if (!ctx) return;
    const width = Math.max(160, Math.round(width_px));
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    const bw = Math.round(width * dpr);
    const bh = Math.round(HEIGHT_PX * dpr);
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
    }
    readColours(theme);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT_PX);
    const gap = width / (nodeIds.length + 1);
    /** @type {Map<number, number>} */
    const xOf = new Map(nodeIds.map((id, i) => [id, gap * (i + 1)]));
    const scale = (HEIGHT_PX - TOP_PX) / Math.max(1, window_us);
    const from_us = now_us - window_us;
    const y = (/** @type {number} */ t) => TOP_PX + (t - from_us) * scale;

    // Axes and labels.
    ctx.lineWidth = 2;
    ctx.strokeStyle = colours["--line"] || "#888";
    ctx.beginPath();
    for (const x of xOf.values()) {
      ctx.moveTo(x, TOP_PX);
      ctx.lineTo(x, HEIGHT_PX);
    }
    ctx.stroke();
    const lk = `${width}|${nodeIds.join(",")}`;
    if (lk !== labelsKey) {
      labelsKey = lk;
      labels.replaceChildren(
        ...[...xOf].map(([id, x]) => {
          const sp = document.createElement("span");
          sp.textContent = `n${id}`;
          sp.style.left = `${((100 * x) / width).toFixed(2)}%`;
          return sp;
        }),
      );
    }

    // Arrows, batched per colour and dash style: one path per batch.
    /** @type {Map<string, { colour: string, alpha: number, lines: number[] }>} */
    const batches = new Map();
    for (const f of flights) {
      const xa = xOf.get(f.from);
      const xb = xOf.get(f.to);
      if (xa === undefined || xb === undefined) continue;
      if (f.fate !== "flight" && f.end_us < from_us) continue;
      let xe = xb;
      let te = f.end_us;
      if (f.fate === "flight") {
        xe = xa + (xb - xa) * messageProgress(now_us, f.sent_at_us, f.deliver_at_us);
        te = Math.min(now_us, f.deliver_at_us);
      } else if (f.fate === "dropped") {
        xe = xa + (xb - xa) * messageProgress(f.end_us, f.sent_at_us, f.deliver_at_us);
      }
      const v = f.fate === "dropped" ? "--bad" : kindVar(f.kind);
      const alpha = f.fate === "flight" ? 0.45 : 1;
      const k = `${v}|${f.fate}`;
      let b = batches.get(k);
      if (!b) {
        b = { colour: colours[v] || "#888", alpha, lines: [] };
        batches.set(k, b);
      }
      b.lines.push(xa, y(f.sent_at_us), xe, y(te));
    }
    // Dashes and arcs are slow to rasterize on a software canvas: messages still in flight are
    // drawn translucent instead of dashed, and their heads as small squares.
    ctx.lineWidth = 1.5;
    for (const b of batches.values()) {
      ctx.strokeStyle = b.colour;
      ctx.fillStyle = b.colour;
      ctx.globalAlpha = b.alpha;
      ctx.beginPath();
      const L = b.lines;
      for (let i = 0; i < L.length; i += 4) {
        ctx.moveTo(L[i], L[i + 1]);
        ctx.lineTo(L[i + 2], L[i + 3]);
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
      for (let i = 0; i < L.length; i += 4) ctx.fillRect(L[i + 2] - 2, L[i + 3] - 2, 4, 4);
    }
  }

  return { el: root, render };
}
