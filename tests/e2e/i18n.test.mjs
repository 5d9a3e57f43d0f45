// The page's own labels in both languages, in headless Chromium against the real Wasm: every
// panel opened, a menu and a popover shown, then the language switched (no reload) and every
// text, aria-label, title and placeholder in the playground compared with the string table: in
// Chinese none of the table's English labels is left. Screenshots of both languages
// (test-results/i18n-*.png — look at them). REQUIRES dist/ (scripts/build.sh).
//   node --test tests/e2e/i18n.test.mjs
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { scenarioIndex } from "../../scripts/scenario-index.mjs";
import { STRINGS } from "../../web/src/i18n.js";
import { openPlayground, sharedBrowser, until } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}index.html`) ? null : "dist/ is missing: run scripts/build.sh";
if (missing) console.log(`# SKIP i18n e2e: ${missing}`);

const problems = [];

/** Every label in the playground's shadow root: text nodes and the labelling attributes. */
const labelsShown = (page) =>
  page.evaluate(() => {
    const sr = document.querySelector("raft-playground").shadowRoot;
    const found = new Set();
    const walk = document.createTreeWalker(sr, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const s = n.textContent.trim();
      if (s) found.add(s);
    }
    for (const el of sr.querySelectorAll("*"))
      for (const a of ["aria-label", "title", "placeholder"]) {
        const v = el.getAttribute(a);
        if (v) found.add(v.trim());
      }
    return [...found];
  });

/** Opens every section, a node menu, and waits for a leader (roles, terms, logs drawn). */
async function everything(page) {
  await page.evaluate(() => {
    for (const d of document
      .querySelector("raft-playground")
      .shadowRoot.querySelectorAll("details"))
      d.open = true;
  });
  await until(page, (v) => v.leader !== null && v.nodes.some((n) => n.log_len > 0), 4);
  await page.evaluate(() => document.querySelector("raft-playground").controller.pause());
}

/** Clicks node 1 (its menu). */
const nodeMenu = (page) =>
  page.locator("raft-playground .node[data-node='1']").click({ force: true });

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("the page's labels in both languages (Chromium, real Wasm)", {
  skip: missing ?? false,
}, () => {
  site = sharedBrowser({ dist, out, problems });

  test("switching to Chinese relabels every panel without a reload; no English label is left", async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html`, {
      label: "i18n",
      problems,
      height: 2400,
      prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "en")),
    });
    await page.waitForFunction(
      () => !document.querySelector("raft-playground").shadowRoot.querySelector(".lesson").hidden,
    );
    await everything(page);
    await nodeMenu(page);
    const en = await labelsShown(page);
    await page.screenshot({ path: `${out}i18n-en.png`, fullPage: true });
    // The English labels are there to begin with (the comparison below is not vacuous).
    for (const k of ["bar_step", "tools_heal", "client_send", "set_new_world", "menu_crash"])
      assert.ok(en.includes(STRINGS.en[k]), `English page shows ${k}`);

    const url = page.url();
    await page.locator("raft-playground .lesson select").nth(1).selectOption("zh");
    assert.equal(page.url(), url, "no navigation");
    await nodeMenu(page);
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    const zh = await labelsShown(page);
    await page.screenshot({ path: `${out}i18n-zh.png`, fullPage: true });
    for (const k of ["bar_step", "tools_heal", "client_send", "set_new_world", "menu_crash"])
      assert.ok(zh.includes(STRINGS.zh[k]), `Chinese page shows ${k}`);
    // Every whole label of the English table that differs in Chinese must be gone.
    const left = Object.entries(STRINGS.en)
      .filter(([k, s]) => !s.includes("{") && s !== STRINGS.zh[k])
      .filter(([, s]) => zh.includes(s.trim()))
      .map(([k, s]) => `${k}: ${s}`);
    assert.deepEqual(left, []);
    // Nor any English template of the table, filled in ("term 3 · voted 1").
    const quote = (/** @type {string} */ s) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    const filled = Object.entries(STRINGS.en)
      // Templates with words of their own (not a bare "{observed}").
      .filter(([k, s]) => s.includes("{") && s !== STRINGS.zh[k])
      .filter(([, s]) => /[a-z]{2}/i.test(s.replace(/\{\w+\}/g, "")))
      .flatMap(([k, s]) => {
        const re = new RegExp(`^${quote(s).replace(/\\?\{\w+\\?\}/g, ".*")}$`, "s");
        return zh.filter((x) => re.test(x)).map((x) => `${k}: ${x}`);
      });
    assert.deepEqual(filled, []);
    // The page around the playground follows: its header and theme switch.
    const header = await page.evaluate(() => ({
      tagline: document.querySelector("header p")?.textContent,
      theme: document.getElementById("theme")?.textContent,
      lang: document.documentElement.lang,
    }));
    assert.deepEqual(header, {
      tagline: STRINGS.zh.site_tagline,
      theme: `主题：${STRINGS.zh.site_theme_auto}`,
      lang: "zh",
    });
    await page.close();
  });

  test("the ready scenarios' titles and descriptions follow the language", async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html`, {
      label: "i18n-scenarios",
      problems,
      height: 1600,
      prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "zh")),
    });
    const index = scenarioIndex(`${root}scenarios`);
    const split = index.find((e) => e.file === "split_brain.json");
    assert.ok(split?.text.zh, "split_brain has a Chinese text");
    const picker = page.locator("raft-playground .scenpick select");
    await picker.locator("option").nth(index.length).waitFor({ state: "attached" });
    const options = async () => (await picker.locator("option").allTextContents()).slice(1); // the first is Free play
    assert.deepEqual(
      await options(),
      index.map((e) => e.text.zh.title),
    );
    await picker.selectOption("split_brain.json");
    const note = page.locator("raft-playground .scennote");
    await note.locator("p").getByText(split.text.zh.description).waitFor();
    await page.screenshot({ path: `${out}i18n-scenario-zh.png`, fullPage: true });
    // Back to English: the picker and the open note are relabelled in place.
    await page.locator("raft-playground .lesson select").nth(1).selectOption("en");
    assert.deepEqual(
      await options(),
      index.map((e) => e.title),
    );
    await note.locator("p").getByText(split.description).waitFor();
    assert.equal(await note.locator("strong").first().textContent(), split.title);
    await page.close();
  });
});
