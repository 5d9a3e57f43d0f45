// The cost of draining trace lines at 10x speed (167 ms of virtual time per frame) on the
// frame benchmarks' busy world (busy-world.mjs), in Node: `events()` per frame with marker
// text only (the page's call) or with every line's text, case and params. Figures, not a test.
//   node tests/node/bench-events-text.mjs [PKG_DIR] [markers|all]
// PKG_DIR (default web/pkg) lets two builds be compared on one machine, alternating runs.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { busyWorld } from "./busy-world.mjs";

const dir = resolve(process.argv[2] ?? new URL("../../web/pkg", import.meta.url).pathname);
const text = process.argv[3] ?? "markers";
const { initSync, Playground } = await import(pathToFileURL(`${dir}/raftlab_wasm.js`).href);
initSync({ module: readFileSync(`${dir}/raftlab_wasm_bg.wasm`) });

const FRAMES = 1200;
const p = new Playground(busyWorld(9), 9);
p.advance(4_000_000);
p.events({ text });
const step = Math.round((1_000_000 / 60) * 10);
let events_ms = 0;
let lines = 0;
for (let i = 0; i < FRAMES; i++) {
  p.advance(step);
  const t0 = performance.now();
  lines += p.events({ text }).lines.length;
  events_ms += performance.now() - t0;
}
console.log(
  `${dir}: events({ text: "${text}" }) ${(events_ms / FRAMES).toFixed(3)} ms per frame, ${(lines / FRAMES).toFixed(0)} lines per frame`,
);
