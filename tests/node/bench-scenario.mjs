// What every Wasm-vs-native queue-events-per-second bench shares (tests/node/bench.mjs,
// tests/node/bench-instructions.mjs, tests/e2e/bench-events.mjs): the scenario, so that
// their figures compare, and the paths of the two sides.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The native side: the CLI's release build. */
export const nativeCli = fileURLToPath(new URL("../../target/release/raftlab", import.meta.url));
/** The Wasm side: a script running a scenario file in a fresh Node process. */
export const wasmRunScript = fileURLToPath(new URL("./bench-wasm-run.mjs", import.meta.url));

/** 5 nodes, 10 clients with a steady workload, running for `duration_us`. */
export function benchScenario(duration_us = 60_000_000) {
  return {
    description: "bench: 5 nodes, steady load",
    seed: 7,
    duration_us,
    config: {
      node_count: 5,
      clients: { count: 10 },
      workload: { enabled: true, rate_ops_per_s: 100, key_count: 10 },
    },
  };
}

/** `scenario` written to a fresh temporary file (for `raftlab run`); its path. */
export function scenarioFile(scenario) {
  const file = join(mkdtempSync(join(tmpdir(), "raftlab-bench-")), "bench.json");
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}
