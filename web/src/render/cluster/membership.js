// What the cluster drawing says about membership: the configuration in force (the current
// leader's, which decides every quorum), each node's place in it, and a learner's catch-up
// meter. Pure maps from the view; the rules themselves (quorums, the caught-up rule) are the
// core's, and these only read the fields the view reports.

/**
 * @typedef {import("../../types.d.ts").WorldView} WorldView
 * @typedef {import("../../types.d.ts").NodeInfo} NodeInfo
 * @typedef {import("../../types.d.ts").MembershipInfo} MembershipInfo
 * @typedef {"voter" | "old" | "new" | "both" | "learner" | "none"} Place
 *   voter: a voter of the only configuration; old, new, both: a voter of C_old only, of
 *   C_new only, of both (joint consensus); learner: receives the log without a vote;
 *   none: hosted but outside the configuration (removed, or not added yet)
 */

/** A node's place in the configuration, in words (the string table's keys). */
export const PLACE_KEY = /** @type {const} */ ({
  voter: "cl_place_voter",
  old: "cl_place_old",
  new: "cl_place_new",
  both: "cl_place_both",
  learner: "cl_place_learner",
  none: "cl_place_none",
});

/**
 * The configuration the drawing shows: the current leader's, else the one from the latest
 * entry among the live nodes (null when no node is up).
 * @param {WorldView} view
 * @returns {MembershipInfo | null}
 */
export function shownMembership(view) {
  const leader = view.nodes.find((n) => n.id === view.leader && n.membership);
  if (leader?.membership) return leader.membership;
  /** @type {MembershipInfo | null} */
  let best = null;
  for (const n of view.nodes) {
    const m = n.membership;
    if (m && (!best || m.index > best.index)) best = m;
  }
  return best;
}

/**
 * Node `id`'s place in configuration `m`.
 * @param {MembershipInfo | null} m
 * @param {number} id
 * @returns {Place}
 */
export function placeOf(m, id) {
  if (!m) return "voter";
  const isNew = m.voters.includes(id);
  if (m.joint) {
    const isOld = m.outgoing.includes(id);
    if (isNew && isOld) return "both";
    if (isNew) return "new";
    if (isOld) return "old";
  } else if (isNew) {
    return "voter";
  }
  return m.learners.includes(id) ? "learner" : "none";
}

/**
 * A learner's catch-up meter, 0..1: the caught-up rounds the leader counted for it over the
 * rounds the caught-up rule asks for (`learner_caught_up_rounds_min`); null when no leader
 * tracks it.
 * @param {WorldView} view
 * @param {number} id
 * @returns {{ rounds: number, rounds_min: number, fill: number } | null}
 */
export function catchUp(view, id) {
  const leader = view.nodes.find((n) => n.id === view.leader);
  const p = leader?.progress.find((x) => x.node === id);
  if (!leader || !p) return null;
  const rounds_min = Math.max(1, leader.learner_caught_up_rounds_min);
  return {
    rounds: p.caught_up_rounds,
    rounds_min,
    fill: Math.min(1, p.caught_up_rounds / rounds_min),
  };
}
