// The nodes on the ring: body, role, election timer, lease, term and vote, and the marks a
// lesson step or a violation puts on them.

import { attr, cls, keyedList, svg, text } from "../dom.js";
import { timerRemaining } from "../geom.js";
import { CY } from "./layout.js";
import { catchUp, PLACE_KEY, placeOf, shownMembership } from "./membership.js";

/**
 * @typedef {import("../../types.d.ts").WorldView} WorldView
 * @typedef {import("../../types.d.ts").NodeInfo} NodeInfo
 * @typedef {import("../geom.js").Point} Point
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("../../app/labels.js").Tr} Tr
 * @typedef {{ evidence?: Set<number>, selected?: Set<number>, served?: number | null,
 *   spot?: Set<number> }} NodeMarks
 */

/** The role's word inside a node (the string table's keys). */
const ROLE_LETTER = /** @type {const} */ ({
  follower: "role_follower",
  pre_candidate: "role_pre_candidate_short",
  candidate: "role_candidate",
  leader: "role_leader",
});

/**
 * `up`, `crashed` or `paused`, for classes and labels.
 * @param {NodeInfo} n
 */
export function nodeStatus(n) {
  return n.crashed ? "crashed" : n.paused ? "paused" : "up";
}

/**
 * The nodes, drawn into `g`; a click (or Enter/Space) opens the node's menu.
 * @param {Element} g
 * @param {(id: number, at: DOMRect) => void} onNode
 * @param {Tr} tr
 */
