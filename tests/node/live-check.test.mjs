// The live verdict (`check_incremental()`): it agrees with the whole check as a run grows,
// says what it covers, and refuses bad options with an Error naming the field.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Playground } from "./wasm.mjs";

describe("check_incremental", () => {
  it("agrees with check() as the run grows and covers every settled operation", () => {
    const p = new Playground({ node_count: 5, workload: { enabled: true, rate_ops_per_s: 40 } }, 5);
    for (let step = 0; step < 30; step++) {
      p.advance(300_000);
      if (step === 8) p.apply({ type: "crash", node: 1 });
      if (step === 16) p.apply({ type: "restart", node: 1 });
      const live = p.check_incremental();
      assert.equal(live.verdict, p.check().linearizability.verdict, `step ${step}`);
      assert.equal(
        live.ops_covered + live.ops_open + live.ops_pending + live.ops_failed,
        live.ops_total,
      );
      assert.ok(live.covered_through_us <= live.settled_us);
      assert.ok(live.settled_us <= p.now_us());
    }
    const last = p.check_incremental({ steps_max: 1000 });
    assert.ok(last.ops_total > 150, `${last.ops_total} operations`);
    assert.ok(last.partitions.length > 0);
  });

  it("refuses bad options, naming the field", () => {
    const p = new Playground({ node_count: 3 }, 1);
    for (const [options, pattern] of [
      [{ steps_max: 0 }, /^options\.steps_max: 0 is out of range/],
      [{ steps_max: 1e9 }, /^options\.steps_max: 1000000000 is out of range/],
      [{ steps_max: -1 }, /^options\.steps_max: /],
      [{ steps_max: "5" }, /^options\.steps_max: /],
      [{ step_max: 5 }, /^options\.step_max: unknown field/],
      [[1], /^options: expected an object/],
      [7, /^options: expected an object, got number/],
    ]) {
      assert.throws(() => p.check_incremental(options), { message: pattern });
    }
    assert.equal(p.check_incremental().verdict, "ok");
  });
});
