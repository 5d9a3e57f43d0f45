// The Wasm experiment runner gives the same records as the native CLI for the same spec
// (a few Figure 16 ranges, few trials), and a trial's replay scenario shows the new leader
// at the recorded moment.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Experiment } from "../../web/pkg/raftlab_wasm.js";
import { Playground } from "./wasm.mjs";

const root = new URL("../../", import.meta.url).pathname;
const cli =
  ["target/ci/raftlab", "target/release/raftlab"].map((p) => join(root, p)).find(existsSync) ??
  join(root, "target/ci/raftlab");

const figure16 = JSON.parse(readFileSync(join(root, "experiments/figure16.json"), "utf8"));
const spec = {
  ...figure16,
  ranges: figure16.ranges
    .filter((r) =>
      ["150-155", "150-300", "12-24"].includes(`${r.timeout_ms_min}-${r.timeout_ms_max}`),
    )
    .map((r) => ({ ...r, trials: 5 })),
};

describe("experiment runner", () => {
  it("Wasm and the CLI give identical records", () => {
    const dir = mkdtempSync(join(tmpdir(), "raftlab-exp-"));
    const file = join(dir, "spec.json");
    writeFileSync(file, JSON.stringify(spec));
    const native = JSON.parse(
      execFileSync(cli, ["experiment", file, "--json"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    );
    const e = new Experiment(spec);
    assert.equal(e.trials_total(), 20); // 150-300 is in both graphs
    // In two slices, as workers would.
    const wasm = [...e.run(0, 7), ...e.run(7, 100), ...e.run(20, 5)];
    assert.deepEqual(wasm, native.records);
  });

  it("a trial's scenario replays to the new leader at the recorded moment", () => {
    const e = new Experiment(spec);
    const [rec] = e.run(2, 1);
    const p = Playground.from_scenario(e.scenario(rec.range, rec.trial));
    p.advance(rec.elected_us);
    assert.ok(p.view().nodes.some((n) => n.id === rec.new_leader && n.role === "leader"));
  });

  it("spec errors name the field", () => {
    assert.throws(
      () => new Experiment({ ...spec, ranges: [{ timeout_ms_min: 150 }] }),
      /spec\.ranges\[0\]: missing field `timeout_ms_max`/,
    );
  });
});
