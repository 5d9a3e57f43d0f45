// The CAP page (www/cap.html) in headless Chromium with the REAL side-by-side module
// (crates/wasm-cap): the script's partition plays on both sides, the table shows Raft
// linearizable with the minority's clients waiting and the AP store answering everyone and
// not linearizable; after the heal both converge; a refused action shows its field; the
// page reads in Chinese; the console stays clean. REQUIRES the built site in dist/
// (scripts/build.sh); skips, saying why, when it is missing. Screenshots:
// test-results/e2e-cap-*.png — look at them.
//   node --test tests/e2e/cap-page.test.mjs
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { STRINGS } from "../../web/src/i18n.js";
import { CAP_TEXT } from "../../www/cap/text.js";
import { collectProblems, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}web/pkg-cap/raftlab_wasm_cap_bg.wasm`)
  ? null
  : `${dist}web/pkg-cap is missing: build dist/ (scripts/build.sh) first`;
if (missing) console.log(`# SKIP CAP page e2e: ${missing}`);

/** Console errors/warnings (and uncaught errors). */
const problems = [];

/** The report table as { row label: [raft, ap] }. */
function table(/** @type {import("playwright-core").Page} */ page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("#report tr")].slice(1).map((tr) => {
        const cells = [...tr.children].map((c) => c.textContent ?? "");
        return [cells[0], cells.slice(1)];
      }),
    ),
  );
}

/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("CAP page (needs dist/)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out });

  test("the script's partition: Raft consistent, the AP store available, both converged", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1200, height: 1300 } });
    collectProblems(page, "cap", problems);
    await page.addInitScript(() => localStorage.setItem("raftlab:lang", "en"));
    await page.goto(`${site.url}cap.html`);
    await page.waitForSelector("body[data-ready=true]");
    const en = { ...STRINGS.en, ...CAP_TEXT.en };
    await page.click("#play");
    // The script pauses itself at its end (5 s of virtual time).
    await page.waitForFunction(
      (ended) => document.getElementById("status")?.textContent === ended,
      en.cap_ended,
      { timeout: 30_000 },
    );
    const t = await table(page);
    assert.deepEqual(t[en.cap_row_lin], [en.hist_verdict_ok, en.hist_verdict_violated]);
    assert.equal(t[en.cap_row_unanswered][0], "2", "c1 and c2 waited on the Raft side");
    assert.equal(t[en.cap_row_unanswered][1], "0", "nobody waited on the AP side");
    assert.match(t[en.cap_row_answered][1], /\(100%\)$/);
    assert.deepEqual(t[en.cap_row_converged], [en.cap_yes, en.cap_yes]);
    // Five nodes drawn on each side; the lag chart has both lines.
    assert.equal(await page.locator("#raft-svg .node").count(), 5);
    assert.equal(await page.locator("#ap-svg .node").count(), 5);
    assert.equal(await page.locator("#ap-svg .node.replica").count(), 5);
    assert.equal(await page.locator("#lag polyline").count(), 2);
    await page.screenshot({ path: `${out}e2e-cap-end.png`, fullPage: true });

    // Partition again by hand: both sides cut; the links drawn dashed.
    await page.click("#partition");
    assert.equal(await page.textContent("#status"), en.cap_partitioned);
    assert.equal(await page.locator("#ap-svg .link.down").count(), 6);
    await page.click("#play");
    await page.waitForTimeout(1500);
    await page.click("#play");
    await page.screenshot({ path: `${out}e2e-cap-partitioned.png`, fullPage: true });
    // A refused action: restarting a node that is up names the field, and changes nothing.
    await page.selectOption("#node", "2");
    await page.click("#restart");
    assert.match(
      (await page.textContent("#status")) ?? "",
      /^action\.node: node 2 is not crashed$/,
    );
    assert.ok(await page.locator("#status.error").count());

    // Overlapping quorums on the AP side (W = 3, R = 3 of 5): the cut-off pair cannot answer.
    await page.selectOption("#w", "3");
    await page.selectOption("#r", "3");
    assert.match((await page.textContent("#quorums")) ?? "", /^W \+ R = 3 \+ 3 > 5/);
    await page.click("#play");
    await page.waitForFunction(
      (ended) => document.getElementById("status")?.textContent === ended,
      en.cap_ended,
      { timeout: 30_000 },
    );
    const q = await table(page);
    assert.notEqual(q[en.cap_row_unanswered][1], "0", "with W = 3 the AP minority waits too");
    await page.screenshot({ path: `${out}e2e-cap-quorums.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("in Chinese, the page's own words are Chinese", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1200, height: 1300 } });
    collectProblems(page, "cap-zh", problems);
    await page.addInitScript(() => localStorage.setItem("raftlab:lang", "zh"));
    await page.goto(`${site.url}cap.html`);
    await page.waitForSelector("body[data-ready=true]");
    const zh = { ...STRINGS.zh, ...CAP_TEXT.zh };
    assert.equal(await page.title(), zh.cap_page_title);
    assert.equal(await page.textContent("h1"), zh.cap_heading);
    assert.equal(await page.textContent("#partition"), zh.cap_partition);
    const t = await table(page);
    assert.ok(zh.cap_row_lin in t, "the table's rows are Chinese");
    const left = await page.evaluate(() => {
      const found = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const s = (n.textContent ?? "").trim();
        const el = /** @type {Element} */ (n.parentElement);
        if (!s || el.closest("option, svg")) continue;
        if (/[A-Za-z]{3}/.test(s.replace(/Raftlab|Raft|CAP|English|AP/g, ""))) found.push(s);
      }
      return found;
    });
    assert.deepEqual(left, []);
    await page.screenshot({ path: `${out}e2e-cap-zh.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
