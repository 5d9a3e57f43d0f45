// Determinism across the boundary: the same scenario gives the same trace hash in Wasm (here)
// and natively (the `raftlab` CLI). Covers every ready scenario plus worlds driven by random
// user actions and exported.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { run_scenario as runCapScenario } from "./cap-wasm.mjs";
import { Playground, prng } from "./wasm.mjs";

const root = new URL("../../", import.meta.url).pathname;
// `npm test` builds the CLI in the `ci` profile (release with debug assertions); a plain
// `cargo build --release` is found too.
const cli =
  ["target/ci/raftlab", "target/release/raftlab"].map((p) => join(root, p)).find(existsSync) ??
  join(root, "target/ci/raftlab");

function nativeSummary(file) {
  // `run` exits 1 when an expectation fails; the summary is printed either way.
  try {
    return JSON.parse(execFileSync(cli, ["run", file, "--json"], { encoding: "utf8" }));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

/** A world driven by random but valid user actions, exported as a scenario. */
function randomScenario(seed) {
  const rand = prng(seed);
  const p = new Playground({ node_count: 3 + (seed % 5) }, seed);
  const n = p.view().nodes.length;
  const node = () => 1 + Math.floor(rand() * n);
  for (let i = 0; i < 12; i++) {
    p.advance(Math.floor(rand() * 400_000));
    const choices = [
      { type: "crash", node: node() },
      { type: "restart", node: node() },
      { type: "isolate", node: node() },
      { type: "heal" },
      { type: "put", client: 1, key: "k", value: String(i) },
      { type: "append", client: 2, key: "k", value: "a" },
      { type: "get", client: 1, key: "k" },
      { type: "set_workload", enabled: true, rate_ops_per_s: 20, key_count: 2 },
      { type: "set_drift", node: node(), drift_ppm: 5000 },
    ];
    try {
      p.apply(choices[Math.floor(rand() * choices.length)]);
    } catch {
      // An action that does not fit the moment (restart of a live node) is refused and
      // leaves the world unchanged; the export only holds applied ones.
    }
  }
  const s = p.export_scenario(`random seed ${seed}`);
  s.duration_us = p.now_us() + 500_000;
  return s;
}

describe("same trace hash natively and in Wasm", {
  skip: !existsSync(cli) && `${cli} not built`,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "raftlab-det-"));
  const ready = existsSync(join(root, "scenarios"))
    ? readdirSync(join(root, "scenarios"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => join(root, "scenarios", f))
    : [];
  const generated = [1, 2, 3, 4, 5, 6].map((seed) => {
    const file = join(dir, `random-${seed}.json`);
    writeFileSync(file, JSON.stringify(randomScenario(seed)));
    return file;
  });
  for (const file of [...ready, ...generated]) {
    it(file.startsWith(root) ? file.slice(root.length) : basename(file), () => {
      const text = readFileSync(file, "utf8");
      // The AP store's scenarios run in the CAP page's module (the playground's has no AP).
      const wasm = JSON.parse(text).config?.ap
        ? runCapScenario(text)
        : Playground.run_scenario(text);
      const native = nativeSummary(file);
      assert.equal(wasm.trace_hash, native.trace_hash);
      assert.equal(wasm.events, native.events);
      assert.deepEqual(wasm, native);
    });
  }

  it("different seeds give different traces", () => {
    const a = new Playground({}, 1);
    const b = new Playground({}, 2);
    a.advance(1_000_000);
    b.advance(1_000_000);
    assert.notEqual(a.trace_hash(), b.trace_hash());
  });
});
