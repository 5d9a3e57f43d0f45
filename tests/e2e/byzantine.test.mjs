// The lying node in the page, in headless Chromium against the real Wasm: the node menu makes
// node 1 Byzantine (equivocate), the cluster draws it with its mark and label, a write through
// it is caught by the safety monitors (log_matching), and the menu then offers to make it
// honest. No console errors. Screenshot: test-results/byzantine.png (look at it).
// REQUIRES dist/ (scripts/build.sh).
//   node --test --test-concurrency=1 tests/e2e/byzantine.test.mjs
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { openPlayground, sharedBrowser, until } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}index.html`) ? null : "dist/ is missing: run scripts/build.sh";
if (missing) console.log(`# SKIP byzantine e2e: ${missing}`);

const problems = [];

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("the lying node from the node menu (Chromium, real Wasm)", {
  skip: missing ?? false,
}, () => {
  site = sharedBrowser({ dist, out, problems });

  test("node menu → equivocate: the node is marked, and log_matching catches the lie", async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html`, {
      label: "byzantine",
      problems,
      prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "en")),
    });
    const pg = "raft-playground";
    await until(page, (v) => v.leader !== null, 4);
    const leader = await page.evaluate(
      (sel) => document.querySelector(sel).handle.view().leader,
      pg,
    );
    await page.locator(`${pg} .node[data-node='${leader}']`).click({ force: true });
    const row = page.locator(`${pg} .pop .pop-row`, { hasText: "Byzantine fault" });
    await row.locator("select").selectOption("equivocate");
    await row.getByRole("button", { name: "Lie" }).click();
    const node = page.locator(`${pg} .node[data-node='${leader}']`);
    await assert.doesNotReject(() => node.and(page.locator(".liar")).waitFor({ timeout: 2000 }));
    assert.match((await node.getAttribute("aria-label")) ?? "", /Byzantine: equivocate/);
    // A write through the liar: followers with an even id get a forged copy.
    await page.evaluate(
      ([sel, n]) =>
        document
          .querySelector(sel)
          .controller.apply({ type: "put", client: 1, key: "x", value: "1", node: n }),
      [pg, leader],
    );
    await until(page, (v) => v.monitors.some((m) => m.monitor === "log_matching" && m.violated), 4);
    await page.screenshot({ path: `${out}byzantine.png` });
    // The menu now offers the way back.
    await node.click({ force: true });
    await page.locator(`${pg} .pop`).getByRole("button", { name: "Make honest" }).click();
    const lies = await page.evaluate(
      ([sel, n]) =>
        document
          .querySelector(sel)
          .handle.view()
          .nodes.find((x) => x.id === n).byzantine,
      [pg, leader],
    );
    assert.equal(lies, null);
    await page.close();
  });
});
