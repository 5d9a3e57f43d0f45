// What every Chromium suite and bench shares: headless Debian Chromium through playwright-core,
// with the flags this machine needs (no sandbox as root, no GPU, none of the background
// connections the closed network refuses; see ../shared/docs/toolchain.md), and helpers that
// drive a <raft-playground> in the page.
import { chromium } from "playwright-core";

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
