// The page's logic without a browser: the controller, the frame runner and the pure reducers,
// against the fake package (web/test/fixtures/fake-pkg.js, samples captured from the real
// module). Run: node --test web/test/app.test.mjs
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { createController } from "../src/app/controller.js";
import {
  addMarkers,
  cutMarkers,
  emptyMarkers,
  endFlights,
  FLIGHTS_MAX,
  historySignature,
  MARKERS_MAX,
  spacetimeSpan,
  trackFlights,
} from "../src/app/derive.js";
import { createAdvancer, createFrameRunner, createSpeedMeter } from "../src/app/frame.js";
import { runSliced } from "../src/app/replay.js";
import { servedBy } from "../src/render/history.js";
import init, { Playground } from "./fixtures/fake-pkg.js";

before(async () => {
  await init();
});

/** A controller holding a fresh fake world. */
function withWorld() {
  const ctrl = createController();
  const w = new Playground({ node_count: 5 }, 7);
  ctrl.replace(w);
  return { ctrl, w };
}

test("controller: dispatch forwards an action and tells 'action' subscribers", () => {
  const { ctrl, w } = withWorld();
  const seen = [];
  ctrl.subscribe("action", (a) => seen.push(a));
  const a = { type: "crash", node: 2 };
  assert.equal(ctrl.dispatch(a), true);
  assert.deepEqual(seen, [a]);
  assert.deepEqual(w.actions.at(-1).action, a);
});

test("controller: a refused action goes to 'error' subscribers, is never thrown", () => {
  const { ctrl } = withWorld();
  const errors = [];
  const actions = [];
  ctrl.subscribe("error", (e) => errors.push(e.message));
  ctrl.subscribe("action", (a) => actions.push(a));
  assert.equal(ctrl.dispatch({ type: "drop_message", id: 999_999 }), false);
  assert.deepEqual(errors, ["action.id: no message #999999 in flight"]);
  assert.deepEqual(actions, []);
});

test("controller: seek moves the world and drains the replayed trace lines", () => {
  const { ctrl, w } = withWorld();
  ctrl.advance(3_000_000); // the fake emits marked lines every 0.7 s and 1.1 s
  assert.ok(w.pending.length > 0);
  const seeks = [];
  ctrl.subscribe("seek", (t) => seeks.push(t));
  assert.equal(ctrl.seek(1_234.4), true);
  assert.equal(ctrl.now(), 1234);
  assert.equal(w.pending.length, 0, "drained");
  assert.deepEqual(seeks, [1_234.4]);
});

test("controller: replace frees the old world and defers its checkpoints", () => {
  const ctrl = createController();
  const calls = [];
  const fake = (name) => ({
    defer_checkpoints: (on) => calls.push(`${name}.defer(${on})`),
    free: () => calls.push(`${name}.free`),
  });
  const worlds = [];
  ctrl.subscribe("world", (w) => worlds.push(w));
  const a = /** @type {any} */ (fake("a"));
  const b = /** @type {any} */ (fake("b"));
  ctrl.replace(a);
  ctrl.replace(b);
  assert.deepEqual(calls, ["a.defer(true)", "a.free", "b.defer(true)"]);
  assert.deepEqual(worlds, [a, b]);
});

test("controller: prevEventAt asks the world, undefined without an earlier event or the query", () => {
  const { ctrl, w } = withWorld();
  ctrl.seek(5_000);
  assert.equal(ctrl.prevEventAt(5_000), 4_000);
  assert.equal(ctrl.prevEventAt(4_000.4), 3_000);
  assert.equal(ctrl.prevEventAt(0), undefined);
  // An older package without the query: the slider falls back to its coarse step.
  /** @type {any} */ (w).prev_event_at = undefined;
  assert.equal(ctrl.prevEventAt(5_000), undefined);
});

test("servedBy: the answering node for ok operations, the last one tried otherwise", () => {
  /** @param {any} o */
  const op = (o) => ({ id: 0, client: 1, op: "put", key: "k", invoke_us: 0, ...o });
  assert.equal(servedBy(op({ outcome: "ok", complete_us: 5, node: 3 })), "served by n3");
  assert.equal(servedBy(op({ outcome: "unknown", complete_us: null, node: 2 })), "last sent to n2");
  assert.equal(servedBy(op({ outcome: "failed", complete_us: 9, node: 4 })), "last sent to n4");
  // Histories from elsewhere have no node: nothing is claimed.
  assert.equal(servedBy(op({ outcome: "ok", complete_us: 5 })), "");
});

test("controller: unsubscribing stops notifications", () => {
  const { ctrl } = withWorld();
  let n = 0;
  const off = ctrl.subscribe("action", () => n++);
  ctrl.dispatch({ type: "heal" });
  off();
  ctrl.dispatch({ type: "heal" });
  assert.equal(n, 1);
});

