// The simulator's own sentences in Chinese, in headless Chromium against the real Wasm: with
// the page in Chinese from the start, the split-brain scenario's trace lines (the history
// chart's and the time bar's mark titles) and a log cell's "why?" are worded from their cases
// by the Chinese tables, not the simulator's English; a client put is an `action` mark on the
// time bar and no mark on the history chart; the checker's explanation of the stale-read
// scenario's violation is worded from its cases too. Screenshots: test-results/zh-text-*.png —
// look at them. REQUIRES dist/ (scripts/build.sh).
//   node --test tests/e2e/zh-text.test.mjs
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { playScenarioTo, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}index.html`) ? null : "dist/ is missing: run scripts/build.sh";
if (missing) console.log(`# SKIP zh text e2e: ${missing}`);

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;
const problems = [];

/** Text of every element matching `sel` in the playground's shadow root. */
const texts = (/** @type {any} */ page, /** @type {string} */ sel) =>
  page.evaluate(
    (s) =>
      [...document.querySelector("raft-playground").shadowRoot.querySelectorAll(s)].map(
        (e) => e.textContent ?? "",
      ),
    sel,
  );

describe("the simulator's sentences in Chinese (Chromium, real Wasm)", {
  skip: missing ?? false,
}, () => {
  site = sharedBrowser({ dist, out, problems });

  test("split brain: trace lines and a log cell's why, worded in Chinese", async () => {
    // Past the partition, the new leader and the writes (the page's own seek, in steps).
    const page = await playScenarioTo(site.browser, site.url, {
      label: "zh-text",
      problems,
      lang: "zh",
      file: "split_brain.json",
      until_us: 2_000_000,
    });
    // A leader change on the history chart, in the article's words (候选人 -> 领袖, 任期).
    await page.waitForFunction(
      () =>
        [
          ...document.querySelector("raft-playground").shadowRoot.querySelectorAll(".hmark title"),
        ].some((t) => t.textContent?.includes("领袖（任期")),
      null,
      { timeout: 15_000 },
    );
    const hist = await texts(page, ".hmark title");
    const election = hist.find((t) => t.includes("领袖变更"));
    assert.match(election ?? "", /n\d 候选人 -> 领袖（任期 t\d+）/, JSON.stringify(hist));
    assert.ok(!hist.some((t) => / candidate -> leader in /.test(t)), "no English role line");
    const tl = await texts(page, ".tmarks title");
    assert.ok(
      tl.some((t) => /候选人 -> 领袖（任期/.test(t)),
      `time bar titles: ${JSON.stringify(tl.slice(0, 5))}`,
    );
    await page.locator("raft-playground .hchart").screenshot({ path: `${out}zh-text-history.png` });

    // A log cell's "why?": click an entry, read the sentence under the grid.
    const cell = page.locator("raft-playground .cell[data-index]").first();
    await cell.click();
    const why = page.locator("raft-playground .why-entry");
    await why.waitFor({ state: "visible" });
    const sentence = (await why.textContent()) ?? "";
    console.log(`# history mark: ${election}\n# why: ${sentence}`);
    assert.match(sentence, /个节点中有 \d+ 个持有/, sentence);
    assert.doesNotMatch(sentence, /committed|nodes|needs/, sentence);
    await page.locator("raft-playground .logs").screenshot({ path: `${out}zh-text-logs.png` });
    await page.screenshot({ path: `${out}zh-text-page.png`, fullPage: true });

    // A client put is an `action` mark on the time bar, and no mark on the history chart.
    await page.evaluate(() =>
      document
        .querySelector("raft-playground")
        .controller.apply({ type: "put", client: 1, key: "zh", value: "1" }),
    );
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    await page.waitForFunction(
      () =>
        document.querySelector("raft-playground").shadowRoot.querySelector(".tm-action") !== null,
      null,
      { timeout: 10_000 },
    );
    const put = await texts(page, ".tm-action title");
    assert.ok(
      put.some((t) => t.includes("操作 c1 put")),
      JSON.stringify(put),
    );
    console.log(`# time bar: ${put.find((t) => t.includes("put"))}`);
    const histAfter = await texts(page, ".hmark title");
    assert.ok(!histAfter.some((t) => t.includes("put")), "no history mark for a put");
    await page.close();
  });

  test("stale reads: the checker's explanation, worded in Chinese", async () => {
    const page = await playScenarioTo(site.browser, site.url, {
      label: "zh-plain",
      problems,
      lang: "zh",
      file: "toggle_stale_reads.json",
      until_us: 1_000_000,
    });
    const why = page.locator("raft-playground .why-text");
    await page.waitForFunction(
      () =>
        (document.querySelector("raft-playground").shadowRoot.querySelector(".why-text")
          ?.textContent ?? "") !== "",
      null,
      { timeout: 15_000 },
    );
    const text = (await why.textContent()) ?? "";
    console.log(`# why: ${text}`);
    assert.match(text, /\[键 \w+\] c\d+ 的 get\(\w*\) #\d+ 在 [\d.]+ ms /, text);
    assert.doesNotMatch(text, /returned|completed|nothing|operation/, text);
    await page.locator("raft-playground .history").screenshot({ path: `${out}zh-text-why.png` });
    await page.close();
  });
});
