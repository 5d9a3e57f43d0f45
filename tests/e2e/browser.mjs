// What every Chromium suite and bench shares: headless Debian Chromium through playwright-core,
// with the flags this machine needs (no sandbox as root, no GPU, none of the background
// connections the closed network refuses; see ../shared/docs/toolchain.md), and helpers that
// drive a <raft-playground> in the page.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium. */
export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/**
 * One headless Chromium, and a static server of `dist` unless `serveDist` is false, for the
 * enclosing `describe`: registers its `before` and `after` hooks. `problems`, when given, must
 * be empty once the suite ends (console errors and failed loads the pages collected).
 * @param {{ dist: string, out: string, problems?: string[], serveDist?: boolean }} options
 */
export function sharedBrowser({ dist, out, problems, serveDist = true }) {
  /** @type {{ browser: import("playwright-core").Browser, server: { url: string, close: () => Promise<void> } | null, url: string }} */
  const site = {
    // @ts-expect-error set by the `before` hook, before any test runs
    browser: null,
    server: null,
    get url() {
      return this.server?.url ?? "";
    },
  };
  before(async () => {
    mkdirSync(out, { recursive: true });
    if (serveDist) site.server = await serve(dist, 0);
    site.browser = await launchChromium();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
    if (problems) assert.deepEqual(problems, []);
  });
  return site;
}

/**
 * Runs `fn(el, arg)` inside the page on the element at `sel` (a <raft-playground> by default).
 * `fn` is sent as source, so it must be self-contained; `arg` and the result are serialized.
 * @param {import("playwright-core").Page} page
 * @param {(el: any, arg: any) => any} fn
 */
export function onEl(page, fn, arg, sel = "raft-playground") {
  return page.evaluate(
    ([s, src, a]) =>
      new Function("el", "arg", `return (${src})(el, arg)`)(document.querySelector(s), a),
    [sel, fn.toString(), arg],
  );
}

/**
 * Notes, inside the page, the time of the first animation frame in which a cluster node of a
 * <raft-playground> exists (rAF callbacks run just before the browser paints). Reading
 * performance.now() from the test instead would add Playwright's round trips (~100–400 ms).
 * Call before `page.goto`; read the result with `firstClusterFrameMs`.
 * @param {import("playwright-core").Page} page
 */
