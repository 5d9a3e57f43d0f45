// Renders the fixture worlds (web/test/fixtures: samples captured from the real Wasm, served by a
// fake handle; no Wasm build needed) in headless Chromium and saves screenshots to test-results/
// for a person to look at; prints the frame time of view()+render of the captured views (60-70
// messages in flight). Exits non-zero on console errors.
//   node tests/e2e/render-fixtures.mjs

import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { scenarioIndex } from "../../scripts/scenario-index.mjs";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const out = new URL("../../test-results/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });

// A throwaway site laid out like dist/ (www pages, web/src), whose web/pkg is the fixture fake,
// so the real pages and the real loader run without the Wasm.
const site = `${out}fixture-site/`;
rmSync(site, { recursive: true, force: true });
mkdirSync(`${site}web/pkg`, { recursive: true });
mkdirSync(`${site}web/test/fixtures`, { recursive: true });
mkdirSync(`${site}scenarios`, { recursive: true });
cpSync(`${root}www`, site, { recursive: true });
cpSync(`${root}web/src`, `${site}web/src`, { recursive: true });
// The fake where it lives in the repository (it imports ../../src/vocab.js), with its samples.
for (const f of readdirSync(`${root}web/test/fixtures`)) {
  if (/\.(json|js)$/.test(f))
    copyFileSync(`${root}web/test/fixtures/${f}`, `${site}web/test/fixtures/${f}`);
}
// The pages start compiling web/pkg/raftlab_wasm_bg.wasm early; here that fails quietly (not a
// module) and the loader goes on with the fake's init().
writeFileSync(`${site}web/pkg/raftlab_wasm_bg.wasm`, "");
writeFileSync(
  `${site}web/pkg/raftlab_wasm.js`,
  'export { default, initSync, Playground } from "../test/fixtures/fake-pkg.js";\n',
);
// Every ready scenario and every one a page names (scenario="scenarios/….json"), under that
// exact name, with the real scenario's node count (the fake world only looks at node_count).
const named = new Set(readdirSync(`${root}scenarios`).filter((x) => x.endsWith(".json")));
for (const f of readdirSync(`${root}www`).filter((x) => x.endsWith(".html"))) {
  const html = readFileSync(`${root}www/${f}`, "utf8");
  for (const m of html.matchAll(/scenario="scenarios\/([\w.-]+\.json)"/g)) named.add(m[1]);
}
for (const name of named) {
  const real = JSON.parse(readFileSync(`${root}scenarios/${name}`, "utf8"));
  writeFileSync(
    `${site}scenarios/${name}`,
    JSON.stringify({
      config: { node_count: real.config?.node_count ?? 5 },
      seed: 3,
      duration_us: 1_000_000,
      actions: [],
      description: real.description,
    }),
  );
}
// The scenarios' words in other languages, which the index reads.
cpSync(`${root}scenarios/text`, `${site}scenarios/text`, { recursive: true });
// The picker's index, as scripts/build.sh writes it for dist/ (index.html asks for it).
writeFileSync(
  `${site}scenarios/index.json`,
  `${JSON.stringify(scenarioIndex(`${site}scenarios`), null, 2)}\n`,
);

// The lessons, rendered as scripts/build.sh renders them (the page lists them on load).
execFileSync(process.execPath, [`${root}scripts/lessons.mjs`, `${root}lessons`, `${site}lessons`]);

const server = await serve(root, 0);
const siteServer = await serve(site, 0);
const browser = await launchChromium();
const problems = [];

/** Opens the fixture page with query `q` at a viewport and waits for the first frame. */
async function open(q, width, height, colorScheme = "light", url = null) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning")
      problems.push(`${q}: ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${q}: pageerror: ${e.message}`));
  if (url) {
    await page.goto(url);
    await page.waitForFunction(() =>
      [...document.querySelectorAll("raft-playground")].every((e) => e.controller),
    );
  } else {
    await page.goto(`${server.url}web/test/fixtures/page.html?${q}`);
    await page.waitForFunction(() => window.pg?.controller);
  }
  await page.waitForTimeout(300);
  return page;
}
const openAll = (page) =>
  page.evaluate(() => {
    for (const d of window.pg.shadowRoot.querySelectorAll("details")) d.open = true;
  });

