// Wasm memory over virtual time with the page's checkpoint policy: checkpoints deferred, the
// due one taken between frames (web/src/app/playground.js `scheduleCheckpoint`). A 5-node
// world, 10 clients, the workload at 5 ops/s each, played in 16 ms frames at 10x (160 ms of
// virtual time per frame). Prints, at each mark, Wasm memory and the cost of one checkpoint
// (its wall time, and the Wasm memory it grew: 0 when it fit in memory already reserved).
//   node tests/node/bench-memory.mjs              marks at 5, 15, 30, 60 virtual minutes
//   RAFTLAB_BENCH_MINUTES=5 node tests/node/bench-memory.mjs   a shorter run (marks <= 5)
// Printed, never asserted. Run after `bash scripts/build.sh`.
import { readFileSync } from "node:fs";
import { initSync, Playground } from "../../web/pkg/raftlab_wasm.js";

const wasm = initSync({
  module: readFileSync(new URL("../../web/pkg/raftlab_wasm_bg.wasm", import.meta.url)),
});
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const memory = () => wasm.memory.buffer.byteLength;

const minutesMax = Number(process.env.RAFTLAB_BENCH_MINUTES ?? 60);
const marks = [5, 15, 30, 60].filter((m) => m <= minutesMax);
if (!marks.includes(minutesMax)) marks.push(minutesMax);
const FRAME_US = 160_000;
const MINUTE_US = 60_000_000;

const p = new Playground(
  { node_count: 5, clients: { count: 10 }, workload: { enabled: true, rate_ops_per_s: 5 } },
  1,
);
p.defer_checkpoints(true);
console.log(`5 nodes, 10 clients x 5 ops/s, deferred checkpoints taken when due`);
console.log(`start: Wasm memory ${mb(memory())} MB`);
console.log(
  "virtual min | Wasm MB | MB/virtual min | checkpoints taken | one checkpoint: ms, MB grown | wall s",
);
const t0 = performance.now();
let taken = 0;
let lastMb = memory();
let lastMin = 0;
for (const mark of marks) {
  while (p.now_us() < mark * MINUTE_US) {
    p.advance(Math.min(FRAME_US, mark * MINUTE_US - p.now_us()));
    p.events({ text: "markers" });
    if (p.checkpoint_due()) {
      p.checkpoint();
      taken++;
    }
  }
  // One more checkpoint, measured: run to the next due one, then take it.
  while (!p.checkpoint_due()) p.advance(FRAME_US);
  const before = memory();
  const c0 = performance.now();
  p.checkpoint();
  const cms = performance.now() - c0;
  taken++;
  const grown = memory() - before;
  const rate = (memory() - lastMb) / 2 ** 20 / (mark - lastMin);
  console.log(
    `${mark} | ${mb(memory())} | ${rate.toFixed(2)} | ${taken} | ${cms.toFixed(2)} ms, ${mb(grown)} MB | ${((performance.now() - t0) / 1000).toFixed(1)}`,
  );
  lastMb = memory();
  lastMin = mark;
}
const h = p.history().operations.length;
console.log(`operations recorded: ${h}; trace hash ${p.trace_hash()}`);
