// The offline single-folder build (dist-offline/, from scripts/build-offline.mjs) opened from
// disk through a file:// URL in headless Chromium: no server, no ES modules, no fetch — one
// classic script with the Wasm and the scenarios inside. Screenshots: test-results/offline-*.png
//   node --test tests/e2e/offline.test.mjs

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { openPlayground, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dir = process.env.RAFTLAB_OFFLINE ?? `${root}dist-offline/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dir}raftlab.js`)
  ? null
  : `${dir}raftlab.js is missing: run scripts/build.sh (it ends with scripts/build-offline.mjs)`;
if (missing) console.log(`# SKIP offline e2e: ${missing}`);

const problems = [];

/** @param {string} page @param {{ width?: number, height?: number }} [size] */
async function open(page, size = {}) {
  const url =
    pathToFileURL(dir + page.replace(/\?.*$/, "")).href + (page.match(/\?.*$/)?.[0] ?? "");
  const p = await openPlayground(site.browser, url, { label: page, problems, ...size });
  assert.ok(p.url().startsWith("file://"));
  return p;
}

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("offline build from file:// (needs dist-offline/)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist: dir, out, serveDist: false });

  test("index.html elects a leader", async () => {
    const page = await open("index.html");
    assert.equal(
      await page.evaluate(() => document.querySelectorAll("script[type=module]").length),
      0,
    );
    await page.evaluate(() => {
      const c = document.querySelector("raft-playground").controller;
      c.setSpeed(1);
      c.play();
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector("raft-playground")
          .handle.view()
          .nodes.some((n) => n.role === "leader" && !n.crashed),
      null,
      { timeout: 15_000 },
    );
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    await page.screenshot({ path: `${out}offline-index.png`, fullPage: true });
    await page.close();
  });

  test("post.html runs both inlined scenarios and the inlined lesson; embed.html takes its query", async () => {
    const post = await open("post.html", { width: 900, height: 1200 });
    const seeds = await post.evaluate(() =>
      [...document.querySelectorAll("raft-playground")].map((e) => e.view().nodes.length),
    );
    assert.equal(seeds.length, 3);
    for (const n of seeds) assert.ok(n >= 3);
    await post.screenshot({ path: `${out}offline-post.png`, fullPage: true });
    await post.close();
    const embed = await open(
      "embed.html?scenario=scenarios/split_brain.json&controls=full&theme=dark",
    );
    assert.equal(
      await embed.evaluate(() =>
        document.querySelector("raft-playground").getAttribute("controls"),
      ),
      "full",
    );
    await embed.screenshot({ path: `${out}offline-embed-dark.png` });
    await embed.close();
  });

  test("index.html's scenario picker works from the inlined index", async () => {
    const page = await open("index.html");
    const sel = page.locator("raft-playground select#rl1-scenario");
    await sel.waitFor({ state: "visible" });
    assert.ok((await sel.locator("option").count()) > 1, "the inlined scenarios are listed");
    await sel.selectOption("split_brain.json");
    await page.locator("raft-playground .scennote").waitFor({ state: "visible" });
    assert.match(await page.locator("raft-playground .scennote p").textContent(), /partition/i);
    await page.waitForFunction(
      () => document.querySelector("raft-playground").handle.config().node_count === 5,
    );
    await page.screenshot({ path: `${out}offline-scenario-picker.png` });
    await page.close();
  });

  test("no console errors or warnings", () => {
    assert.deepEqual(problems, []);
  });
});
