// A course grader in Node: load each ready scenario, run it with the Wasm, and check its
// expectations — the same verdicts `raftlab run` gives natively.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Playground } from "./wasm.mjs";

const dir = new URL("../../scenarios/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("grading the ready scenarios in Node", () => {
  it("there are ready scenarios", () => assert.ok(files.length >= 7));
  for (const file of files) {
    it(file, () => {
      const scenario = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
      const summary = Playground.run_scenario(scenario);
      assert.equal(summary.expectations.length, scenario.expect.length);
      for (const e of summary.expectations) {
        assert.ok(e.ok, `${file}: expectation failed: ${JSON.stringify(e)}`);
      }
    });
  }

  it("split brain: convergence is not settled during the partition and ok after the heal", () => {
    const scenario = JSON.parse(readFileSync(new URL("split_brain.json", dir), "utf8"));
    const p = Playground.from_scenario(scenario);
    p.advance(2_400_000);
    const during = p.check().convergence;
    assert.equal(during.settled, false);
    assert.equal(during.verdict, "unknown");
    assert.match(during.reason, /^not settled: /);
    p.advance(scenario.duration_us - 2_400_000);
    const after = p.check().convergence;
    assert.equal(after.settled, true);
    assert.equal(after.verdict, "ok");
    p.free();
  });

  it("a grader sees a failed expectation when the scenario does not show it", () => {
    const scenario = JSON.parse(readFileSync(new URL("split_brain.json", dir), "utf8"));
    // Claim that no leader was ever elected: the grader must mark it failed.
    scenario.expect = [{ type: "leaders_at", at_us: scenario.duration_us, count: 0 }];
    const summary = Playground.run_scenario(scenario);
    assert.equal(summary.expectations[0].ok, false);
  });
});
