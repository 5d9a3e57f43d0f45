// The CAP page's module (web/pkg-cap, crates/wasm-cap) from Node: the README's example, and
// a randomized storm of actions and arguments against `CapWorlds`. Asserts: no Wasm trap,
// every refusal an Error naming its field, a refused call leaves both worlds unchanged, an
// accepted action reaches both, and the same calls give the same worlds twice.
//   RAFTLAB_FUZZ_SEED=N   replay one seed (printed by every run)
//   RAFTLAB_FUZZ_CALLS=N  calls per run (default 300)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ACTION_TYPES, RAFT_ACTION_TYPES } from "../../web/src/vocab.js";
import { CapWorlds } from "./cap-wasm.mjs";
import { prng } from "./wasm.mjs";

const SEED = Number(process.env.RAFTLAB_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CALLS = Number(process.env.RAFTLAB_FUZZ_CALLS ?? 300);
const NAMED = /^[A-Za-z_][\w.[\]]*: \S/;
const scenario = JSON.parse(
  readFileSync(new URL("../../scenarios/cap_partition_raft.json", import.meta.url), "utf8"),
);

/** Both worlds' observable state. @param {CapWorlds} c */
const state = (c) => JSON.stringify({ now: c.now_us(), views: c.views(), lag: c.lag(10_000) });

describe("CapWorlds", () => {
  it("the README's example: Raft linearizable, the AP store available and not", () => {
    const cap = new CapWorlds(scenario);
    cap.advance(cap.duration_us());
    const { raft, ap } = cap.report();
    assert.equal(raft.linearizability, "ok");
    assert.equal(ap.linearizability, "violated");
    assert.equal(ap.clients_unanswered, 0);
    assert.equal(raft.clients_unanswered, 2);
    assert.ok(raft.converged && ap.converged);
    assert.deepEqual(cap.skipped(), []);
    cap.free();
  });

  it("an action only Raft has is refused for both sides, naming the field", () => {
    const cap = new CapWorlds(scenario);
    cap.advance(500_000);
    const before = state(cap);
    for (const type of RAFT_ACTION_TYPES) {
      assert.throws(
        () => cap.apply({ type, node: 1 }),
        (e) => e instanceof Error && NAMED.test(e.message),
        type,
      );
      assert.equal(state(cap), before, `${type} changed a world`);
    }
    cap.free();
  });

  it(`survives a storm of ${CALLS} calls (seed ${SEED}) and replays it`, () => {
    const run = () => {
      const rand = prng(SEED);
      const pick = (/** @type {any[]} */ xs) => xs[Math.floor(rand() * xs.length)];
      const cap = new CapWorlds(scenario);
      const numbers = [-1, 0.5, Number.NaN, 2 ** 53, 0, 1, 3, 5, 9, 100_000];
      for (let i = 0; i < CALLS; i++) {
        const before = state(cap);
        try {
          switch (pick(["apply", "apply", "apply", "advance", "seek"])) {
            case "advance":
              cap.advance(pick([...numbers, 20_000, 70_000_000, "1", null]));
              break;
            case "seek":
              cap.seek(pick([...numbers, 1_000_000, "x"]));
              break;
            default:
              cap.apply({
                type: pick(ACTION_TYPES),
                node: pick(numbers),
                client: pick(numbers),
                key: pick(["x", "", 5]),
                value: pick(["1", 2]),
                groups: pick([
                  [
                    [1, 2],
                    [3, 4, 5],
                  ],
                  [[1], [1]],
                  [],
                ]),
                count: pick(numbers),
              });
          }
        } catch (e) {
          assert.ok(!(e instanceof WebAssembly.RuntimeError), `seed ${SEED}: a trap: ${e}`);
          assert.ok(e instanceof Error && NAMED.test(e.message), `seed ${SEED}: ${e}`);
          assert.equal(state(cap), before, `seed ${SEED}: call ${i} refused, yet changed`);
        }
      }
      cap.report();
      const end = state(cap);
      cap.free();
      return end;
    };
    console.log(`# CapWorlds storm seed ${SEED} (replay: RAFTLAB_FUZZ_SEED=${SEED})`);
    assert.equal(run(), run(), `seed ${SEED}: the same calls gave different worlds`);
  });

  it("the lag in buckets: a bad count is an Error naming it", () => {
    const cap = new CapWorlds(scenario);
    cap.advance(cap.duration_us());
    assert.equal(cap.lag(1).length, 1);
    assert.ok(cap.lag(600).length <= 600);
    for (const bad of [0, 10_001, -1, "5"])
      assert.throws(
        () => cap.lag(bad),
        (e) => e instanceof Error && e.message.startsWith("points_max: "),
        String(bad),
      );
    assert.equal(cap.ap_quorums_overlap(), false);
    cap.free();
  });

  it("a bad scenario is an Error naming the field", () => {
    assert.throws(
      () => new CapWorlds({ seed: 1, duration_us: 1, config: { ap: { read_quorum: 9 } } }),
      (e) =>
        e instanceof Error &&
        e.message === "scenario: config.ap.read_quorum: must be 1..=5 (the replicas), got 9",
    );
  });
});
