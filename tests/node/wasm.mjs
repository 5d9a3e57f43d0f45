// Loads the built Wasm once, synchronously, for the Node suites (the browser uses
// web/src/loader.js instead).
import { readFileSync } from "node:fs";
import { initSync, Playground } from "../../web/pkg/raftlab_wasm.js";

initSync({ module: readFileSync(new URL("../../web/pkg/raftlab_wasm_bg.wasm", import.meta.url)) });

export { Playground };

/** A small deterministic PRNG for the randomized tests (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything observable about a world, to assert that a failed call changed nothing. */
export function snapshot(p) {
  return JSON.stringify({ now: p.now_us(), hash: p.trace_hash(), view: p.view() });
}
