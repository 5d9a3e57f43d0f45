// A randomized storm of hostile calls against every Playground method: extreme numbers,
// huge and deeply nested JSON, huge strings, wrong types, every action in every state,
// calls after free(). Asserts: no Wasm trap (a WebAssembly.RuntimeError), the module keeps
// working (a bystander playground is untouched and still runs), every refusal is an Error
// naming the field (`name: ...`), and a refused call leaves the world unchanged (same trace
// hash and view).
//   RAFTLAB_FUZZ_SEED=N      replay one seed (printed by every run)
//   RAFTLAB_FUZZ_CALLS=N     calls per run (default 600: a few seconds; a long run: 100000)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACTION_TYPES as GENERATED_ACTION_TYPES } from "../../web/src/vocab.js";
import { Playground, prng, snapshot } from "./wasm.mjs";

const SEED = Number(process.env.RAFTLAB_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CALLS = Number(process.env.RAFTLAB_FUZZ_CALLS ?? 600);
const VIRTUAL_TIME_US_MAX = 86_400_000_000;
/** A refusal names its field or argument first: `us: ...`, `action.groups[1][0]: ...`. */
const NAMED = /^[A-Za-z_][\w.[\]]*: \S/;
const FREED = "null pointer passed to rust";

const rand = prng(SEED);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;

// Built once: the big inputs are costly to make.
const HUGE_TEXT = "x".repeat(17 << 20);
const LONG_VALUE = "v".repeat(70_000);
const DEEP_TEXT = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
function deepObject(depth) {
  let o = { type: "heal" };
  for (let i = 0; i < depth; i++) o = { type: "put", client: o };
  return o;
}
const DEEP_OBJECT = deepObject(2_000);

const EXTREME_NUMBERS = [
  -1,
  -0.5,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  2 ** 64,
  1e300,
  -(2 ** 31),
  2 ** 32,
  VIRTUAL_TIME_US_MAX + 1,
  Number.MAX_SAFE_INTEGER,
];
const WRONG_TYPES = [
  "12",
  "",
  true,
  false,
  null,
  undefined,
  [],
  {},
  [1, 2],
  10n,
  () => 1,
  Symbol("s"),
];

function hostileNumber() {
  return chance(0.5) ? pick(EXTREME_NUMBERS) : pick(WRONG_TYPES);
}
/** A hostile time for the unbudgeted advance and seek: never a valid one (a valid 2^32 µs
 * is 71 virtual minutes of work: bounded, but not a few seconds). */
function hostileTime() {
  const v = hostileNumber();
  return Number.isSafeInteger(v) && v >= 0 && v <= VIRTUAL_TIME_US_MAX ? -1 : v;
}

/** An events budget: small, or invalid (a valid huge one would be a long run). */
function budget() {
  return chance(0.8) ? 1 + Math.floor(rand() * 500) : pick([0, -1, 0.5, Number.NaN, "5", null]);
}

/** Mostly small valid numbers, sometimes hostile ones. */
function number(validMax) {
  if (chance(0.7)) return Math.floor(rand() * validMax);
  return hostileNumber();
}
function node() {
  return chance(0.85) ? 1 + Math.floor(rand() * 6) : hostileNumber();
}
function str() {
  return pick(["k", "x", "", "ключ", LONG_VALUE, "k".repeat(300), 5, null]);
}

// Every action type Rust declares (generated from it), and one it does not.
const ACTION_TYPES = [...GENERATED_ACTION_TYPES, "no_such_action"];

function action() {
  const type = pick(ACTION_TYPES);
  const a = { type };
  const fields = {
    node,
    from: node,
    to: node,
    client: () => (chance(0.8) ? 1 + Math.floor(rand() * 3) : hostileNumber()),
    id: () => number(40),
    count: () => number(4),
    drift_ppm: () => (chance(0.8) ? Math.floor(rand() * 600_000) - 300_000 : hostileNumber()),
    delay_us: () => number(200_000),
    key: str,
    value: str,
    expected: str,
    groups: () =>
      chance(0.8)
        ? [
            [1, 2],
            [3, 4, 5],
          ]
        : pick([[[1, 1]], [[9]], "x", [[]]]),
    enabled: () => pick([true, false, 1]),
    rate_ops_per_s: () => number(200),
    latency_us_min: () => number(20_000),
    latency_us_max: () => number(40_000),
    loss_ppm: () => number(1_100_000),
    duplicate_ppm: () => number(100_000),
    reorder_ppm: () => number(1_100_000),
    read_path: () => pick(["log", "read_index", "lease", "stale", "bogus"]),
    toggle: () => pick(["figure8_commit", "vote_without_log_check", "bogus"]),
    on: () => pick([true, false]),
  };
  // Every field that any action has, each present at random: right and wrong alike.
  for (const [name, make] of Object.entries(fields)) if (chance(0.25)) a[name] = make();
  return chance(0.9) ? a : pick([DEEP_OBJECT, DEEP_TEXT, HUGE_TEXT, "{", "null", 5, [a]]);
}

function config() {
  return pick([
    undefined,
    { node_count: 3 },
    { node_count: pick([0, 1, 10, -1, 2 ** 53]) },
    { clients: { count: pick([2, 65, 1e9]) }, workload: { enabled: true, rate_ops_per_s: 30 } },
    { clients: { queued_ops_max: pick([4, 2000]) } },
    { bogus: 1 },
    DEEP_TEXT,
    '{"node_count": 3',
    [],
  ]);
}

function scenario() {
  const base = {
    description: "fuzz",
    seed: number(100),
    duration_us: chance(0.8) ? Math.floor(rand() * 2_000_000) : hostileTime(),
  };
  return pick([
    base,
    { ...base, actions: [{ at_us: number(1_000_000), action: action() }] },
    { ...base, duration_us: VIRTUAL_TIME_US_MAX + 1 },
    { ...base, description: "d".repeat(5_000) },
    HUGE_TEXT,
    DEEP_TEXT,
    DEEP_OBJECT,
    "not json",
  ]);
}

/** JSON text of `v` made in JS (a BigInt or a cycle there is the test's, not the API's). */
function asText(v) {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return "{";
  }
}

