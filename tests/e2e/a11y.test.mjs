// Accessibility with axe-core (a dev dependency, injected by the test, never loaded by the
// page): no critical or serious issue on the playground, the embed page and the demo post, in
// both themes. REQUIRES dist/. Screenshots: test-results/a11y-*.png.
//   node --test tests/e2e/a11y.test.mjs

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { collectProblems, openPlayground, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const missing = existsSync(`${dist}web/pkg/raftlab_wasm.js`) ? null : "dist/ is not built";

const problems = [];

const PAGES = [
  ["playground", "index.html"],
  ["embed", "embed.html?scenario=scenarios/split_brain.json&autoplay=0"],
  ["post", "post.html"],
];

/**
 * Runs axe on the page; returns the critical and serious violations, one line each.
 * @param {import("playwright-core").Page} page
 */
async function axeProblems(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await /** @type {any} */ (globalThis).axe.run(document, {
      resultTypes: ["violations"],
    });
    return r.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 3)
        .map(
          (/** @type {any} */ n) =>
            `${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? ""}`,
        ),
      count: v.nodes.length,
    }));
  });
  return violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.impact} ${v.id} (${v.count}×): ${v.help} — ${v.nodes.join(" | ")}`);
}

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("accessibility (axe-core, needs dist/)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out });

  for (const theme of ["light", "dark"]) {
    for (const [name, path] of PAGES) {
      test(`${name}, ${theme} theme: no critical or serious issue`, async () => {
        const page = await openPlayground(site.browser, site.url + path, {
          label: `${name}-${theme}`,
          problems,
          width: 1280,
          height: 800,
          prepare: (p) => p.addInitScript((t) => localStorage.setItem("raftlab-theme", t), theme),
        });
        await page.evaluate((t) => {
          document.documentElement.dataset.theme = t;
          for (const el of document.querySelectorAll("raft-playground")) {
            el.setAttribute("theme", t);
            /** @type {any} */ (el).controller.pause();
            /** @type {any} */ (el).controller.redraw();
          }
        }, theme);
        // The full playground's panels join after the first frame: wait until every panel
        // there is has drawn (nodes; log rows; the history's verdict), not for a set time.
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll("raft-playground")].every((el) => {
              const r = /** @type {ShadowRoot} */ (el.shadowRoot);
              const logs = r.querySelector(".logs");
              const verdict = r.querySelector(".verdict");
              return (
                r.querySelectorAll(".node").length >= 3 &&
                (!logs || logs.querySelector(".cell") !== null) &&
                (!verdict || (verdict.textContent ?? "").trim() !== "")
              );
            }),
          null,
          { timeout: 30_000 },
        );
        await page.screenshot({ path: `${out}a11y-${name}-${theme}.png`, fullPage: true });
        const found = await axeProblems(page);
        if (found.length) console.log(found.map((f) => `# ${name}/${theme}: ${f}`).join("\n"));
        assert.deepEqual(found, []);
        await page.close();
      });
    }
  }

  // The history playground has no <raft-playground>: it is ready when its first figure's
  // ladder is drawn.
  for (const theme of ["light", "dark"]) {
    for (const lang of ["en", "zh"]) {
      test(`history playground, ${theme} theme, ${lang}: no critical or serious issue`, async () => {
        const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
        collectProblems(page, `history-${theme}-${lang}`, problems);
        await page.addInitScript(
          ([t, l]) => {
            localStorage.setItem("raftlab-theme", t);
            localStorage.setItem("raftlab:lang", l);
          },
          [theme, lang],
        );
        await page.goto(`${site.url}history.html`);
        await page.waitForSelector("body[data-ready=true]");
        await page.waitForSelector("#ladder li");
        await page.screenshot({ path: `${out}a11y-history-${theme}-${lang}.png`, fullPage: true });
        const found = await axeProblems(page);
        if (found.length)
          console.log(found.map((f) => `# history/${theme}/${lang}: ${f}`).join("\n"));
        assert.deepEqual(found, []);
        await page.close();
      });
    }
  }

  // The CAP page is ready when both clusters and the table are drawn.
  for (const theme of ["light", "dark"]) {
    test(`CAP page, ${theme} theme: no critical or serious issue`, async () => {
      const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
      collectProblems(page, `cap-${theme}`, problems);
      await page.addInitScript((t) => localStorage.setItem("raftlab-theme", t), theme);
      await page.goto(`${site.url}cap.html`);
      await page.waitForSelector("body[data-ready=true]");
      await page.screenshot({ path: `${out}a11y-cap-${theme}.png`, fullPage: true });
      const found = await axeProblems(page);
      if (found.length) console.log(found.map((f) => `# cap/${theme}: ${f}`).join("\n"));
      assert.deepEqual(found, []);
      await page.close();
    });
  }

  test("no console errors", () => {
    assert.deepEqual(problems, []);
  });
});
