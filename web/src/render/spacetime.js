// The space-time (Lamport) diagram: one labelled vertical lane per node, time flowing down
// against a time axis, an arrow from each message's send to its delivery coloured by kind (a
// legend below). Clicking a lane picks that moment on that node and highlights its causal past
// (Lamport's happens-before: what came earlier on the node, and every delivered message, and
// what came before its send, transitively); everything else fades. Drawn on a canvas: with hundreds of messages in
// flight a full redraw costs well under a millisecond, where one SVG element per arrow cost
// several per frame. Colours come from the same CSS custom properties as the cluster view.

import { t } from "../i18n.js";
import { formatUs, kindVar, messageProgress } from "./geom.js";

/**
 * A node-to-node message as remembered after it left the view (`from`/`to` are node ids).
 * @typedef {{ id: number, from: number, to: number, kind: string, sent_at_us: number,
 *   deliver_at_us: number, fate: "flight" | "delivered" | "dropped", end_us: number }} Flight
 */

const HEIGHT_PX = 220;
const TOP_PX = 18;
/** Room on the left for the time axis' labels. */
const AXIS_PX = 52;
/** The legend: [custom property, its words in the string table]. */
const LEGEND = /** @type {[string, import("../i18n.js").StringKey][]} */ ([
  ["--m-vote", "st_vote"],
  ["--m-pre", "st_pre_vote"],
  ["--m-append", "st_append"],
  ["--m-hb", "msg_heartbeat"],
  ["--m-tn", "msg_timeout_now"],
  ["--m-snap", "msg_install_snapshot"],
  ["--bad", "st_dropped"],
]);

/**
 * The causal past of the moment `t_us` on node `node`, from the messages remembered: per
 * node, the latest time that happened before it (Lamport's happens-before, over delivered
 * messages: a delivery at or before a node's bound puts its send in the past, transitively).
 * @param {Iterable<Flight>} flights
 * @param {number} node
 * @param {number} t_us
 * @returns {Map<number, number>} node -> latest time in the causal past
 */
export function causalPast(flights, node, t_us) {
  const delivered = [...flights].filter((f) => f.fate === "delivered");
  /** @type {Map<number, number>} */
  const bound = new Map([[node, t_us]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of delivered) {
      const b = bound.get(f.to);
      if (b === undefined || f.end_us > b) continue;
      if (f.sent_at_us > (bound.get(f.from) ?? Number.NEGATIVE_INFINITY)) {
        bound.set(f.from, f.sent_at_us);
        changed = true;
      }
    }
  }
  return bound;
}
const VARS = [
  "--m-vote",
  "--m-pre",
  "--m-append",
  "--m-tn",
  "--m-snap",
  "--m-hb",
  "--bad",
  "--line",
  "--muted",
];

/**
 * Builds the diagram.
 * @param {import("../app/labels.js").Tr} [tr] the labels in the page's language (English when
 *   absent)
 */