/** One call: [label, call]. */
function call(p) {
  return pick([
    ["advance", () => p.advance(chance(0.8) ? Math.floor(rand() * 200_000) : hostileTime())],
    ["advance_budgeted", () => p.advance_budgeted(number(VIRTUAL_TIME_US_MAX), budget())],
    [
      "seek",
      () => p.seek(chance(0.8) ? Math.floor(rand() * (p.now_us() + 200_000)) : hostileTime()),
    ],
    ["seek_budgeted", () => p.seek_budgeted(number(VIRTUAL_TIME_US_MAX), budget())],
    ["step", () => p.step()],
    ["apply", () => p.apply(action())],
    ["apply text", () => p.apply(asText(action()))],
    [
      "view",
      () => p.view(pick([undefined, { log_tail: number(100) }, { kv: "no" }, DEEP_TEXT, 7])),
    ],
    ["message", () => p.message(number(50))],
    ["entry_status", () => p.entry_status(node(), number(50))],
    ["events", () => p.events(pick([undefined, { text: "markers" }, { text: "bogus" }, 1]))],
    ["trace", () => p.trace(number(100))],
    ["history", () => p.history()],
    ["check", () => p.check()],
    [
      "check_incremental",
      () => p.check_incremental(pick([undefined, { steps_max: number(1e6) }, { x: 1 }, 3, null])),
    ],
    ["export_scenario", () => p.export_scenario(pick([undefined, "d", "d".repeat(5_000), 5]))],
    ["defer_checkpoints", () => p.defer_checkpoints(pick([true, false, 1, "yes"]))],
    ["checkpoint", () => p.checkpoint()],
    ["checkpoint_due", () => p.checkpoint_due()],
    ["config", () => p.config()],
    ["trace_hash", () => p.trace_hash()],
    ["start", () => p.start(node(), str(), str())],
    ["log", () => p.log(node(), number(400), pick([number(400), 2 ** 53 - 1, 0]))],
    ["msg_counts", () => p.msg_counts()],
    ["skip_events", () => p.skip_events()],
  ]);
}

/** Runs `fn`; on a throw asserts it is a named Error (not a trap) and returns it. */
function attempt(label, fn, freed = false) {
  try {
    fn();
    return null;
  } catch (e) {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `${label}: Wasm trap: ${e}`);
    assert.ok(e instanceof Error, `${label}: threw a non-Error ${String(e)}`);
    if (freed) assert.equal(e.message, FREED, label);
    else assert.match(e.message, NAMED, `${label}: the refusal names no field: ${e.message}`);
    return e;
  }
}

describe(`fuzz (RAFTLAB_FUZZ_SEED=${SEED} RAFTLAB_FUZZ_CALLS=${CALLS})`, () => {
  it("no hostile call traps, every refusal names its field, refusals change nothing", () => {
    console.log(
      `fuzz seed ${SEED}, ${CALLS} calls; replay: RAFTLAB_FUZZ_SEED=${SEED} node --test tests/node/fuzz.test.mjs`,
    );
    const bystander = new Playground({ node_count: 3 }, 7);
    bystander.advance(500_000);
    const bystanderBefore = snapshot(bystander);
    let p = new Playground(
      { node_count: 5, workload: { enabled: true, rate_ops_per_s: 20 } },
      SEED,
    );
    const refusals = new Map();
    for (let i = 0; i < CALLS; i++) {
      const r = rand();
      if (r < 0.03) {
        // A new world from hostile config or scenario input; the old one is freed.
        const made = [];
        attempt("new", () =>
          made.push(new Playground(config(), chance(0.8) ? number(1000) : hostileNumber())),
        );
        attempt("from_scenario", () => made.push(Playground.from_scenario(scenario())));
        if (made.length) {
          p.free();
          p = made.pop();
          for (const m of made) m.free();
        }
        continue;
      }
      if (r < 0.05) {
        attempt("run_scenario", () => Playground.run_scenario(scenario()));
        continue;
      }
      if (r < 0.06) {
        const q = new Playground({ node_count: 3 }, 1);
        q.free();
        for (let k = 0; k < 3; k++) attempt("after free", call(q)[1], true);
        attempt("double free", () => q.free(), true);
        continue;
      }
      const [label, fn] = call(p);
      const before = snapshot(p);
      const e = attempt(label, fn);
      if (e) {
        assert.equal(snapshot(p), before, `${label} refused (${e.message}) but changed the world`);
        const key = `${label}: ${e.message.split(":")[0]}`;
        refusals.set(key, (refusals.get(key) ?? 0) + 1);
      }
    }
    // The module still works: the bystander is untouched and runs as a fresh twin does.
    assert.equal(
      snapshot(bystander),
      bystanderBefore,
      "a call on another playground changed the bystander",
    );
    bystander.advance(500_000);
    const twin = new Playground({ node_count: 3 }, 7);
    twin.advance(1_000_000);
    assert.equal(bystander.trace_hash(), twin.trace_hash());
    assert.ok(refusals.size > 5, `only ${refusals.size} kinds of refusal: the storm is too tame`);
    p.free();
    bystander.free();
    twin.free();
  });
});
