// The network under the nodes: partition groups (halos and hulls) and the links between every
// pair of nodes, a cut or degraded direction drawn on its own lane.

import { attr, cls, keyedList, svg } from "../dom.js";
import { contiguousOnRing, trimSegment } from "../geom.js";
import { LANE_PX, setLine } from "./layout.js";

/**
 * @typedef {import("../../types.d.ts").WorldView} WorldView
 * @typedef {import("../../types.d.ts").LinkInfo} LinkInfo
 * @typedef {import("../../types.d.ts").LinkConfig} LinkConfig
 * @typedef {import("../geom.js").Point} Point
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("../../app/labels.js").Tr} Tr
 */

/**
 * The partition groups, drawn into `g`.
 * @param {Element} g
 * @param {Tr} tr
 */
export function createPartitionLayer(g, tr) {
  /** @type {WeakMap<Element, string>} what each partition group was last drawn from */
  const partKeys = new WeakMap();
  const parts = keyedList(g, () => svg("g", { class: "part" }));
  /**
   * Each group's nodes sit on a halo in the group's colour; a group that is one arc of the
   * ring also gets a rounded hull (a fat round-joined outline, drawn with one opacity so
   * overlaps do not darken). Interleaved groups get halos only: their hulls would cross.
   * @param {WorldView} view
   * @param {Layout} lay
   */
  function update(view, lay) {
    const groups = view.network.partition ?? [];
    const { ids, pos, node_r } = lay;
    const slot = new Map(ids.map((id, i) => [id, i]));
    parts.update(
      groups.map((g, i) => ({ g, i })),
      (x) => x.i,
      (el, { g, i }) => {
        const members = g
          .filter((id) => slot.has(id))
          .sort(
            (a, b) => /** @type {number} */ (slot.get(a)) - /** @type {number} */ (slot.get(b)),
          );
        const key = `${lay.version}|${members.join(",")}`;
        if (partKeys.get(el) === key) return;
        partKeys.set(el, key);
        attr(el, "class", `part p${i % 4}`);
        // A labelled graphic: aria-label needs a role on a <g>.
        attr(el, "role", "img");
        attr(el, "aria-label", tr("cl_group", { i: i + 1, nodes: members.join(", ") }));
        const pts = members.map((id) => /** @type {Point} */ (pos.get(id)));
        /** @type {Element[]} */
        const shapes = [];
        if (
          pts.length &&
          contiguousOnRing(
            members.map((id) => /** @type {number} */ (slot.get(id))),
            ids.length,
          )
        ) {
          // Ring order is angle order: a convex polygon. A lone node repeats its point.
          const poly = pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
          if (poly.length === 1) poly.push(poly[0]);
          shapes.push(
            svg("polygon", {
              class: "hull",
              points: poly.join(" "),
              "stroke-width": node_r * 2 + 30,
            }),
          );
        }
        for (const p of pts) {
          shapes.push(
            svg("circle", {
              class: "halo",
              cx: p.x.toFixed(1),
              cy: p.y.toFixed(1),
              r: node_r + 14,
            }),
          );
        }
        el.replaceChildren(...shapes);
      },
    );
  }
  return { update };
}

/**
 * The links between every pair of nodes, drawn into `g`; a click opens the link's menu.
 * @param {Element} g
 * @param {(a: number, b: number, at: DOMRect) => void} onLink
 * @param {Tr} tr
 */
export function createLinkLayer(g, onLink, tr) {
  /** @type {WeakMap<Element, string>} what each link was last drawn from */
  const linkKeys = new WeakMap();
  const links = keyedList(g, (/** @type {[number, number]} */ [a, b]) => {
    const el = svg("g", { class: "link", tabindex: 0, role: "button" });
    el.append(
      svg("line", { class: "base" }),
      svg("line", { class: "lane ab" }),
      svg("line", { class: "lane ba" }),
      svg("line", { class: "hit" }),
    );
    const fire = () => onLink(a, b, el.getBoundingClientRect());
    el.addEventListener("click", fire);
    el.addEventListener("keydown", (e) => {
      if (/** @type {KeyboardEvent} */ (e).key === "Enter") fire();
    });
    return el;
  });
  /**
   * A cut direction shows as a dashed red lane.
   * @param {WorldView} view
   * @param {Layout} lay
   * @param {LinkConfig} [net] the default link settings (links that differ are marked)
   */
  function update(view, lay, net) {
    const { ids, pos, node_r } = lay;
    /** @type {Map<string, LinkInfo>} */
    const linkState = new Map();
    for (const l of view.network.links) linkState.set(`${l.from}>${l.to}`, l);
    /** Up, but lossy, duplicating or with other latency than the network's default. */
    const degraded = (/** @type {LinkInfo | undefined} */ l) =>
      !!l &&
      l.up &&
      (l.loss_ppm > 0 ||
        l.duplicate_ppm > 0 ||
        (!!net &&
          (l.latency_us_min !== net.latency_us_min || l.latency_us_max !== net.latency_us_max)));
    /** @type {[number, number][]} */
    const pairs = [];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i], ids[j]]);
    }
    links.update(
      pairs,
      ([a, b]) => `${a}-${b}`,
      (el, [a, b]) => {
        const lab = linkState.get(`${a}>${b}`);
        const lba = linkState.get(`${b}>${a}`);
        const dab = degraded(lab);
        const dba = degraded(lba);
        const state = `${lay.version}|${lab?.up}|${lba?.up}|${dab}|${dba}`;
        if (linkKeys.get(el) === state) return;
        linkKeys.set(el, state);
        attr(el, "aria-label", tr("cl_link", { a, b }));
        const pa = /** @type {Point} */ (pos.get(a));
        const pb = /** @type {Point} */ (pos.get(b));
        const [base, ab, ba, hit] = /** @type {SVGLineElement[]} */ ([...el.children]);
        const [s, e] = trimSegment(pa, pb, node_r, node_r);
        for (const ln of [base, hit]) setLine(ln, s, e, 0);
        setLine(ab, s, e, LANE_PX);
        setLine(ba, e, s, LANE_PX);
        // Cut both ways reads as one faint line (a partition is already shaded); a one-way
        // cut is the interesting case and gets a strong lane.
        const both = lab?.up === false && lba?.up === false;
        cls(ab, "cut", !both && lab?.up === false);
        cls(ba, "cut", !both && lba?.up === false);
        cls(el, "cut-both", both);
        cls(ab, "degraded", dab);
        cls(ba, "degraded", dba);
        cls(el, "has-cut", lab?.up === false || lba?.up === false);
      },
    );
  }
  return { update };
}