export function createSpacetimeView(tr = (k, v) => t("en", k, v)) {
  const root = document.createElement("div");
  root.className = "spacetime";
  root.setAttribute("role", "img");

  // Node labels are HTML over the canvas: canvas text resolves fonts against the page's style
  // on every call, which costs more than the whole diagram.
  const labels = document.createElement("div");
  labels.className = "st-labels";
  const ticks = document.createElement("div");
  ticks.className = "st-ticks";
  const canvas = document.createElement("canvas");
  canvas.style.height = `${HEIGHT_PX}px`;
  const legend = document.createElement("p");
  legend.className = "legend st-legend";
  legend.setAttribute("aria-hidden", "true");
  const hint = document.createElement("p");
  hint.className = "legend";

  root.append(labels, ticks, canvas, legend, hint);
  let legendKey = "";
  /** The moment picked on a lane (its causal past is highlighted), or null. */
  let picked = /** @type {{ node: number, t_us: number } | null} */ (null);
  /** The last drawing's geometry, for turning a click into a lane and a time. */
  let geom = { gap: 1, from_us: 0, scale: 1, ids: /** @type {number[]} */ ([]) };
  canvas.addEventListener("click", (e) => {
    const r = canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const yy = e.clientY - r.top;
    const i = Math.round((x - AXIS_PX) / geom.gap) - 1;
    const id = geom.ids[i];
    if (id === undefined || yy < TOP_PX) {
      picked = null;
    } else {
      const t = geom.from_us + (yy - TOP_PX) / geom.scale;
      picked =
        picked && picked.node === id && Math.abs(picked.t_us - t) < 2 / geom.scale
          ? null
          : { node: id, t_us: t };
    }
    root.dispatchEvent(new CustomEvent("st-pick"));
  });
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
    const gap = (width - AXIS_PX) / (nodeIds.length + 1);
    /** @type {Map<number, number>} */
    const xOf = new Map(nodeIds.map((id, i) => [id, AXIS_PX + gap * (i + 1)]));
    const scale = (HEIGHT_PX - TOP_PX) / Math.max(1, window_us);
    const from_us = now_us - window_us;
    const y = (/** @type {number} */ t) => TOP_PX + (t - from_us) * scale;
    geom = { gap, from_us, scale, ids: nodeIds };
    if (picked && !xOf.has(picked.node)) picked = null;
    const past = picked ? causalPast(flights, picked.node, picked.t_us) : null;

    // The time axis: four ticks, labelled in HTML (canvas text is slow, see the labels).
    ctx.lineWidth = 1;
    ctx.strokeStyle = colours["--muted"] || "#888";
    ctx.beginPath();
    ctx.moveTo(AXIS_PX - 4, TOP_PX);
    ctx.lineTo(AXIS_PX - 4, HEIGHT_PX);
    /** @type {[number, string][]} */
    const tickAt = [];
    for (let k = 0; k <= 3; k++) {
      const t = from_us + (window_us * k) / 3;
      const ty = y(t);
      ctx.moveTo(AXIS_PX - 8, ty);
      ctx.lineTo(AXIS_PX - 4, ty);
      tickAt.push([ty, formatUs(Math.max(0, t))]);
    }
    ctx.stroke();
    ticks.replaceChildren(
      ...tickAt.map(([ty, label]) => {
        const sp = document.createElement("span");
        sp.textContent = label;
        sp.style.top = `${Math.min(HEIGHT_PX - 12, Math.max(TOP_PX - 6, ty - 6)).toFixed(0)}px`;
        return sp;
      }),
    );
    const lg = `${coloursKey}`;
    if (lg !== legendKey && coloursKey) {
      legendKey = lg;
      legend.replaceChildren(
        ...LEGEND.flatMap(([v, words]) => {
          const sw = document.createElement("span");
          sw.className = "st-sw";
          sw.style.background = colours[v] || "#888";
          return [sw, ` ${tr(words)} `];
        }),
      );
    }

    // Axes and labels.
    ctx.lineWidth = 2;
    ctx.strokeStyle = colours["--line"] || "#888";
    ctx.beginPath();
    for (const x of xOf.values()) {
      ctx.moveTo(x, TOP_PX);
      ctx.lineTo(x, HEIGHT_PX);
    }
    ctx.stroke();
    if (past) {
      // The causal past on each lane: from the top of the window to the node's bound.
      ctx.lineWidth = 5;
      ctx.strokeStyle = colours["--m-append"] || "#2a66d9";
      ctx.globalAlpha = 0.35;
      ctx.beginPath();
      for (const [id, t] of past) {
        const x = xOf.get(id);
        if (x === undefined || t < from_us) continue;
        ctx.moveTo(x, TOP_PX);
        ctx.lineTo(x, Math.min(HEIGHT_PX, y(t)));
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
      const px = xOf.get(/** @type {{ node: number }} */ (picked).node) ?? 0;
      ctx.fillStyle = colours["--bad"] || "#d0312d";
      ctx.fillRect(px - 4, y(/** @type {{ t_us: number }} */ (picked).t_us) - 4, 8, 8);
    }
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
      // With a moment picked: its causal past in full, the rest faded.
      const inPast =
        !past ||
        (f.fate === "delivered" && f.end_us <= (past.get(f.to) ?? Number.NEGATIVE_INFINITY));
      const alpha = !inPast ? 0.12 : f.fate === "flight" ? 0.45 : 1;
      const k = `${v}|${f.fate}|${inPast}`;
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

  /** Writes the labels in the current language (the legend at the next render). */
  function relabel() {
    root.setAttribute("aria-label", tr("st_label"));
    hint.textContent = tr("st_hint");
    legendKey = "";
  }
  relabel();
  return {
    el: root,
    render,
    relabel,
    /** The moment picked (tests), or null. */
    get picked() {
      return picked;
    },
  };
}
