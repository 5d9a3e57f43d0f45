// Runs a scenario file N times with the Wasm in this fresh process and prints one JSON line:
// the seconds of each run (the first includes V8 compiling the hot code, the later ones are
// warm), the events and the trace hash. The child of the Wasm-vs-native benches:
//   node tests/node/bench-wasm-run.mjs FILE N
import { readFileSync } from "node:fs";
import { Playground } from "./wasm.mjs";

const scenario = JSON.parse(readFileSync(process.argv[2], "utf8"));
const seconds = [];
let r;
for (let i = 0; i < Number(process.argv[3] ?? 1); i++) {
  const t0 = performance.now();
  r = Playground.run_scenario(scenario);
  seconds.push((performance.now() - t0) / 1000);
}
console.log(JSON.stringify({ seconds, events: r.events, trace_hash: r.trace_hash }));
