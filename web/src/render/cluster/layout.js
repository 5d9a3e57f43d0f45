// The cluster drawing's coordinate system: the viewBox, where nodes sit on the ring (by slot,
// so ids beyond the initial count simply take the next slots) and where clients sit.

import { attr } from "../dom.js";
import { lanePoint, ringLayout } from "../geom.js";

/** @typedef {import("../geom.js").Point} Point */

/** The viewBox size. */
export const W = 640;
export const H = 480;
/** The ring's centre (right of the client column). */
export const CX = 350;
export const CY = 240;
/** Lane offset: each direction of a link gets its own side. */
export const LANE_PX = 4;

/**
 * Where the nodes are drawn this frame; `version` changes whenever any position does.
 * @typedef {{ ids: number[], pos: Map<number, Point>, node_r: number, ring_r: number,
 *   version: number }} Layout
 */

/**
 * Node radius, ring radius and the ring's points for `n` nodes.
 * @param {number} n
 */
export function geometry(n) {
  const node_r = n > 7 ? 25 : n > 5 ? 28 : 31;
  const ring_r = n > 7 ? 180 : 165;
  return { node_r, ring_r, pts: ringLayout(n, CX, CY, ring_r) };
}

/**
 * Where client `i` (0-based) of `count` sits: a column on the left.
 * @param {number} i
 * @param {number} count
 * @returns {Point}
 */
export function clientPoint(i, count) {
  const gap = Math.min(56, (H - 80) / Math.max(1, count));
  return { x: 34, y: CY - ((count - 1) * gap) / 2 + i * gap };
}

/**
 * Sets an SVG line from `a` to `b`, shifted sideways by `offset`.
 * @param {Element} ln
 * @param {Point} a
 * @param {Point} b
 * @param {number} offset
 */
export function setLine(ln, a, b, offset) {
  const p = lanePoint(a, b, 0, offset);
  const q = lanePoint(a, b, 1, offset);
  attr(ln, "x1", p.x.toFixed(1));
  attr(ln, "y1", p.y.toFixed(1));
  attr(ln, "x2", q.x.toFixed(1));
  attr(ln, "y2", q.y.toFixed(1));
}
