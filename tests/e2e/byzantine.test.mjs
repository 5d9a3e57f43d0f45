// The lying node in the page, in headless Chromium against the real Wasm: the node menu makes
// node 1 Byzantine (equivocate), the cluster draws it with its mark and label, a write through
// it is caught by the safety monitors (log_matching), and the menu then offers to make it
// honest. No console errors. Screenshot: test-results/byzantine.png (look at it).
// REQUIRES dist/ (scripts/build.sh).
//   node --test --test-concurrency=1 tests/e2e/byzantine.test.mjs
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium, openPlayground, until } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}index.html`) ? null : "dist/ is missing: run scripts/build.sh";
if (missing) console.log(`# SKIP byzantine e2e: ${missing}`);

/** @type {import("playwright-core").Browser} */
let browser;
/** @type {{ url: string, close: () => Promise<void> }} */
let server;
const problems = [];

describe("the lying node from the node menu (Chromium, real Wasm)", {
  skip: missing ?? false,
}, () => {
  before(async () => {
    mkdirSync(out, { recursive: true });
    server = await serve(dist, 0);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    assert.deepEqual(problems, []);
  });

  test("node menu → equivocate: the node is marked, and log_matching catches the lie", async () => {
    const page = await openPlayground(browser, `${server.url}index.html`, {
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
