// The messages in flight, drawn on a canvas laid over the cluster drawing in the same viewBox
// units: they are the hot path (hundreds in flight, all moving every frame), so a frame costs a
// few hundred canvas calls and no SVG layout. Clicks and hovers are hit-tested here.

import { KIND_VAR, kindVar, messageProgress } from "../geom.js";
import { H, W } from "./layout.js";

/** @typedef {import("../../types.d.ts").MessageInfo} MessageInfo */

const MSG_VARS = [...new Set(Object.values(KIND_VAR)), "--bad", "--bg", "--fg"];
/** Hit radius of a message (viewBox units): generous, so that a click near a moving message
 * picks it rather than the link beneath it (a finger is ~40 px wide). */
const HIT_R = 16;

/**
 * The messages in flight, drawn on a canvas that covers the cluster's viewBox.
 * @param {HTMLCanvasElement} canvas
 * @param {(m: MessageInfo, at: DOMRect) => void} onOpen
 * @param {(id: number | null) => void} onHover the hovered message changed (or was delivered)
 */
export function createMessageLayer(canvas, onOpen, onHover) {
  const ctx = canvas.getContext("2d");
  canvas.style.cssText = `width:${W}px;height:${H}px;display:block;pointer-events:none`;
  /**
   * @typedef {{ m: MessageInfo, key: string, sx: number, sy: number, dx: number, dy: number,
   *   x: number, y: number }} Rec
   */
  /** @type {Map<number, Rec>} */
  let recs = new Map();
  /** Drawn order (bottom to top). @type {Rec[]} */
  let order = [];
  /** @type {Record<string, string>} */
  let colours = {};
  let coloursKey = "\0";
  let scale = 1;
  let hovered = /** @type {number | null} */ (null);

  /** @param {number} w @param {number} h CSS size of the svg */
  function resize(w, h) {
    // The viewBox is fitted (meet) into the svg box: the canvas needs that many pixels.
    const k = Math.min(w / W, h / H) || 1;
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    scale = Math.max(0.25, k * dpr);
    const bw = Math.round(W * scale);
    const bh = Math.round(H * scale);
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
      paint();
    }
  }

  /**
   * @param {MessageInfo[]} messages
   * @param {number} now
   * @param {number} layoutVersion
   * @param {string} clientKey
   * @param {string} theme
   * @param {(m: MessageInfo) => { sx: number, sy: number, dx: number, dy: number } | null} lane
   */
  function draw(messages, now, layoutVersion, clientKey, theme, lane) {
    if (theme !== coloursKey) {
      const cs = getComputedStyle(canvas);
      /** @type {Record<string, string>} */
      const next = {};
      for (const v of MSG_VARS) next[v] = cs.getPropertyValue(v).trim();
      if (next["--bad"]) {
        colours = next;
        coloursKey = theme;
      }
    }
    /** @type {Map<number, Rec>} */
    const next = new Map();
    order = [];
    for (const m of messages) {
      let r = recs.get(m.id);
      const key = `${layoutVersion}|${clientKey}`;
      if (!r || r.key !== key || r.m.deliver_at_us !== m.deliver_at_us) {
        const l = lane(m);
        r = { m, key, sx: 0, sy: 0, dx: 0, dy: 0, x: 0, y: 0, ...(l ?? { sx: Number.NaN }) };
      }
      r.m = m;
      next.set(m.id, r);
      if (Number.isNaN(r.sx)) continue;
      let p = messageProgress(now, m.sent_at_us, m.deliver_at_us);
      // A held message (or one waiting at a paused node) waits near its destination.
      if (m.state !== "in_flight") p = Math.min(p, 0.85);
      r.x = r.sx + r.dx * p;
      r.y = r.sy + r.dy * p;
      order.push(r);
    }
    recs = next;
    if (hovered !== null && !next.has(hovered)) {
      hovered = null;
      onHover(null);
    }
    paint();
  }

  function paint() {
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    const bad = colours["--bad"] || "#d0312d";
    const bg = colours["--bg"] || "#fff";
    for (const r of order) {
      const m = r.m;
      const k = m.kind;
      const c = colours[kindVar(k)] || "#7b8ca0";
      const resp = k.endsWith("_response");
      const x = r.x;
      const y = r.y;
      if (m.state === "held") {
        ctx.globalAlpha = 0.18;
        ctx.fillStyle = bad;
        ctx.beginPath();
        ctx.arc(x, y, 10, 0, 2 * Math.PI);
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      ctx.beginPath();
      if (k === "install_snapshot") {
        // A snapshot is a bulky message: a larger block than an AppendEntries.
        ctx.roundRect(x - 8, y - 6, 16, 12, 2);
      } else if (k === "append" || k === "append_response") {
        ctx.roundRect(x - 5, y - 5, 10, 10, 1.5);
      } else if (k === "timeout_now") {
        ctx.moveTo(x, y - 7);
        ctx.lineTo(x + 7, y);
        ctx.lineTo(x, y + 7);
        ctx.lineTo(x - 7, y);
        ctx.closePath();
      } else if (k.startsWith("client")) {
        ctx.moveTo(x - 6, y + 5);
        ctx.lineTo(x, y - 6);
        ctx.lineTo(x + 6, y + 5);
        ctx.closePath();
      } else {
        ctx.arc(x, y, k.startsWith("heartbeat") ? 3.6 : 5, 0, 2 * Math.PI);
      }
      const waiting = m.state === "waiting";
      ctx.globalAlpha = waiting ? 0.5 : 1;
      ctx.fillStyle = resp ? bg : c;
      ctx.fill();
      ctx.globalAlpha = 1;
      const dashed = waiting || k === "pre_vote" || k === "pre_vote_response";
      if (dashed) ctx.setLineDash(waiting ? [2, 2] : [2, 1.5]);
      ctx.strokeStyle = m.id === hovered ? colours["--fg"] || "#000" : m.state === "held" ? bad : c;
      ctx.lineWidth = m.state === "held" ? 3 : m.id === hovered ? 2.5 : resp ? 2 : 1.5;
      ctx.stroke();
      if (dashed) ctx.setLineDash([]);
      if (layer.spotKinds?.has(k)) {
        // A lesson step points at this kind: a ring in the foreground colour.
        ctx.beginPath();
        ctx.arc(x, y, 10, 0, 2 * Math.PI);
        ctx.strokeStyle = colours["--fg"] || "#000";
        ctx.lineWidth = 2;
        ctx.stroke();
      }
    }
  }

  /**
   * The topmost message within reach of a client point.
   * @param {number} cx @param {number} cy @param {SVGSVGElement} svgEl
   * @returns {MessageInfo | null}
   */
  function hit(cx, cy, svgEl) {
    if (!order.length) return null;
    const ctm = svgEl.getScreenCTM();
    if (!ctm) return null;
    const inv = ctm.inverse();
    const x = inv.a * cx + inv.c * cy + inv.e;
    const y = inv.b * cx + inv.d * cy + inv.f;
    // The nearest within reach (the topmost among equals).
    let best = /** @type {MessageInfo | null} */ (null);
    let bestD = HIT_R * HIT_R;
    for (let i = order.length - 1; i >= 0; i--) {
      const r = order[i];
      const d = (r.x - x) ** 2 + (r.y - y) ** 2;
      if (d < bestD || (d === bestD && !best)) {
        best = r.m;
        bestD = d;
      }
    }
    return best;
  }

  /** @param {number} id @param {SVGSVGElement} svgEl @returns {DOMRect | null} */
  function rect(id, svgEl) {
    const r = recs.get(id);
    const ctm = svgEl.getScreenCTM();
    if (!r || Number.isNaN(r.sx) || !order.includes(r) || !ctm) return null;
    const x = ctm.a * r.x + ctm.c * r.y + ctm.e;
    const y = ctm.b * r.x + ctm.d * r.y + ctm.f;
    const d = 2 * HIT_R * ctm.a;
    return new DOMRect(x - d / 2, y - d / 2, d, d);
  }

  const layer = {
    /** Message kinds a lesson step points at (ringed), or null. @type {Set<string> | null} */
    spotKinds: /** @type {Set<string> | null} */ (null),
    resize,
    draw,
    hit,
    rect,
    /** @param {MessageInfo} m @param {SVGSVGElement} svgEl */
    open(m, svgEl) {
      const at = rect(m.id, svgEl);
      if (at) onOpen(m, at);
    },
    /** @param {number | null} id */
    hover(id) {
      if (id === hovered) return;
      hovered = id;
      onHover(id);
      paint();
    },
  };
  return layer;
}
