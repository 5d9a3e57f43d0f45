// Benchmarks of the Wasm API (figures, not assertions):
//   node tests/node/bench.mjs
// 1. frame cost: advance 16 ms + events + view, with 5 and 9 nodes and ~200 messages in flight;
// 2. simulated queue events per second, Wasm here vs. native (`raftlab run`), same scenario;
// 3. the gzipped size of the Wasm and its JS glue.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchScenario, nativeCli, scenarioFile, wasmRunScript } from "./bench-scenario.mjs";
import { Playground } from "./wasm.mjs";

const root = new URL("../../", import.meta.url).pathname;

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

/** A busy world: slow links and a steady workload keep many messages in flight. */
function busyConfig(nodes) {
  return {
    node_count: nodes,
    network: { latency_us_min: 60_000, latency_us_max: 120_000 },
    election_timeout_us_min: 600_000,
    election_timeout_us_max: 1_200_000,
    heartbeat_interval_us: 50_000,
    clients: { count: 40, timeout_us: 3_000_000 },
    workload: { enabled: true, rate_ops_per_s: 200, key_count: 10 },
  };
}

console.log("frame cost: advance(16 ms) + events() + view(), Wasm in Node");
console.log(
  '(trimmed: the page\'s per-frame calls, events({ text: "markers" }) and view({ log_tail: 40, kv: false, summaries: false }),\n with checkpoints deferred to idle time as the page does, their cost shown apart; full: events() and view(), checkpoints inline)',
);
console.log("  nodes  view     msgs in flight   p50 ms   p95 ms   checkpoints: n, p50 ms, p95 ms");
for (const [nodes, options] of [
  [5, { log_tail: 40, kv: false, summaries: false }],
  [9, { log_tail: 40, kv: false, summaries: false }],
  [9, undefined],
]) {
  const p = new Playground(busyConfig(nodes), 1);
  p.advance(3_000_000);
  p.events();
  if (options) p.defer_checkpoints(true);
  const times = [];
  const checkpoints = [];
  let msgs = 0;
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    p.advance(16_000);
    p.events(options ? { text: "markers" } : undefined);
    const v = p.view(options);
    times.push(performance.now() - t0);
    msgs += v.messages.length;
    if (p.checkpoint_due()) {
      const t1 = performance.now();
      p.checkpoint();
      checkpoints.push(performance.now() - t1);
    }
  }
  p.free();
  const cp = checkpoints.length
    ? `${String(checkpoints.length).padStart(5)}, ${pct(checkpoints, 0.5).toFixed(2)}, ${pct(checkpoints, 0.95).toFixed(2)}`
    : "    (inline)";
  console.log(
    `  ${String(nodes).padStart(5)}  ${(options ? "trimmed" : "full").padEnd(7)}  ${String(Math.round(msgs / 300)).padStart(14)}  ${pct(times, 0.5).toFixed(2).padStart(7)}  ${pct(times, 0.95).toFixed(2).padStart(7)}   ${cp}`,
  );
}

// Best of RUNS, alternating Wasm and native so that both see the same machine load; each
// run is a fresh process on both sides (a process's speed varies with its memory layout:
// the same module ran at ~0.67 s in some processes and ~0.95 s in others). The Wasm process
// times a first run (V8 compiling the hot code included) and a warm second run.
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
console.log(
  `\nsimulated queue events per second (same scenario; best of ${RUNS}, alternating, a fresh process per run)`,
);
const file = scenarioFile(benchScenario());
let wasmS = Infinity;
let wasmWarmS = Infinity;
let nativeS = Infinity;
let wasm;
let native;
for (let i = 0; i < RUNS; i++) {
  wasm = JSON.parse(
    execFileSync(process.execPath, [wasmRunScript, file, "2"], { encoding: "utf8" }),
  );
  wasmS = Math.min(wasmS, wasm.seconds[0]);
  wasmWarmS = Math.min(wasmWarmS, wasm.seconds[1]);
  const t0 = performance.now();
  native = JSON.parse(execFileSync(nativeCli, ["run", file, "--json"], { encoding: "utf8" }));
  nativeS = Math.min(nativeS, (performance.now() - t0) / 1000);
}
if (native.trace_hash !== wasm.trace_hash) throw new Error("native and Wasm traces differ");
const rate = (n, s) => `${(n / s / 1e6).toFixed(2)} M queue events/s`;
console.log(
  `  native: ${native.events} events in ${nativeS.toFixed(2)} s = ${rate(native.events, nativeS)} (process start included)`,
);
console.log(
  `  wasm, first run in a process: ${wasmS.toFixed(2)} s = ${rate(wasm.events, wasmS)} (V8 compiling the hot code included; Node start excluded)`,
);
console.log(
  `  wasm, second run (warm):      ${wasmWarmS.toFixed(2)} s = ${rate(wasm.events, wasmWarmS)}`,
);
console.log(
  `  wasm / native time: first run ${(wasmS / nativeS).toFixed(2)}x, warm ${(wasmWarmS / nativeS).toFixed(2)}x`,
);

console.log("\nsize");
for (const f of ["web/pkg/raftlab_wasm_bg.wasm", "web/pkg/raftlab_wasm.js"]) {
  const bytes = readFileSync(join(root, f));
  console.log(
    `  ${f}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`,
  );
}
