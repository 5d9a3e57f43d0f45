// The experiments page's runner (the lab module, crates/wasm-lab) against the native CLI:
// the same spec gives identical records (run in slices, as the page's workers do), the page's
// CSV and JSON exports equal `raftlab experiment --csv` / `--json`, a sweep spec agrees too,
// a trial's election time is what the playground shows when its scenario is replayed, and
// bad input throws an Error naming the field.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Experiment, initSync } from "../../web/pkg-lab/raftlab_wasm_lab.js";
import { inRecordOrder, toCsv, toJson } from "../../www/experiments/records.js";
import { Playground } from "./wasm.mjs";

initSync({
  module: readFileSync(new URL("../../web/pkg-lab/raftlab_wasm_lab_bg.wasm", import.meta.url)),
});

const root = new URL("../../", import.meta.url).pathname;
const cli =
  ["target/ci/raftlab", "target/release/raftlab"].map((p) => join(root, p)).find(existsSync) ??
  join(root, "target/ci/raftlab");
const read = (/** @type {string} */ f) =>
  JSON.parse(readFileSync(join(root, "experiments", f), "utf8"));

const figure16 = read("figure16.json");
/** Three Figure 16 ranges, 5 trials each (150-300 is in both graphs, so 4 ranges). */
const spec = {
  ...figure16,
  ranges: figure16.ranges
    .filter((r) =>
      ["150-155", "150-300", "12-24"].includes(`${r.timeout_ms_min}-${r.timeout_ms_max}`),
    )
    .map((r) => ({ ...r, trials: 5 })),
};

/** Runs the CLI on `s` with `flag` and returns its standard output. */
function native(s, flag) {
  const dir = mkdtempSync(join(tmpdir(), "raftlab-exp-"));
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(s));
  return execFileSync(cli, ["experiment", file, flag], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
}

/** Every record of `e`, in slices of `slice` handed out in reverse, as workers may finish. */
function inSlices(e, slice) {
  const out = [];
  for (let first = Math.floor((e.trials_total() - 1) / slice) * slice; first >= 0; first -= slice)
    out.push(...e.run(first, slice));
  return inRecordOrder(out);
}

/** The ranges as the page keeps them. */
function ranges(e) {
  const labels = e.labels();
  return e.spec().ranges.map((r, i) => ({ label: labels[i], group: r.group, paper: r.paper }));
}

describe("experiment runner (lab module)", () => {
  it("gives the CLI's records, and the page's exports are the CLI's", () => {
    const e = new Experiment(spec);
    assert.equal(e.trials_total(), 20);
    const records = inSlices(e, 7);
    const json = JSON.parse(native(spec, "--json"));
    assert.deepEqual(records, json.records);
    assert.deepEqual(toJson(e.spec(), ranges(e), records), json);
    assert.equal(toCsv(records), native(spec, "--csv"));
  });

  it("a sweep spec gives the CLI's records too", () => {
    const s = { ...read("availability_loss.json"), trials: 2 };
    s.sweep = { ...s.sweep, values: [0, 100000] };
    const e = new Experiment(s);
    assert.deepEqual(e.labels(), [
      "150-300 loss_ppm=0",
      "150-300 loss_ppm=100000",
      "150-300 loss_ppm=0",
      "150-300 loss_ppm=100000",
    ]);
    assert.equal(toCsv(inSlices(e, 3)), native(s, "--csv"));
  });

  it("a trial's leader time is what the playground shows when its seed is replayed", () => {
    const e = new Experiment(spec);
    for (const rec of e.run(0, 20).filter((_, i) => i % 4 === 1)) {
      const p = Playground.from_scenario(e.scenario(rec.range, rec.trial));
      assert.equal(p.seed(), rec.seed);
      const leaders = () =>
        p
          .view()
          .nodes.filter((n) => n.role === "leader")
          .map((n) => n.id);
      p.advance(rec.elected_us - 1);
      assert.deepEqual(leaders(), [], `${rec.label}/${rec.trial}: no leader just before`);
      p.advance(1);
      assert.equal(p.now_us(), rec.elected_us);
      assert.deepEqual(leaders(), [rec.new_leader], `${rec.label}/${rec.trial}: the new leader`);
      assert.equal(rec.election_us, rec.elected_us - rec.crash_us);
    }
  });

  it("bad input throws an Error naming the field", () => {
    assert.throws(
      () => new Experiment({ ...spec, ranges: [{ timeout_ms_min: 150 }] }),
      /^Error: spec\.ranges\[0\]: missing field `timeout_ms_max`/,
    );
    assert.throws(
      () => new Experiment({ ...spec, sweep: { parameter: "loss_ppm", values: [] } }),
      /spec\.sweep\.values: 1 to 100 values/,
    );
    assert.throws(() => new Experiment("{"), /^Error: spec: /);
    assert.throws(() => new Experiment(undefined), /^Error: spec: expected an object/);
    const e = new Experiment(spec);
    assert.throws(() => e.run(-1, 2), /^Error: first: expected an integer/);
    assert.throws(() => e.run(0, "2"), /^Error: count: expected a number/);
    assert.throws(() => e.run(0, 1e9), /^Error: count: at most 100000 trials per call/);
    assert.throws(() => e.scenario(9, 0), /^Error: range: the spec has 4 ranges, no range 9/);
    assert.throws(() => e.scenario(0, 5), /^Error: trial: range 0 has 5 trials, no trial 5/);
    assert.deepEqual(e.run(18, 10).length, 2, "a slice past the end is clamped");
  });
});