try {
  let page = await open("nodes=5&controls=full&theme=light", 1280, 900);
  await page.screenshot({ path: `${out}fixture-5-light.png`, fullPage: true });
  await openAll(page);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}fixture-5-all-panels.png`, fullPage: true });
  // Frame cost: advance + view + render of the captured views, 5 and then 9 nodes.
  const timing = async (p, label) => {
    const t = await p.evaluate(() => {
      const c = window.pg.controller;
      c.pause();
      const d = [];
      for (let i = 0; i < 240; i++) {
        const t0 = performance.now();
        c.handle.advance(1600);
        c.redraw();
        d.push(performance.now() - t0);
      }
      d.sort((a, b) => a - b);
      return { p50: d[120], p95: d[228], max: d[239] };
    });
    console.log(
      `${label}: frame p50 ${t.p50.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms, max ${t.max.toFixed(2)} ms`,
    );
  };
  await timing(page, "5 nodes (captured view), all panels");
  // Click a message: the popover.
  await page.evaluate(() => window.pg.controller.pause());
  const at = await page.evaluate(() => {
    const c = window.pg.controller;
    const m = c.view().messages.filter((x) => x.state !== "held")[3];
    return m ? c.messageRect(m.id)?.toJSON() : null;
  });
  if (at) await page.mouse.click(at.x + at.width / 2, at.y + at.height / 2);
  await page.waitForTimeout(100);
  await page.screenshot({ path: `${out}fixture-5-message-popover.png` });
  await page.keyboard.press("Escape");
  await page.locator("raft-playground .node").first().click();
  await page.waitForTimeout(100);
  await page.screenshot({ path: `${out}fixture-5-node-menu.png` });
  await page.keyboard.press("Escape");
  await page.locator("raft-playground button", { hasText: "Messages…" }).click();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.waitForTimeout(100);
  await page.screenshot({ path: `${out}fixture-5-messages-list-keyboard.png` });
  await page.close();

  page = await open("nodes=9&controls=full&theme=dark", 1280, 1000, "dark");
  await openAll(page);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}fixture-9-dark.png`, fullPage: true });
  await timing(page, "9 nodes (captured view), all panels");
  // The captured samples only hold a violation if the capture produced one.
  if (await page.evaluate(() => !!window.pg.shadowRoot.querySelector(".mon.bad .mon-go"))) {
    await page.evaluate(() => window.pg.shadowRoot.querySelector(".mon.bad .mon-go").click());
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${out}fixture-9-violation-evidence.png`, fullPage: true });
  }
  await page.close();

  page = await open("nodes=5&controls=full&theme=auto", 360, 740);
  await openAll(page);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}fixture-360.png`, fullPage: true });
  await page.screenshot({ path: `${out}fixture-360-top.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  if (overflow > 362) problems.push(`360px layout overflows horizontally: ${overflow}px`);
  await page.close();

  page = await open("nodes=5&controls=minimal&height=320", 720, 420);
  await page.screenshot({ path: `${out}fixture-minimal.png` });
  await page.close();

  // The real pages (www/) over the fake pkg.
  page = await open("index", 1366, 860, "light", `${siteServer.url}index.html`);
  await page.screenshot({ path: `${out}page-index-light.png` });
  await page.close();
  page = await open("index-dark", 1366, 860, "dark", `${siteServer.url}index.html`);
  await page.screenshot({ path: `${out}page-index-dark.png` });
  await page.close();
  page = await open("post", 900, 1400, "light", `${siteServer.url}post.html`);
  await page.screenshot({ path: `${out}page-post.png`, fullPage: true });
  await page.close();
  page = await open("post-360", 360, 740, "dark", `${siteServer.url}post.html`);
  await page.screenshot({ path: `${out}page-post-360-dark.png`, fullPage: true });
  await page.close();
  page = await open("embed", 480, 400, "light", `${siteServer.url}embed.html?nodes=9&theme=dark`);
  await page.screenshot({ path: `${out}page-embed.png` });
  await page.close();
} finally {
  await browser.close();
  await server.close();
  await siteServer.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exitCode = 1;
} else {
  console.log(`screenshots in ${out}; no console errors or warnings`);
}
