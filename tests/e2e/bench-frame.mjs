// Frame-time benchmark of the playground page against the REAL Wasm, in headless Chromium.
// Prints figures; not a test. Needs the built site in dist/ (scripts/build.sh).
//   node tests/e2e/bench-frame.mjs
//
// Measures:
//  - time to first cluster frame (navigation start → the animation frame in which the first
//    .node exists, noted inside the page), median of 7 fresh page loads;
//  - forced redraws: frame time p50/p95 of the page's own frame (advance + events + view + draw
//    of every open panel, no throttles: the worst case) with 9 nodes and ~200 messages in flight (slow links and a client workload), at
//    1× and 10× speed (16.7 ms and 167 ms of virtual time per frame), all panels open;
//  - the same split into the Wasm calls alone (advance + events + view, no drawing);
//  - the live loop: the page playing by itself at 1× and 10× (its throttles and idle-time work
//    apply): the JS time of each frame, the interval between frames, the speed achieved.
import { existsSync } from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { busyWorld } from "../node/busy-world.mjs";
import { firstClusterFrameMs, launchChromium, probeFirstClusterFrame } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
if (!existsSync(`${dist}web/pkg/raftlab_wasm.js`)) {
  console.error(`${dist}web/pkg is missing: build dist/ first (scripts/build.sh)`);
  process.exit(2);
}
const FRAMES = 240;

const server = await serve(dist, 0);
const browser = await launchChromium();
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
try {
  // Time to first cluster frame, read inside the page (see probeFirstClusterFrame).
  const firsts = [];
  const idles = [];
  for (let i = 0; i < 7; i++) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await probeFirstClusterFrame(page);
    await page.goto(`${server.url}index.html`);
    firsts.push(await firstClusterFrameMs(page));
    // When every panel is built too (the page builds them after the first frame).
    await page.waitForFunction(() =>
      document.querySelector("raft-playground")?.shadowRoot?.querySelector(".settings"),
    );
    idles.push(
      await page.evaluate(
        () =>
          performance.getEntriesByName("raftlab:panels")[0]?.startTime ??
          /** @type {any} */ (globalThis).__firstFrame,
      ),
    );
    await page.close();
  }
  firsts.sort((a, b) => a - b);
  idles.sort((a, b) => a - b);
  console.log(
    `first cluster frame: median ${pct(firsts, 50).toFixed(0)} ms after navigation start (runs: ${firsts.map((x) => x.toFixed(0)).join(", ")}); every panel built: median ${pct(idles, 50).toFixed(0)} ms`,
  );

  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  await page.goto(`${server.url}index.html`);
  await page.waitForFunction(() => document.querySelector("raft-playground")?.controller);
  await page.evaluate(async (config) => {
    const el = document.querySelector("raft-playground");
    const c = el.controller;
    c.pause();
    await c.newWorld(config, 9);
    for (const d of el.shadowRoot.querySelectorAll("details")) d.open = true;
    el.handle.advance(4_000_000);
    c.redraw();
  }, busyWorld(9));
  await page.waitForTimeout(300);
  for (const speed of [1, 10]) {
    const r = await page.evaluate(
      ([speed, frames]) => {
        const el = document.querySelector("raft-playground");
        const c = el.controller;
        const h = el.handle;
        const step = Math.round((1_000_000 / 60) * speed);
        const full = [];
        const wasm = [];
        let msgs = 0;
        for (let i = 0; i < frames; i++) {
          // The page's own frame: advance + events + view + draw.
          let t0 = performance.now();
          h.advance(step);
          c.redraw();
          full.push(performance.now() - t0);
          msgs += c.view().messages.length;
          // The Wasm calls alone, for the split.
          t0 = performance.now();
          h.advance(step);
          // What the page asks for per frame: marker text only, the log tails its grid shows,
          // no state machines, no message summaries.
          h.events({ text: "markers" });
          h.view({ log_tail: 48, kv: false, summaries: false });
          wasm.push(performance.now() - t0);
        }
        c.redraw();
        full.sort((a, b) => a - b);
        wasm.sort((a, b) => a - b);
        const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
        return {
          msgs: msgs / frames,
          p50: q(full, 50),
          p95: q(full, 95),
          w50: q(wasm, 50),
          w95: q(wasm, 95),
        };
      },
      [speed, FRAMES],
    );
    console.log(
      `9 nodes, ${r.msgs.toFixed(0)} messages in flight (mean), ${speed}x, forced redraws: frame p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms; of which Wasm advance+events+view p50 ${r.w50.toFixed(1)} ms, p95 ${r.w95.toFixed(1)} ms`,
    );
  }
  // The live loop: the page playing by itself at the speed (its own throttles, idle-time
  // history refreshes and advance budget apply). An animation-frame callback registered ahead
  // of the page's marks each frame's start; the page's "frame" event its end.
  for (const speed of [1, 10]) {
    const r = await page.evaluate(
      ([speed, frames]) =>
        new Promise((resolve) => {
          const el = document.querySelector("raft-playground");
          const c = el.controller;
          const h = el.handle;
          const js = [];
          const gaps = [];
          let t0 = 0;
          let last = 0;
          let v0 = 0;
          let r0 = 0;
          const offFrame = c.on("frame", () => {
            if (t0) js.push(performance.now() - t0);
            t0 = 0;
          });
          const mark = (/** @type {number} */ ts) => {
            if (last) gaps.push(ts - last);
            last = ts;
            if (js.length >= frames) {
              offFrame();
              c.pause();
              const achieved = (h.now_us() - v0) / 1000 / (performance.now() - r0);
              js.sort((a, b) => a - b);
              gaps.sort((a, b) => a - b);
              const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
              const med = q(gaps, 50);
              resolve({
                p50: q(js, 50),
                p95: q(js, 95),
                g50: med,
                g95: q(gaps, 95),
                late: gaps.filter((g) => g > med * 1.5).length / gaps.length,
                achieved,
              });
              return;
            }
            t0 = performance.now();
            requestAnimationFrame(mark);
          };
          const offOnce = c.on("frame", () => {
            offOnce();
            v0 = h.now_us();
            r0 = performance.now();
            requestAnimationFrame(mark);
          });
          c.setSpeed(speed);
          c.play();
        }),
      [speed, FRAMES],
    );
    console.log(
      `9 nodes, ${speed}x, live loop: frame p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms; frame interval p50 ${r.g50.toFixed(1)} ms, p95 ${r.g95.toFixed(1)} ms (${(r.late * 100).toFixed(0)}% late); achieved ${r.achieved.toFixed(2)}x`,
    );
  }
  await page.screenshot({ path: `${root}test-results/bench-9-nodes.png`, fullPage: true });
  if (problems.length) console.log(`console problems: ${problems.join(" | ")}`);
} finally {
  await browser.close();
  await server.close();
}
