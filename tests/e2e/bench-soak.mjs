// Soak benchmark: the playground page left playing for an hour of virtual time at 10× with the
// client workload on, in headless Chromium against the REAL Wasm. Prints DOM nodes, event
// listeners, JS heap, Wasm memory and frame p95 at the start and at the end; not a test.
// Needs dist/ (scripts/build.sh).
//   node tests/e2e/bench-soak.mjs                  # 3,600 virtual s: 6 minutes of wall time
//   SOAK_VIRTUAL_S=300 node tests/e2e/bench-soak.mjs   # a short one
import { existsSync } from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
if (!existsSync(`${dist}web/pkg/raftlab_wasm.js`)) {
  console.error(`${dist}web/pkg is missing: build dist/ first (scripts/build.sh)`);
  process.exit(2);
}
/** Virtual seconds to play. */
const VIRTUAL_S = Number(process.env.SOAK_VIRTUAL_S ?? 3600);
const SPEED = 10;
/** Frames whose intervals make one frame-time sample (at the start and at the end). */
const SAMPLE_FRAMES = 180;

const server = await serve(dist, 0);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(`${server.url}index.html`);
  await page.waitForFunction(() =>
    document.querySelector("raft-playground")?.shadowRoot?.querySelector(".settings"),
  );
  // Every panel open, the workload on, 10×.
  await page.evaluate(async (speed) => {
    const el = /** @type {any} */ (document.querySelector("raft-playground"));
    for (const d of el.shadowRoot.querySelectorAll("details")) d.open = true;
    el.controller.apply({ type: "set_workload", enabled: true, rate_ops_per_s: 10, key_count: 3 });
    el.controller.setSpeed(speed);
    el.controller.play();
  }, SPEED);

  /** The figures now: DOM nodes, listeners, JS heap, Wasm memory, frame interval p95. */
  const sample = async () => {
    const frames = await page.evaluate(
      (n) =>
        new Promise((resolve) => {
          const xs = [];
          let last = performance.now();
          const tick = (t) => {
            xs.push(t - last);
            last = t;
            if (xs.length < n) requestAnimationFrame(tick);
            else resolve(xs);
          };
          requestAnimationFrame(tick);
        }),
      SAMPLE_FRAMES,
    );
    frames.sort((a, b) => a - b);
    // Live objects only: detached nodes and their listeners wait for a collection.
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const wasm = await page.evaluate(async () =>
      (await import("./web/src/index.js")).wasmMemoryBytes(),
    );
    const now = await page.evaluate(() =>
      /** @type {any} */ (document.querySelector("raft-playground")).handle.now_us(),
    );
    return {
      virtual_s: (now / 1e6).toFixed(0),
      dom_nodes: m.Nodes,
      listeners: m.JSEventListeners,
      js_heap_mb: (m.JSHeapUsedSize / 2 ** 20).toFixed(1),
      wasm_mb: (wasm / 2 ** 20).toFixed(1),
      frame_p95_ms: frames[Math.floor(frames.length * 0.95)].toFixed(1),
      frame_p50_ms: frames[Math.floor(frames.length * 0.5)].toFixed(1),
    };
  };
  const start = await sample();
  console.log("start", JSON.stringify(start));
  const t0 = Date.now();
  for (;;) {
    await page.waitForTimeout(5000);
    const now = await page.evaluate(() =>
      /** @type {any} */ (document.querySelector("raft-playground")).handle.now_us(),
    );
    if (now >= VIRTUAL_S * 1e6) break;
    if (Date.now() - t0 > (VIRTUAL_S / SPEED) * 3 * 1000 + 60_000) {
      console.log(
        `stopped: only ${(now / 1e6).toFixed(0)} virtual s after ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      break;
    }
  }
  const end = await sample();
  console.log("end  ", JSON.stringify(end));
  const slow = await page.evaluate(
    () =>
      /** @type {any} */ (document.querySelector("raft-playground")).shadowRoot.querySelector(
        ".slow",
      )?.textContent,
  );
  console.log(
    `wall ${((Date.now() - t0) / 1000).toFixed(0)} s; speed warning: ${slow || "(none)"}`,
  );
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
