// The configuration in force, written in the cluster's top-left corner once membership has
// changed: its voters (C_old and C_new while joint, with the ring each is drawn with), its
// learners, and whether its entry is committed. Hidden while every hosted server is a voter
// of a committed simple configuration, so scenes without membership changes look as before.

import { attr, svg, text } from "../dom.js";
import { shownMembership } from "./membership.js";

/**
 * @typedef {import("../../types.d.ts").WorldView} WorldView
 * @typedef {import("../../app/labels.js").Tr} Tr
 */

/** Baseline of the legend's first line and the gap between lines (viewBox units). */
const LINE0_Y = 16;
const LINE_GAP = 15;

/**
 * @param {Element} g
 * @param {Tr} tr
 */
export function createConfigLegend(g, tr) {
  attr(g, "class", "config");
  /** The lines (at most six: joint, C_new, C_old, quorum, learners, non-members): a sample stroke (solid, dashed or none) and a text each. */
  const lines = [0, 1, 2, 3, 4, 5].map((i) => {
    const y = LINE0_Y + i * LINE_GAP;
    const sample = svg("line", { x1: 8, x2: 22, y1: y - 4, y2: y - 4, class: "sample" });
    const label = svg("text", { x: 8, y });
    g.append(sample, label);
    return { sample, label };
  });
  let drawn = "";

  /** @param {WorldView} view */
  function update(view) {
    const m = shownMembership(view);
    const hosted = view.nodes.map((n) => n.id);
    const members = m ? [...m.voters, ...m.outgoing, ...m.learners] : hosted;
    // Nothing to say while every hosted server simply votes (the configuration's index alone
    // is no sign of a change: compaction moves the bootstrap configuration's index too).
    const plain =
      !m ||
      (!m.joint &&
        m.committed &&
        !m.learners.length &&
        hosted.every((id) => m.voters.includes(id)));
    const key = plain ? "" : JSON.stringify([m, hosted, tr("cl_cfg_voters", { ids: "" })]);
    if (key === drawn) return;
    drawn = key;
    /** @type {[string, "" | "new" | "old"][]} */
    const rows = [];
    if (m && !plain) {
      const ids = (/** @type {number[]} */ xs) => xs.join(", ");
      const state = tr(m.committed ? "cl_cfg_committed" : "cl_cfg_uncommitted", { index: m.index });
      if (m.joint) {
        rows.push([tr("cl_cfg_joint", { state }), ""]);
        rows.push([tr("cl_cfg_new", { ids: ids(m.voters) }), "new"]);
        rows.push([tr("cl_cfg_old", { ids: ids(m.outgoing) }), "old"]);
        rows.push([tr("cl_cfg_quorum"), ""]);
      } else {
        rows.push([tr("cl_cfg_title", { state }), ""]);
        rows.push([tr("cl_cfg_voters", { ids: ids(m.voters) }), ""]);
      }
      const outside = hosted.filter((id) => !members.includes(id));
      if (m.learners.length) rows.push([tr("cl_cfg_learners", { ids: ids(m.learners) }), ""]);
      if (outside.length) rows.push([tr("cl_cfg_outside", { ids: ids(outside) }), ""]);
    }
    lines.forEach(({ sample, label }, i) => {
      const [s, ring] = rows[i] ?? ["", ""];
      text(label, s);
      attr(label, "x", ring ? 28 : 8);
      attr(sample, "class", `sample ${ring}`);
    });
    attr(g, "role", rows.length ? "note" : "presentation");
  }
  return { update };
}
