// Faults and leader changes on the client history's time axis, in headless Chromium against
// the real Wasm: the split-brain scenario (a partition, then the majority elects a new leader)
// drawn to its end shows a fault mark and leader-change marks among the operations, each with
// the trace line as its tooltip, and the legend; in Chinese too. Screenshot:
// test-results/history-marks.png — look at it. REQUIRES dist/ (scripts/build.sh).
//   node --test tests/e2e/history-marks.test.mjs
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { STRINGS } from "../../web/src/i18n.js";
import { playScenarioTo, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}index.html`) ? null : "dist/ is missing: run scripts/build.sh";
if (missing) console.log(`# SKIP history marks e2e: ${missing}`);

const problems = [];

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("faults on the history chart (Chromium, real Wasm)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out, problems });

  test("split brain: the partition and the new leader on the operations' time axis", async () => {
    // Past the partition, the new leader and the writes (the page's own seek, in steps).
    const page = await playScenarioTo(site.browser, site.url, {
      label: "history-marks",
      problems,
      lang: "en",
      file: "split_brain.json",
      until_us: 2_000_000,
    });
    const marks = async () =>
      page.evaluate(() =>
        [...document.querySelector("raft-playground").shadowRoot.querySelectorAll(".hmark")].map(
          (g) => ({ kind: g.getAttribute("class"), title: g.querySelector("title")?.textContent }),
        ),
      );
    // The marks come with the trace lines the page drains after the seek.
    await page.waitForFunction(
      () =>
        [
          ...document.querySelector("raft-playground").shadowRoot.querySelectorAll(".hmark title"),
        ].some((t) => t.textContent?.includes("partition")),
      null,
      { timeout: 15_000 },
    );
    // The operations too (the history is fetched in idle time), and the chart spans them.
    await page.waitForFunction(
      () =>
        document.querySelector("raft-playground").shadowRoot.querySelectorAll(".hchart .op")
          .length >= 2,
      null,
      { timeout: 15_000 },
    );
    const en = await marks();
    assert.ok(
      en.some((m) => m.kind?.includes("hm-fault") && /partition/.test(m.title ?? "")),
      `a fault mark for the partition: ${JSON.stringify(en)}`,
    );
    assert.ok(
      en.some((m) => m.kind?.includes("hm-election") && m.title?.includes("leader change")),
      "a leader-change mark",
    );
    const legend = await page.evaluate(() =>
      [...document.querySelector("raft-playground").shadowRoot.querySelectorAll(".hl-text")].map(
        (t) => t.textContent,
      ),
    );
    assert.deepEqual(legend, [STRINGS.en.hist_legend_fault, STRINGS.en.hist_legend_election]);
    await page.locator("raft-playground .hchart").screenshot({ path: `${out}history-marks.png` });
    // In Chinese: the legend and the tooltips' words (the trace line itself is the simulator's).
    await page.locator("raft-playground .lesson select").nth(1).selectOption("zh");
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    await page.waitForFunction(
      (w) =>
        document.querySelector("raft-playground").shadowRoot.querySelector(".hl-text")
          ?.textContent === w,
      STRINGS.zh.hist_legend_fault,
    );
    const zh = await marks();
    assert.ok(
      zh.some((m) => m.title?.includes("故障：")),
      "Chinese tooltips",
    );
    await page.close();
  });
});
