// Wall time of the full Figure 16 experiment (experiments/figure16.json, 10,100 trials):
// natively with the CLI on every core, and in headless Chromium on the experiments page with
// one Web Worker per core (navigator.hardwareConcurrency). Prints figures; not a test.
// Needs the built site in dist/ (scripts/build.sh) and a release CLI
// (cargo build --release -p raftlab-cli).
//   node tests/e2e/bench-experiments.mjs [runs]
//
// Browser time: from the Run click to the last record, as the page reports it (parsing the
// spec, starting the workers and instantiating the module in each included; the module is
// compiled once when the page loads). Native time: the CLI's own report (trials only).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { collectProblems, launchChromium, openExperimentSpec } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const cli = join(root, "target/release/raftlab");
for (const need of [`${dist}web/pkg-lab/raftlab_wasm_lab.js`, cli]) {
  if (!existsSync(need)) {
    console.error(
      `${need} is missing: build it first (scripts/build.sh; cargo build --release -p raftlab-cli)`,
    );
    process.exit(2);
  }
}
const RUNS = Number(process.argv[2] ?? 3);
const spec = join(root, "experiments/figure16.json");

console.log(
  `Figure 16, ${RUNS} runs each (machine: ${(await import("node:os")).cpus().length} cores)`,
);
const native = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(cli, ["experiment", spec], { encoding: "utf8" });
  if (i === 0) console.log(r.stdout.replace(/^/gm, "    "));
  const m = /(\d+) trials, (\d+) events, (\d+) ms wall time on (\d+) threads/.exec(r.stderr);
  if (!m) throw new Error(`unexpected CLI report: ${r.stderr}`);
  native.push(Number(m[3]));
  if (i === 0) console.log(`  native: ${m[1]} trials, ${m[2]} events, ${m[4]} threads`);
}
console.log(`  native wall time: ${native.map((t) => `${t} ms`).join(", ")}`);

const server = await serve(dist);
const browser = await launchChromium();
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  collectProblems(page, "experiments", problems);
  await openExperimentSpec(page, server.url);
  const browserMs = [];
  const busyMs = [];
  let status = "";
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => delete document.body.dataset.run);
    await page.click("#run");
    await page.waitForSelector("body[data-run=done]", { timeout: 120_000 });
    status = (await page.textContent("#status")) ?? "";
    const m = /^(\d+) trials in ([\d.]+) s on (\d+) workers \(([\d.]+) s/.exec(status);
    if (!m) throw new Error(`unexpected status: ${status}`);
    browserMs.push(Math.round(Number(m[2]) * 1000));
    busyMs.push(Math.round(Number(m[4]) * 1000));
  }
  console.log(`  Chromium: ${status}`);
  // The first run in a fresh browser also pays for V8 optimizing the hot code while the
  // workers run (its compile jobs compete with them for the cores); later runs reuse it.
  console.log(
    `  Chromium wall time (workers), first run then later runs: ${browserMs.map((t) => `${t} ms`).join(", ")}`,
  );
  console.log(
    `  time in the workers' run calls, summed: ${busyMs.map((t) => `${t} ms`).join(", ")}`,
  );
  // One redraw of every chart and the table from all 10,100 records (what the page repeats
  // while records arrive).
  const redrawMs = await page.evaluate(() => {
    const t = performance.now();
    dispatchEvent(new Event("resize"));
    return performance.now() - t;
  });
  console.log(`  one full redraw (charts and table, 10,100 records): ${redrawMs.toFixed(1)} ms`);
  // The per-range figures the page shows, for the README.
  const rows = await page.$$eval("#summary tr", (trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent).join(" | ")),
  );
  console.log("  per range (ms):");
  for (const r of rows) console.log(`    ${r}`);
  if (problems.length) console.log(`  console problems: ${problems.join("; ")}`);
} finally {
  await browser.close();
  await server.close();
}
