import assert from "node:assert/strict";
import { test } from "node:test";
import {
  contiguousOnRing,
  endpointClient,
  endpointNode,
  endpointText,
  formatUs,
  KIND_VAR,
  lanePoint,
  logWindow,
  messageProgress,
  ringLayout,
  sliderFromSpeed,
  speedFromSlider,
  termColor,
  timerRemaining,
} from "../src/render/geom.js";
import { MSG_KINDS } from "../src/vocab.js";

const near = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} !≈ ${b}`);

test("ring layout puts the first node at the top and spaces nodes evenly", () => {
  for (const n of [3, 5, 9]) {
    const pts = ringLayout(n, 100, 100, 50);
    assert.equal(pts.length, n);
    near(pts[0].x, 100);
    near(pts[0].y, 50);
    const d = (i) => Math.hypot(pts[i].x - pts[(i + 1) % n].x, pts[i].y - pts[(i + 1) % n].y);
    for (let i = 1; i < n; i++) near(d(i), d(0));
    for (const p of pts) near(Math.hypot(p.x - 100, p.y - 100), 50);
  }
  // Clockwise: the second of four nodes is on the right.
  assert.ok(ringLayout(4, 0, 0, 1)[1].x > 0.99);
});

test("message progress is the clamped fraction of the flight time", () => {
  assert.equal(messageProgress(100, 100, 200), 0);
  assert.equal(messageProgress(150, 100, 200), 0.5);
  assert.equal(messageProgress(250, 100, 200), 1);
  assert.equal(messageProgress(50, 100, 200), 0);
  assert.equal(messageProgress(100, 100, 100), 1);
  assert.equal(messageProgress(99, 100, 100), 0);
});

test("lane point offsets to the right of travel, so directions do not overlap", () => {
  const a = { x: 0, y: 0 };
  const b = { x: 10, y: 0 };
  const there = lanePoint(a, b, 0.5, 3);
  const back = lanePoint(b, a, 0.5, 3);
  near(there.x, 5);
  near(back.x, 5);
  assert.ok(there.y * back.y < 0, "opposite lanes");
});

test("election timer: full when armed, drains over the node's own timeout, 0 at the deadline", () => {
  assert.equal(timerRemaining(0, null, null), null);
  assert.equal(timerRemaining(0, 0, null), null);
  assert.equal(timerRemaining(0, 0, 300), 1, "full when just armed");
  assert.equal(timerRemaining(150, 0, 300), 0.5);
  assert.equal(timerRemaining(1225, 1000, 1300), 0.25, "against the node's own timeout");
  assert.equal(timerRemaining(300, 0, 300), 0);
  assert.equal(timerRemaining(350, 0, 300), 0);
  assert.equal(timerRemaining(0, 100, 900), 1, "never more than a full circle");
  assert.equal(timerRemaining(100, 100, 100), 0);
});

test("endpoints: a node or a client, as the Wasm serializes them", () => {
  assert.equal(endpointNode({ node: 3 }), 3);
  assert.equal(endpointNode({ client: 1 }), null);
  assert.equal(endpointClient({ client: 1 }), 1);
  assert.equal(endpointClient({ node: 3 }), null);
  assert.equal(endpointText({ node: 3 }), "n3");
  assert.equal(endpointText({ client: 2 }), "c2");
});

test("term colours are stable, distinct for neighbouring terms, grey for term 0", () => {
  assert.equal(termColor(3), termColor(3));
  const hues = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((t) => termColor(t)));
  assert.equal(hues.size, 8);
  assert.match(termColor(0), /hsl\(220 8%/);
  assert.notEqual(termColor(2, true), termColor(2));
});

const entry = (term, index) => ({ term, index, text: "x" });
const node = (id, role, term, commit, terms) => ({
  id,
  role,
  term,
  commit,
  crashed: false,
  paused: false,
  log: terms.map((t, i) => entry(t, i + 1)),
});

test("log window shows the last columns, never below index 1", () => {
  assert.deepEqual(logWindow([node(1, "leader", 1, 0, [1, 1])], 10), { first: 1, last: 10 });
  const long = node(1, "leader", 1, 0, new Array(30).fill(1));
  assert.deepEqual(logWindow([long], 10), { first: 21, last: 30 });
});

test("speed slider is logarithmic from 0.01x to 100x", () => {
  near(speedFromSlider(0), 0.01);
  near(speedFromSlider(0.5), 1);
  near(speedFromSlider(1), 100);
  near(sliderFromSpeed(10), 0.75);
  near(sliderFromSpeed(1e6), 1);
});

test("time formatting picks a readable unit", () => {
  assert.equal(formatUs(12), "12 µs");
  assert.equal(formatUs(1500), "1.50 ms");
  assert.equal(formatUs(150_000), "150.0 ms");
  assert.equal(formatUs(2_500_000), "2.500 s");
});

test("partition groups: contiguous arcs of the ring, going round", () => {
  assert.equal(contiguousOnRing([0, 1, 2], 5), true);
  assert.equal(contiguousOnRing([4, 0], 5), true, "wraps round");
  assert.equal(contiguousOnRing([3, 4, 0, 1], 5), true);
  assert.equal(contiguousOnRing([0, 2], 5), false);
  assert.equal(contiguousOnRing([1, 3, 4], 5), false);
  assert.equal(contiguousOnRing([2], 5), true);
  assert.equal(contiguousOnRing([0, 1, 2, 3, 4], 5), true);
});

test("every message kind Rust declares has a colour, and no colour names a kind it does not", () => {
  assert.deepEqual(Object.keys(KIND_VAR).sort(), [...MSG_KINDS].sort());
});
