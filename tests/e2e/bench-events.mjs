// Simulated queue events (deliveries and timer firings) per second: the Wasm in headless Chromium against native `raftlab run`,
// the same scenario as `node tests/node/bench.mjs` (figures, not assertions).
//   node tests/e2e/bench-events.mjs          (needs dist/ from scripts/build.sh and
//                                             target/release/raftlab)
// Each Wasm run is a fresh browser context (so a fresh compile of the module, as a first
// visit gets); it times the first run, V8 compiling the hot code included, and a warm
// second run. Best of BENCH_RUNS (default 5), alternating with native runs so that both see
// the same machine load; BENCH_SECONDS (default 60) sets the scenario's virtual length.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { benchScenario, nativeCli, scenarioFile } from "../node/bench-scenario.mjs";
import { launchChromium } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
for (const need of [`${dist}web/pkg/raftlab_wasm.js`, nativeCli]) {
  if (!existsSync(need)) {
    console.error(
      `${need} is missing: run scripts/build.sh and cargo build --release -p raftlab-cli`,
    );
    process.exit(2);
  }
}
const scenario = benchScenario(Number(process.env.BENCH_SECONDS ?? 60) * 1_000_000);
const file = scenarioFile(scenario);

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const server = await serve(dist, 0);
const browser = await launchChromium();
let best = { native: Infinity, first: Infinity, warm: Infinity };
let events = 0;
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}web/pkg/raftlab_wasm.js`);
    const wasm = await page.evaluate(async (s) => {
      const m = await import("/web/pkg/raftlab_wasm.js");
      await m.default({ module_or_path: "/web/pkg/raftlab_wasm_bg.wasm" });
      const seconds = [];
      let r;
      for (let k = 0; k < 2; k++) {
        const t0 = performance.now();
        r = m.Playground.run_scenario(s);
        seconds.push((performance.now() - t0) / 1000);
      }
      return { seconds, events: r.events, trace_hash: r.trace_hash };
    }, scenario);
    await context.close();
    const t0 = performance.now();
    const native = JSON.parse(
      execFileSync(nativeCli, ["run", file, "--json"], { encoding: "utf8" }),
    );
    const nativeS = (performance.now() - t0) / 1000;
    if (native.trace_hash !== wasm.trace_hash) throw new Error("native and Wasm traces differ");
    events = native.events;
    best = {
      native: Math.min(best.native, nativeS),
      first: Math.min(best.first, wasm.seconds[0]),
      warm: Math.min(best.warm, wasm.seconds[1]),
    };
  }
} finally {
  await browser.close();
  server.close();
}
const version = execFileSync("/usr/bin/chromium", ["--version"], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "ignore"],
}).trim();
const rate = (s) => `${(events / s / 1e6).toFixed(2)} M queue events/s`;
console.log(`simulated queue events per second, ${events} events, best of ${RUNS} (${version})`);
console.log(`  native:                       ${best.native.toFixed(2)} s = ${rate(best.native)}`);
console.log(`  wasm in Chromium, first run:  ${best.first.toFixed(2)} s = ${rate(best.first)}`);
console.log(`  wasm in Chromium, warm:       ${best.warm.toFixed(2)} s = ${rate(best.warm)}`);
console.log(
  `  wasm / native time: first run ${(best.first / best.native).toFixed(2)}x, warm ${(best.warm / best.native).toFixed(2)}x`,
);