export function createNodeLayer(g, onNode, tr) {
  const nodes = keyedList(g, (/** @type {NodeInfo} */ n) => {
    const el = svg("g", { class: "node", tabindex: 0, role: "button", "data-node": n.id });
    el.append(
      svg("circle", { class: "lease" }),
      svg("circle", { class: "timer" }),
      // Joint consensus: a solid ring for C_new, a dashed one for C_old.
      svg("circle", { class: "cfg-new" }),
      svg("circle", { class: "cfg-old" }),
      svg("circle", { class: "body" }),
      // Spaces between the labels, so that the node's text reads as words (its accessible
      // name starts with it).
      svg("text", { class: "nid" }),
      " ",
      svg("text", { class: "role" }),
      " ",
      svg("text", { class: "info" }),
      " ",
      svg("text", { class: "info2" }),
      // A learner's catch-up meter, inside the body under the role.
      meterEl(),
    );
    const fire = () => onNode(n.id, el.getBoundingClientRect());
    el.addEventListener("click", fire);
    el.addEventListener("keydown", (e) => {
      const k = /** @type {KeyboardEvent} */ (e).key;
      if (k === "Enter" || k === " ") {
        e.preventDefault();
        fire();
      }
    });
    return el;
  });

  /**
   * @param {WorldView} view
   * @param {Layout} lay
   * @param {NodeMarks} marks
   */
  function update(view, lay, marks) {
    const now = view.now_us;
    const { pos, node_r, ring_r } = lay;
    const ev = marks.evidence;
    const sel = marks.selected;
    const served = marks.served ?? null;
    const spot = marks.spot;
    const m = shownMembership(view);
    nodes.update(
      view.nodes,
      (n) => n.id,
      (el, n) => {
        const p = /** @type {Point} */ (pos.get(n.id));
        attr(el, "transform", `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`);
        const status = nodeStatus(n);
        const place = placeOf(m, n.id);
        attr(
          el,
          "class",
          `node r-${n.role ?? "none"} s-${status} m-${place}${ev?.has(n.id) ? " evidence" : ""}${sel?.has(n.id) ? " selected" : ""}${served === n.id ? " served" : ""}${spot?.has(n.id) ? " spot" : ""}${n.byzantine ? " liar" : ""}`,
        );
        const [lease, timer, ringNew, ringOld, body, nid, role, info, info2, meter] =
          /** @type {SVGElement[]} */ ([...el.children]);
        attr(body, "r", node_r);
        text(nid, String(n.id));
        attr(nid, "y", -2);
        const roleKey = n.crashed || !n.role ? "status_crashed" : ROLE_LETTER[n.role];
        const voting = place !== "learner" && place !== "none";
        text(
          role,
          tr(
            n.paused && !n.crashed
              ? "status_paused"
              : n.crashed || voting
                ? roleKey
                : place === "learner"
                  ? "cl_learner"
                  : "cl_outside",
          ),
        );
        attr(role, "y", 13);
        attr(ringNew, "r", node_r + 15);
        attr(ringOld, "r", node_r + 20);
        cls(ringNew, "on", place === "new" || place === "both");
        cls(ringOld, "on", place === "old" || place === "both");
        const meterFill = place === "learner" ? catchUp(view, n.id) : null;
        drawMeter(meter, meterFill?.fill ?? null, node_r);

        // Election timer: a full circle when armed, draining clockwise from the top to close
        // exactly at the deadline (the node's own randomized timeout).
        const rem = n.crashed
          ? null
          : timerRemaining(now, n.election_timer_armed_us, n.election_deadline_us);
        const timer_r = node_r + 5;
        const circ = 2 * Math.PI * timer_r;
        attr(timer, "r", timer_r);
        attr(
          timer,
          "stroke-dasharray",
          rem === null ? "0 1000" : `${(rem * circ).toFixed(1)} ${circ.toFixed(1)}`,
        );

        const leased = n.lease_until_us !== null && n.lease_until_us > now && !n.crashed;
        attr(lease, "r", node_r + 10);
        cls(lease, "on", leased);

        // Info text goes above nodes on the upper part of the ring and below the others,
        // centred, so it never runs into the client column or off the view.
        const above = p.y < CY - ring_r * 0.5;
        attr(info, "y", above ? -(node_r + 24) : node_r + 17);
        attr(info2, "y", above ? -(node_r + 10) : node_r + 31);
        // Crowded rings (8–9 nodes) get the short form so neighbouring labels do not collide.
        text(
          info,
          view.nodes.length > 7
            ? `t${n.term}${n.vote !== null ? ` v${n.vote}` : ""}`
            : tr(n.vote !== null ? "cl_term_voted" : "cl_term", {
                term: n.term,
                vote: n.vote ?? "",
              }),
        );
        const extra = [];
        if (n.role === "candidate" || n.role === "pre_candidate") {
          const voters = n.membership?.voters.length ?? view.nodes.length;
          extra.push(tr("cl_votes", { n: n.votes.filter((v) => v[1]).length, m: voters }));
        }
        if (meterFill)
          extra.push(tr("cl_caught_up", { n: meterFill.rounds, m: meterFill.rounds_min }));
        if (leased)
          extra.push(
            tr("cl_lease", { ms: Math.max(0, Math.round(((n.lease_until_us ?? 0) - now) / 1000)) }),
          );
        if (n.drift_ppm)
          extra.push(tr("cl_clock", { ppm: `${n.drift_ppm > 0 ? "+" : ""}${n.drift_ppm}` }));
        if (n.byzantine) extra.push(tr("cl_liar", { mode: tr(`byz_${n.byzantine}`) }));
        text(info2, extra.join(" · "));
        // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
        const what = status === "up" ? `role_${n.role}` : `status_${status}`;
        const shown = [nid, role, info, info2].map((t) => t.textContent).filter(Boolean);
        const where = place === "voter" ? "" : tr(PLACE_KEY[place]);
        attr(
          el,
          "aria-label",
          tr("cl_node", {
            shown: shown.join(" "),
            n: n.id,
            what: [tr(/** @type {any} */ (what)), where].filter(Boolean).join(", "),
          }),
        );
      },
    );
  }
  return { update };
}

/** An empty catch-up meter: a track and its fill. */
function meterEl() {
  const g = svg("g", { class: "meter" });
  g.append(svg("rect", { class: "track" }), svg("rect", { class: "fill" }));
  return g;
}

/** Width of the catch-up meter, as a share of the node's radius (it fits inside the body). */
const METER_W_PER_R = 1.1;

/**
 * Draws a learner's catch-up meter (hidden when `fill` is null).
 * @param {SVGElement} meter
 * @param {number | null} fill 0..1
 * @param {number} node_r
 */
function drawMeter(meter, fill, node_r) {
  cls(meter, "on", fill !== null);
  if (fill === null) return;
  const w = node_r * METER_W_PER_R;
  const [track, bar] = /** @type {SVGElement[]} */ ([...meter.children]);
  for (const r of [track, bar]) {
    attr(r, "x", (-w / 2).toFixed(1));
    attr(r, "y", (node_r * 0.62).toFixed(1));
    attr(r, "height", 5);
    attr(r, "rx", 2);
  }
  attr(track, "width", w.toFixed(1));
  attr(bar, "width", (w * fill).toFixed(1));
  cls(meter, "full", fill >= 1);
}