test("controller: message(id) returns one message with its summary, null when gone", () => {
  const { ctrl } = withWorld();
  const m = ctrl.view().messages[0];
  const one = ctrl.message(m.id);
  assert.equal(one?.id, m.id);
  assert.equal(typeof one?.summary, "string");
  assert.equal(ctrl.message(987_654_321), null);
});

test("markers: marked lines are kept in order, capped at MARKERS_MAX, cut at a rewrite", () => {
  const line = (t, marker) => ({
    seq: t,
    time_us: t,
    category: "role",
    node: 1,
    message: null,
    text: `at ${t}`,
    marker,
  });
  let m = emptyMarkers();
  m = addMarkers(m, [line(1, "election"), line(2, null), line(3, "fault")]);
  assert.deepEqual(
    m.list.map((x) => [x.id, x.at_us, x.kind]),
    [
      [1, 1, "election"],
      [2, 3, "fault"],
    ],
  );
  const same = addMarkers(m, [line(4, null)]);
  assert.equal(same.list, m.list, "no marked line: the same list");
  // The same lines again (a replay after a backward seek, or lines a seek drained): not twice.
  assert.equal(addMarkers(same, [line(1, "election"), line(3, "fault")]).list, m.list);
  const many = Array.from({ length: MARKERS_MAX + 5 }, (_, i) => line(10 + i, "election"));
  m = addMarkers(m, many);
  assert.equal(m.list.length, MARKERS_MAX);
  assert.equal(m.list[0].at_us, 15, "oldest dropped first");
  const cut = cutMarkers(m, 20);
  assert.deepEqual(
    cut.list.map((x) => x.at_us),
    [15, 16, 17, 18, 19, 20],
  );
  // The rewritten future's lines come at the positions after the last marker kept.
  const rewritten = addMarkers(cut, [line(21, "fault")]);
  assert.deepEqual(
    rewritten.list.slice(-2).map((x) => [x.at_us, x.kind]),
    [
      [20, "election"],
      [21, "fault"],
    ],
  );
});

test("flights: tracked from views, ended by deliver/drop lines, capped at FLIGHTS_MAX", () => {
  const msg = (id, sent, deliver) => ({
    id,
    from: { node: 1 },
    to: { node: 2 },
    kind: "append_entries",
    sent_at_us: sent,
    deliver_at_us: deliver,
    state: "in_flight",
  });
  const view = (now, messages) => /** @type {any} */ ({ now_us: now, messages });
  let f = trackFlights(new Map(), view(10, [msg(1, 0, 50), msg(2, 5, 60)]));
  assert.deepEqual([...f.keys()], [1, 2]);
  f = endFlights(f, [/** @type {any} */ ({ category: "drop", message: 1, time_us: 20 })]);
  assert.equal(f.get(1)?.fate, "dropped");
  assert.equal(f.get(1)?.end_us, 20);
  // Message 2 vanished from the view without an event: delivered on time.
  f = trackFlights(f, view(70, []));
  assert.equal(f.get(2)?.fate, "delivered");
  assert.equal(f.get(2)?.end_us, 60);
  const lots = Array.from({ length: FLIGHTS_MAX + 10 }, (_, i) => msg(100 + i, 70, 200));
  f = trackFlights(f, view(71, lots));
  // The two finished flights go first; the ones in flight stay.
  assert.equal(f.has(1), false);
  assert.equal(f.has(2), false);
  assert.equal(f.size, FLIGHTS_MAX + 10);
});

test("history signature changes exactly with completions and the outstanding op", () => {
  const c = (ok, op, queued = 0) => ({
    done_ok: ok,
    done_failed: 0,
    done_unknown: 0,
    pending: op ? { op } : null,
    queued,
  });
  const v = (clients) => /** @type {any} */ ({ clients });
  assert.equal(historySignature(v([c(1, null)])), historySignature(v([c(1, null)])));
  assert.notEqual(historySignature(v([c(1, null)])), historySignature(v([c(2, null)])));
  assert.notEqual(historySignature(v([c(1, null)])), historySignature(v([c(1, "put")])));
});

test("space-time span: two election timeouts at most, kept while within 25%", () => {
  const c = { latency_us_max: 5_000, election_timeout_us_max: 300_000 };
  const flights = [{ sent_at_us: 0 }];
  assert.equal(spacetimeSpan(0, /** @type {any} */ (flights), 1_000_000, c), 600_000);
  assert.equal(spacetimeSpan(0, /** @type {any} */ (flights), 100_000, c), 100_000);
  assert.equal(spacetimeSpan(100_000, /** @type {any} */ (flights), 110_000, c), 100_000);
  assert.equal(spacetimeSpan(100_000, /** @type {any} */ (flights), 200_000, c), 200_000);
});

