// The history playground (www/history.html) in headless Chromium with the REAL lab module:
// a ready figure shows its ladder, an operation moved with the keyboard and one dragged with
// the mouse change the verdicts (the check runs in Rust), a bad edit shows the checker's
// error naming the field, and the console stays clean. REQUIRES the built site in dist/
// (scripts/build.sh); skips, saying why, when it is missing. Screenshots:
// test-results/e2e-history-*.png — look at them.
//   node --test tests/e2e/history-page.test.mjs
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { STRINGS as SHARED } from "../../web/src/i18n.js";
import { HISTORY_TEXT } from "../../www/history/text.js";

/** The shared words and the page's own, by language. */
const STRINGS = {
  en: { ...SHARED.en, ...HISTORY_TEXT.en },
  zh: { ...SHARED.zh, ...HISTORY_TEXT.zh },
};

import { collectProblems, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}history/figures/index.json`)
  ? null
  : `${dist}history/figures/index.json is missing: build dist/ (scripts/build.sh) first`;
if (missing) console.log(`# SKIP history page e2e: ${missing}`);

/** Console errors/warnings (and uncaught errors). */
const problems = [];

/** The rungs' verdicts and the strongest one, as the page shows them. */
function ladder(/** @type {import("playwright-core").Page} */ page) {
  return page.evaluate(() => {
    const rungs = [...document.querySelectorAll("#ladder li")].map((li) => [
      /** @type {HTMLElement} */ (li).dataset.rung,
      /** @type {HTMLElement} */ (li).dataset.verdict,
    ]);
    const strongest = /** @type {HTMLElement | null} */ (
      document.querySelector("#ladder li.strongest")
    )?.dataset.rung;
    return { rungs: Object.fromEntries(rungs), strongest: strongest ?? null };
  });
}

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("history playground (needs dist/)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out });

  test("a figure's ladder, changed by the keyboard and by a drag", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1100, height: 1100 } });
    collectProblems(page, "history", problems);
    await page.goto(`${site.url}history.html`);
    await page.waitForSelector("body[data-ready=true]");

    // Figure b of the article: linearizable, so every rung holds.
    await page.selectOption("#figure-pick", "ladder-figure-b-strict.json");
    await page.waitForFunction(() =>
      document.getElementById("figure-about")?.textContent?.includes("figure b"),
    );
    let l = await ladder(page);
    assert.equal(l.strongest, "linearizable");
    assert.deepEqual(l.rungs, {
      linearizable: "ok",
      sequential: "ok",
      causal: "ok",
      sessions: "ok",
      eventual: "ok",
    });
    await page.screenshot({ path: `${out}e2e-history-figure-b.png`, fullPage: true });

    // Keyboard: client 2's get x -> 4 (#3, at 9 ms) moved 8 ms earlier, before client 1's
    // put x=4 (3-4 ms) is even sent: it reads from the future. Not linearizable any more;
    // still sequential (the put can come first when real time is ignored).
    await page.focus('#timeline [data-id="3"]');
    for (let i = 0; i < 8; i++) await page.keyboard.press("Shift+ArrowLeft");
    l = await ladder(page);
    assert.equal(l.rungs.linearizable, "violated");
    assert.equal(l.strongest, "sequential");
    const why = await page.textContent('#ladder li[data-rung="linearizable"] .why');
    assert.match(why ?? "", /c2.s get\(x\) #3 completed at 2\.0 ms.*returned 4/);
    await page.screenshot({ path: `${out}e2e-history-moved.png`, fullPage: true });

    // Mouse: figure c (not sequential, causal). Drag client 2's put y=2 (#1, 0-1 ms) to
    // 3.5-4.5 ms, after its own get x -> nil: then the order get x -> nil, put x=4,
    // get y -> nil, put y=2 keeps both clients' orders: sequential.
    await page.selectOption("#figure-pick", "ladder-figure-c-not-sequential.json");
    await page.waitForFunction(() =>
      document.getElementById("figure-about")?.textContent?.includes("figure c"),
    );
    l = await ladder(page);
    assert.equal(l.strongest, "causal");
    assert.equal(l.rungs.sequential, "violated");
    const put = await page.locator('#timeline [data-id="1"] rect').boundingBox();
    assert.ok(put);
    const pxPerMs = put.width; // the box spans 1 ms
    const y = put.y + put.height / 2;
    await page.mouse.move(put.x + 4, y);
    await page.mouse.down();
    // Half way (1.5 ms later) it overlaps client 2's get x (2-3 ms): the checker's error,
    // naming the field, is shown while dragging.
    await page.mouse.move(put.x + 4 + 1.5 * pxPerMs, y, { steps: 4 });
    await page.waitForFunction(() =>
      document.getElementById("status")?.classList.contains("error"),
    );
    assert.match(
      (await page.textContent("#status")) ?? "",
      /^history: operations\[\d\]\.invoke_us: client 2 already has operation \d outstanding/,
    );
    await page.mouse.move(put.x + 4 + 3.5 * pxPerMs, y, { steps: 6 });
    await page.mouse.up();
    l = await ladder(page);
    assert.equal(l.strongest, "sequential");
    assert.equal(l.rungs.linearizable, "violated");
    assert.doesNotMatch((await page.textContent("#status")) ?? "", /history:/);
    await page.screenshot({ path: `${out}e2e-history-dragged.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });

  test("in Chinese: the page's words, the ladder and the figures; back to English in place", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1100, height: 1100 } });
    collectProblems(page, "history-zh", problems);
    await page.addInitScript(() => localStorage.setItem("raftlab:lang", "en"));
    await page.goto(`${site.url}history.html`);
    await page.waitForSelector("body[data-ready=true]");
    await page.selectOption("#figure-pick", "ladder-figure-a-sequential.json");
    await page.waitForFunction(() =>
      document.getElementById("figure-about")?.textContent?.includes("figure a"),
    );
    await page.selectOption("#lang", "zh");
    const figures = JSON.parse(readFileSync(`${dist}history/figures/index.json`, "utf8"));
    const a = figures.find((/** @type {any} */ f) => f.file === "ladder-figure-a-sequential.json");
    const shown = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.title,
      heading: document.querySelector("h1")?.textContent,
      about: document.getElementById("figure-about")?.textContent,
      picked: /** @type {HTMLSelectElement} */ (document.getElementById("figure-pick"))
        .selectedOptions[0]?.textContent,
      strongest: document.querySelector("#ladder li.strongest .verdict")?.textContent,
      rung: document.querySelector('#ladder li[data-rung="sequential"] .name')?.textContent?.trim(),
      guarantee: document.querySelector("#sessions li")?.textContent,
      lane: document.querySelector("#timeline .lane-label")?.textContent,
      status: document.getElementById("status")?.textContent,
    }));
    assert.deepEqual(shown, {
      lang: "zh",
      title: STRINGS.zh.hp_page_title,
      heading: STRINGS.zh.hp_heading,
      about: a.text.zh.description,
      picked: a.text.zh.title,
      strongest: STRINGS.zh.hp_strongest,
      rung: STRINGS.zh.hp_rung_sequential,
      guarantee: `${STRINGS.zh.hist_verdict_ok} ${STRINGS.zh.hp_guarantee_read_your_writes}`,
      lane: "客户端 1",
      status: shown.status,
    });
    assert.match(shown.status ?? "", /最强模型：顺序一致$/);
    // No English word of the page's own is left (the checker's sentences are English, marked
    // lang="en"; operation labels are names).
    const left = await page.evaluate(() => {
      const found = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const s = (n.textContent ?? "").trim();
        const el = /** @type {Element} */ (n.parentElement);
        if (!s || el.closest("[lang=en], option, #timeline text, #timeline title")) continue;
        if (/[A-Za-z]{3}/.test(s.replace(/Raftlab|CAP|Delete|nil|put|get|cas|ms|µs|English/g, "")))
          found.push(s);
      }
      return found;
    });
    assert.deepEqual(left, []);
    await page.screenshot({ path: `${out}e2e-history-zh.png`, fullPage: true });
    await page.selectOption("#lang", "en");
    assert.equal(await page.textContent("h1"), STRINGS.en.hp_heading);
    assert.equal(await page.textContent("#figure-about"), a.description);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
