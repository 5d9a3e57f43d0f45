// Pure helpers shared by the renderers: layout, interpolation, colours.
// No DOM here, so they are unit-tested in Node.

/**
 * @typedef {{ x: number, y: number }} Point
 * @typedef {import("../types.d.ts").NodeInfo} NodeInfo
 * @typedef {import("../types.d.ts").Endpoint} Endpoint
 */

/**
 * Places `n` nodes evenly on a circle, the first at the top, clockwise.
 * @param {number} n
 * @param {number} cx
 * @param {number} cy
 * @param {number} r
 * @returns {Point[]}
 */
export function ringLayout(n, cx, cy, r) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    out.push({ x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
  }
  return out;
}

/**
 * Whether ring positions `slots` (0-based, of a ring of `n`) form one contiguous arc, going
 * round: the shape of a partition group whose rounded hull overlaps no other group's.
 * @param {number[]} slots
 * @param {number} n
 */
export function contiguousOnRing(slots, n) {
  const set = new Set(slots);
  if (set.size === 0 || set.size >= n) return true;
  // One arc has exactly one member whose clockwise neighbour is not a member.
  let ends = 0;
  for (const i of set) if (!set.has((i + 1) % n)) ends++;
  return ends === 1;
}

/**
 * How far along its link a message is: 0 at send, 1 at delivery, clamped.
 * @param {number} now_us
 * @param {number} sent_at_us
 * @param {number} deliver_at_us
 */
export function messageProgress(now_us, sent_at_us, deliver_at_us) {
  const span = deliver_at_us - sent_at_us;
  if (!(span > 0)) return now_us >= deliver_at_us ? 1 : 0;
  return clamp01((now_us - sent_at_us) / span);
}

/**
 * A point at fraction `p` from `a` to `b`, shifted `offset` px to the right of the direction of
 * travel, so the two directions of a link use separate lanes.
 * @param {Point} a
 * @param {Point} b
 * @param {number} p
 * @param {number} offset
 * @returns {Point}
 */
export function lanePoint(a, b, p, offset) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  // Right-hand normal in screen coordinates (y grows downwards).
  const nx = -dy / len;
  const ny = dx / len;
  return { x: a.x + dx * p + nx * offset, y: a.y + dy * p + ny * offset };
}

/**
 * Shortens segment a→b by `ra` at the start and `rb` at the end (to stop at node rims).
 * @param {Point} a
 * @param {Point} b
 * @param {number} ra
 * @param {number} rb
 * @returns {[Point, Point]}
 */
export function trimSegment(a, b, ra, rb) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  return [
    { x: a.x + ux * ra, y: a.y + uy * ra },
    { x: b.x - ux * rb, y: b.y - uy * rb },
  ];
}

/**
 * Fraction of the election timer still to run: the arc is full when the timer is armed
 * (`armed_us`) and closes exactly at the deadline, so its length is the node's own randomized
 * timeout.
 * @param {number} now_us
 * @param {number | null} armed_us
 * @param {number | null} deadline_us
 * @returns {number | null} null when no timer is armed
 */
export function timerRemaining(now_us, armed_us, deadline_us) {
  if (deadline_us == null || armed_us == null) return null;
  const span = deadline_us - armed_us;
  if (!(span > 0)) return 0;
  return clamp01((deadline_us - now_us) / span);
}

/**
 * The node id of a message endpoint, or null for a client.
 * @param {Endpoint} e
 * @returns {number | null}
 */
export function endpointNode(e) {
  return "node" in e ? e.node : null;
}

/**
 * The client id of a message endpoint, or null for a node.
 * @param {Endpoint} e
 * @returns {number | null}
 */
export function endpointClient(e) {
  return "client" in e ? e.client : null;
}

/**
 * Short text for an endpoint: `n2`, `c1`.
 * @param {Endpoint} e
 */
export function endpointText(e) {
  return "node" in e ? `n${e.node}` : `c${e.client}`;
}

/**
 * A stable, distinct colour per term (golden-angle hues); term 0 is neutral grey.
 * @param {number} term
 * @param {boolean} [dark] lighter fills for dark backgrounds
 */
export function termColor(term, dark = false) {
  if (!(term > 0)) return dark ? "hsl(220 8% 40%)" : "hsl(220 8% 78%)";
  const hue = Math.round((term * 137.508 + 200) % 360);
  return dark ? `hsl(${hue} 45% 42%)` : `hsl(${hue} 70% 72%)`;
}

/**
 * The window of log indexes to draw: the last `columns` indexes up to the longest log.
 * @param {NodeInfo[]} nodes
 * @param {number} columns
 * @returns {{ first: number, last: number }}
 */
export function logWindow(nodes, columns) {
  let last = 0;
  for (const n of nodes) {
    // An empty log after a snapshot still ends at its last index (`log_len`).
    const tail = n.log.length ? n.log[n.log.length - 1].index : (n.log_len ?? 0);
    if (tail > last) last = tail;
  }
  const first = Math.max(1, last - columns + 1);
  return { first, last: Math.max(last, first + columns - 1) };
}

/**
 * Human text for a virtual time.
 * @param {number} us
 */
export function formatUs(us) {
  const a = Math.abs(us);
  if (a < 1000) return `${Math.round(us)} µs`;
  if (a < 1_000_000) return `${(us / 1000).toFixed(a < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(3)} s`;
}

/**
 * Maps a slider position in [0, 1] to a speed in [0.01, 100] on a log scale, and back.
 * @param {number} pos
 */
export function speedFromSlider(pos) {
  return 10 ** (clamp01(pos) * 4 - 2);
}

/** @param {number} speed */
export function sliderFromSpeed(speed) {
  return clamp01((Math.log10(Math.min(100, Math.max(0.01, speed))) + 2) / 4);
}

/** @param {number} x */
export function clamp01(x) {
  // NaN maps to 0 so a bad time never yields an invalid SVG coordinate.
  return x > 0 ? Math.min(x, 1) : 0;
}

/**
 * Message kind → the custom property of its colour; one entry per kind of the generated
 * `MSG_KINDS` (a unit test checks it).
 * @type {Record<import("../vocab.js").MsgKind, string>}
 */
export const KIND_VAR = {
  vote: "--m-vote",
  vote_response: "--m-vote",
  pre_vote: "--m-pre",
  pre_vote_response: "--m-pre",
  append: "--m-append",
  append_response: "--m-append",
  heartbeat: "--m-hb",
  heartbeat_response: "--m-hb",
  timeout_now: "--m-tn",
  install_snapshot: "--m-snap",
  client_request: "--m-client",
  client_response: "--m-client",
  // The AP store's: writes as Raft's appends, reads as pre-votes, repairs as
  // timeout-now (they stand out), anti-entropy as snapshots (whole state moves).
  ap_write: "--m-append",
  ap_write_ack: "--m-append",
  ap_read: "--m-pre",
  ap_read_reply: "--m-pre",
  ap_repair: "--m-tn",
  ap_sync: "--m-snap",
  ap_sync_reply: "--m-snap",
};

/**
 * The custom property holding the colour of a message kind (`--m-hb` for any other).
 * @param {string} kind
 */
export function kindVar(kind) {
  return KIND_VAR[/** @type {keyof typeof KIND_VAR} */ (kind)] ?? "--m-hb";
}