test("advance budget: plays speed × real time, caps after an over-budget frame", () => {
  const a = createAdvancer(8);
  assert.equal(a.plan(16, 0.1), 1600);
  assert.equal(a.plan(0.5, 0.1), 50);
  assert.equal(a.plan(0.001, 0.1), 0, "fractions accumulate");
  assert.equal(a.plan(0.009, 0.1), 1);
  // 100 ms of virtual time cost 16 ms: the cap halves to 50 ms.
  a.record(100_000, 16);
  assert.equal(a.cap_us, 50_000);
  assert.equal(a.plan(16, 10), 50_000, "capped; the rest is let go");
  assert.equal(a.plan(0, 10), 0, "nothing owed");
  a.record(50_000, 1);
  assert.equal(a.cap_us, 62_500, "grows gently when well under budget");
});

test("speed meter: reports the achieved speed once per window", () => {
  const m = createSpeedMeter(1000);
  assert.equal(m.add(50_000, 500), null);
  assert.equal(m.add(50_000, 500), 0.1);
  assert.equal(m.add(10, 10), null, "a fresh window");
});

test("frame runner: advances while playing, draws due panels, throttles slow ones", () => {
  const { ctrl } = withWorld();
  let t = 0;
  let playing = true;
  const drawn = [];
  const runner = createFrameRunner({
    ctrl,
    playing: () => playing,
    speed: () => 1,
    viewOptions: () => ({ log_tail: 0 }),
    onSpeed: () => {},
    onLines: () => {},
    onView: () => {},
    idleWork: () => {},
    now: () => t,
  });
  runner.add({ sync: () => drawn.push("fast") });
  runner.add({ sync: () => drawn.push("slow"), every_ms: 200 });
  runner.add({ sync: () => drawn.push("off"), active: () => false });
  const t0 = ctrl.now();
  runner.frame(16);
  assert.equal(ctrl.now(), t0 + 16_000);
  assert.deepEqual(drawn, ["fast", "slow"]);
  t = 100;
  runner.frame(16);
  assert.deepEqual(drawn, ["fast", "slow", "fast"], "the slow panel waits 200 ms while playing");
  playing = false;
  runner.invalidate();
  runner.frame(16);
  assert.equal(ctrl.now(), t0 + 32_000, "paused: no time played");
  assert.deepEqual(drawn.slice(3), ["fast", "slow"], "paused: every panel draws");
  runner.frame(16);
  assert.equal(drawn.length, 5, "nothing changed: nothing drawn");
});

test("sliced seek: reaches the target in slices within the budget, yields between, cancels", async () => {
  const { ctrl } = withWorld();
  let t = 0;
  const slices = [];
  // A fake world where an event is 10 µs of virtual time and costs 1 µs of work.
  const world = {
    seekBudgeted: (target_us, events_max) => {
      const us = Math.min(events_max * 10, target_us - ctrl.now());
      const events = Math.ceil(us / 10);
      slices.push(events);
      t += events / 1000;
      ctrl.advance(us);
      return { now_us: ctrl.now(), target_us, events, done: ctrl.now() === target_us };
    },
  };
  let yields = 0;
  const target = ctrl.now() + 5_000_000;
  const r = await runSliced(world, target, {
    now: () => t,
    budget_ms: 30,
    yieldTo: async () => {
      yields++;
    },
  });
  assert.equal(r, "done");
  assert.equal(ctrl.now(), target, "exactly at the target");
  assert.equal(yields, slices.length - 1, "the page gets a turn between slices");
  assert.ok(
    slices.every((n) => n / 1000 <= 30),
    `every slice within 30 ms: ${slices.map((n) => n / 1000)}`,
  );
  assert.ok(slices.length > 2 && slices.length < 40, `${slices.length} slices`);
  let n = 0;
  const r2 = await runSliced(world, target + 5_000_000, {
    now: () => t,
    cancelled: () => ++n > 3,
    yieldTo: async () => {},
  });
  assert.equal(r2, "cancelled");
  assert.ok(ctrl.now() < target + 5_000_000);
});

test("happens-before: a moment's causal past follows delivered messages back, transitively", async () => {
  const { causalPast } = await import("../src/render/spacetime.js");
  const f = (id, from, to, sent, end, fate = "delivered") =>
    /** @type {any} */ ({
      id,
      from,
      to,
      kind: "append",
      sent_at_us: sent,
      deliver_at_us: end,
      fate,
      end_us: end,
    });
  const flights = [
    f(1, 1, 2, 10, 20), // n1@10 -> n2@20
    f(2, 2, 3, 30, 40), // n2@30 -> n3@40: n3 after 40 knows n1@10
    f(3, 4, 3, 50, 60), // n4@50 -> n3@60: after the moment asked about
    f(4, 5, 3, 5, 35, "dropped"), // dropped: no causality
  ];
  const past = causalPast(flights, 3, 45);
  assert.deepEqual(
    [...past].sort((a, b) => a[0] - b[0]),
    [
      [1, 10],
      [2, 30],
      [3, 45],
    ],
  );
  assert.deepEqual(
    [...causalPast(flights, 3, 70)].sort((a, b) => a[0] - b[0]),
    [
      [1, 10],
      [2, 30],
      [3, 70],
      [4, 50],
    ],
  );
});
