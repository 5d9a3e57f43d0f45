// Membership actions through the JS API against the real Wasm: a new server appears in the
// view with the configuration in force, a learner's catch-up meter fills, and a refused
// change is an Error naming the field, the world unchanged.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Playground, snapshot } from "./wasm.mjs";

/** A 3-node world with a leader, 1 s in. */
function elected(seed = 7) {
  const p = new Playground({ node_count: 3 }, seed);
  p.advance(1_000_000);
  return p;
}

function leaderOf(p) {
  const leaders = p.view().nodes.filter((n) => n.role === "leader");
  return leaders.length ? leaders[0] : null;
}

describe("membership actions", () => {
  it("add_node hosts a new server that catches up as a learner, then is promoted", () => {
    const p = elected();
    p.apply({ type: "add_node", node: 4, voter: false });
    p.advance(1_000_000);
    const nodes = p.view().nodes;
    assert.equal(nodes.length, 4);
    const leader = leaderOf(p);
    assert.deepEqual(leader.membership.learners, [4]);
    assert.equal(leader.membership.joint, false);
    const meter = leader.progress.find((f) => f.node === 4);
    assert.ok(meter.caught_up_rounds >= leader.learner_caught_up_rounds_min, JSON.stringify(meter));
    p.apply({ type: "promote_learner", node: 4 });
    p.advance(500_000);
    for (const n of p.view().nodes) {
      assert.deepEqual(n.membership.voters, [1, 2, 3, 4], `n${n.id}`);
    }
  });

  it("refusal gives apply's error without applying, undefined when it would apply", () => {
    const p = elected();
    const hash = p.trace_hash();
    const bad = { type: "promote_learner", node: 2 };
    const why = p.refusal(bad);
    assert.equal(typeof why, "string");
    assert.equal(p.trace_hash(), hash, "the world is unchanged");
    assert.throws(
      () => p.apply(bad),
      (e) => e.message === why,
    );
    const ok = { type: "add_node", node: 4, voter: false };
    assert.equal(p.refusal(ok), undefined);
    assert.equal(p.view().nodes.length, 3, "a refusal check hosts no node");
    assert.throws(
      () => p.refusal({ type: "add_node" }),
      /missing field `node`/,
      "malformed input throws",
    );
  });

  it("a refused change is an Error naming the field, and changes nothing", () => {
    const p = elected();
    const cases = [
      [{ type: "add_node", node: 6, voter: true }, /^action\.node: /],
      [{ type: "promote_learner", node: 2 }, /^action\.node: /],
      [{ type: "change_membership", voters: [1, 5], learners: [] }, /^action\.voters\[1\]: /],
      [{ type: "remove_node", node: 9 }, /^action\.node: /],
    ];
    for (const [action, pattern] of cases) {
      const before = snapshot(p);
      assert.throws(
        () => p.apply(action),
        (e) => {
          assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `got ${e}`);
          assert.match(e.message, pattern);
          return true;
        },
        JSON.stringify(action),
      );
      assert.equal(snapshot(p), before, `${JSON.stringify(action)} changed the world`);
    }
  });
});