export function probeFirstClusterFrame(page) {
  return page.addInitScript(() => {
    const w = /** @type {any} */ (globalThis);
    const poll = () => {
      if (document.querySelector("raft-playground")?.shadowRoot?.querySelector(".node"))
        w.__firstFrame = performance.now();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

/**
 * Milliseconds from navigation start to the first cluster frame (see probeFirstClusterFrame).
 * @param {import("playwright-core").Page} page
 * @returns {Promise<number>}
 */
export async function firstClusterFrameMs(page) {
  await page.waitForFunction(() => /** @type {any} */ (globalThis).__firstFrame);
  return page.evaluate(() => /** @type {any} */ (globalThis).__firstFrame);
}

/**
 * Lets the world of the <raft-playground> at `sel` run at `speed` until `pred(view)` holds.
 * `pred` is serialized into the page, so it must be self-contained. It pauses in the same
 * task that sees the predicate hold: what it saw is still there afterwards.
 * @param {import("playwright-core").Page} page
 * @param {(v: any) => boolean} pred
 * @param {number} [speed]
 * @param {{ timeout?: number, sel?: string }} [options]
 */
export async function until(
  page,
  pred,
  speed = 1,
  { timeout = 15_000, sel = "raft-playground" } = {},
) {
  await page.evaluate(
    ([s, x]) => {
      const el = document.querySelector(s);
      el.controller.setSpeed(x);
      el.controller.play();
    },
    [sel, speed],
  );
  await page.waitForFunction(
    ([s, src]) => {
      const el = document.querySelector(s);
      const ok = new Function("v", `return (${src})(v)`)(el.handle.view());
      if (ok) el.controller.pause();
      return ok;
    },
    [sel, pred.toString()],
    { timeout },
  );
}

/**
 * Pauses the <raft-playground> at `sel` and moves its world forward in steps of `step_us` of
 * virtual time (the page's own seek) until `pred(view)` holds, at most to `until_us`; returns
 * the virtual time where it held, or null. Unlike `until`, what it finds does not depend on
 * how fast the machine plays: a state that lasts a moment of virtual time is not skipped by a
 * long frame on a loaded machine. `pred` is serialized into the page (self-contained).
 * @param {import("playwright-core").Page} page
 * @param {(v: any) => boolean} pred
 * @param {{ step_us?: number, until_us?: number, sel?: string }} [options]
 * @returns {Promise<number | null>}
 */
export function seekUntil(
  page,
  pred,
  { step_us = 10_000, until_us = 60_000_000, sel = "raft-playground" } = {},
) {
  return page.evaluate(
    ([s, src, step, end]) => {
      const el = document.querySelector(s);
      const ok = new Function("v", `return (${src})(v)`);
      el.controller.pause();
      for (;;) {
        if (ok(el.handle.view())) return el.handle.now_us();
        const now = el.handle.now_us();
        if (now >= end) return null;
        el.controller.seek(Math.min(end, now + step));
      }
    },
    /** @type {[string, string, number, number]} */ ([sel, pred.toString(), step_us, until_us]),
  );
}

/**
 * Collects the console errors and warnings and the uncaught errors of `page` into `into`,
 * each prefixed with `label` (the suites assert the list stays empty).
 * @param {import("playwright-core").Page} page
 * @param {string} label
 * @param {string[]} into
 */
export function collectProblems(page, label, into) {
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning")
      into.push(`${label}: ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => into.push(`${label}: uncaught: ${e.message}`));
}

/**
 * Opens `url` in a new page (1366×900 unless `width`/`height` say otherwise), collecting its
 * problems into `problems` under `label`, and waits until every <raft-playground> has drawn.
 * `prepare` runs before navigation (init scripts, routes).
 * @param {import("playwright-core").Browser} browser
 * @param {string} url
 * @param {{ label: string, problems: string[], width?: number, height?: number,
 *   prepare?: (p: import("playwright-core").Page) => Promise<unknown> }} options
 */
export async function openPlayground(browser, url, { label, problems, width, height, prepare }) {
  const page = await browser.newPage({ viewport: { width: width ?? 1366, height: height ?? 900 } });
  collectProblems(page, label, problems);
  await prepare?.(page);
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const els = [...document.querySelectorAll("raft-playground")];
      return els.length > 0 && els.every((e) => e.controller);
    },
    null,
    { timeout: 10_000 },
  );
  return page;
}

/**
 * Opens the playground in `lang` (1400 px tall), plays the ready scenario `file` with every
 * panel open to `until_us` (or its end) with the page's own seek, and redraws: the start of
 * the suites that read what a scenario left on the page.
 * @param {import("playwright-core").Browser} browser
 * @param {string} siteUrl the site's root URL, ending in `/`
 * @param {{ label: string, problems: string[], lang: "en" | "zh", file: string, until_us: number }} options
 *   `file`: a ready scenario in scenarios/
 */
export async function playScenarioTo(browser, siteUrl, { label, problems, lang, file, until_us }) {
  const scenario = JSON.parse(
    readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), "utf8"),
  );
  const page = await openPlayground(browser, `${siteUrl}index.html`, {
    label,
    problems,
    height: 1400,
    prepare: (p) => p.addInitScript((l) => localStorage.setItem("raftlab:lang", l), lang),
  });
  const picker = page.locator("raft-playground .scenpick select");
  await picker.locator(`option[value="${file}"]`).waitFor({ state: "attached" });
  await picker.selectOption(file);
  await page.locator("raft-playground .scennote").waitFor({ state: "visible" });
  await page.evaluate(() => {
    for (const d of document
      .querySelector("raft-playground")
      .shadowRoot.querySelectorAll("details"))
      d.open = true;
  });
  const end = Math.min(scenario.duration_us, until_us);
  // seekUntil sends the predicate's source to the page: the bound is written into it.
  const atEnd = /** @type {(v: any) => boolean} */ (new Function("v", `return v.now_us >= ${end}`));
  const reached = await seekUntil(page, atEnd, { until_us: end });
  if (reached === null) throw new Error(`${file}: the page's seek did not reach ${end} us`);
  await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
  return page;
}

/**
 * Opens the experiments page at `baseUrl` in `page`, picks the ready spec `file` and waits
 * until the editor holds it: until its `name` field is `name` (the spec's name, not just its
 * file: other specs use the figure16 network preset, for one).
 * @param {import("playwright-core").Page} page
 * @param {string} baseUrl the site's root URL, ending in `/`
 * @param {{ file?: string, name?: string }} [spec] figure16.json, named figure16, unless given
 */
export async function openExperimentSpec(
  page,
  baseUrl,
  { file = "figure16.json", name = "figure16" } = {},
) {
  await page.goto(`${baseUrl}experiments.html`);
  await page.waitForSelector("body[data-ready=true]");
  await page.selectOption("#spec-pick", file);
  await page.waitForFunction(
    (want) =>
      JSON.parse(/** @type {HTMLTextAreaElement} */ (document.getElementById("spec-text")).value)
        .name === want,
    name,
  );
}
