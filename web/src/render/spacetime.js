// The space-time (Lamport) diagram: one vertical line per node, time flowing down, an arrow
// from each message's send to its delivery. Coordinates are absolute (y = t × scale) inside a
// group that scrolls, so a frame moves one transform plus the messages still in flight.

import { attr, cls, keyedList, svg, text } from "./dom.js";
import { messageProgress } from "./geom.js";

/**
 * A node-to-node message as remembered after it left the view (`from`/`to` are node ids).
 * @typedef {{ id: number, from: number, to: number, kind: string, sent_at_us: number,
 *   deliver_at_us: number, fate: "flight" | "delivered" | "dropped", end_us: number }} Flight
 */

const HEIGHT_PX = 220;
const TOP_PX = 18;

/** Builds the diagram. */
export function createSpacetimeView() {
  const root = /** @type {SVGSVGElement} */ (
    svg("svg", { class: "spacetime", role: "img", height: HEIGHT_PX })
  );
  root.setAttribute("aria-label", "Space-time diagram of recent messages");
  const gAxes = svg("g");
  const gScroll = svg("g");
  root.append(gAxes, gScroll);
  let scaleKey = "";
  /** @type {Map<number, number>} */
  let xOf = new Map();
  let scale = 1;

  const axes = keyedList(gAxes, () => {
    const g = svg("g", { class: "st-axis" });
    g.append(svg("line", { y1: TOP_PX, y2: HEIGHT_PX }), svg("text", { y: 12 }));
    return g;
  });
  const arrows = keyedList(gScroll, (/** @type {Flight} */ f) => {
    const g = svg("g", { class: `st-msg k-${f.kind}` });
    g.append(svg("line", {}), svg("circle", { r: 2.5 }));
    return g;
  });

  /**
   * @param {number[]} nodeIds
   * @param {Flight[]} flights
   * @param {number} now_us
   * @param {number} window_us time span shown
   * @param {number} width_px
   */
  function render(nodeIds, flights, now_us, window_us, width_px) {
    const width = Math.max(160, width_px);
    const key = `${width}|${window_us}|${nodeIds.join(",")}`;
    if (key !== scaleKey) {
      scaleKey = key;
      attr(root, "viewBox", `0 0 ${width} ${HEIGHT_PX}`);
      const gap = width / (nodeIds.length + 1);
      xOf = new Map(nodeIds.map((id, i) => [id, gap * (i + 1)]));
      scale = (HEIGHT_PX - TOP_PX) / Math.max(1, window_us);
      arrows.clear();
    }
    axes.update(
      nodeIds,
      (id) => id,
      (g, id) => {
        const x = xOf.get(id) ?? 0;
        attr(g, "transform", `translate(${x.toFixed(1)} 0)`);
        text(/** @type {Node} */ (g.lastChild), `n${id}`);
      },
    );
    // y = TOP + (t - (now - window)) * scale, expressed as a translate of absolute y = t * scale.
    const shift = TOP_PX - (now_us - window_us) * scale;
    attr(gScroll, "transform", `translate(0 ${shift.toFixed(2)})`);
    const from_us = now_us - window_us;
    const shown = flights.filter(
      (f) => xOf.has(f.from) && xOf.has(f.to) && (f.fate === "flight" || f.end_us >= from_us),
    );
    arrows.update(
      shown,
      (f) => f.id,
      (g, f) => {
        const [ln, dot] = /** @type {SVGElement[]} */ ([...g.children]);
        const xa = xOf.get(f.from) ?? 0;
        const xb = xOf.get(f.to) ?? 0;
        let xe = xb;
        let te = f.end_us;
        if (f.fate === "flight") {
          const p = messageProgress(now_us, f.sent_at_us, f.deliver_at_us);
          xe = xa + (xb - xa) * p;
          te = Math.min(now_us, f.deliver_at_us);
        } else if (f.fate === "dropped") {
          xe = xa + (xb - xa) * messageProgress(f.end_us, f.sent_at_us, f.deliver_at_us);
        }
        attr(ln, "x1", xa.toFixed(1));
        attr(ln, "y1", (f.sent_at_us * scale).toFixed(2));
        attr(ln, "x2", xe.toFixed(1));
        attr(ln, "y2", (te * scale).toFixed(2));
        attr(dot, "cx", xe.toFixed(1));
        attr(dot, "cy", (te * scale).toFixed(2));
        cls(g, "dropped", f.fate === "dropped");
        cls(g, "flight", f.fate === "flight");
      },
    );
  }

  return { el: root, render };
}
