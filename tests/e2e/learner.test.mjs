// The page as a learner meets it, against the REAL Wasm in headless Chromium: catching a
// message while time plays, the keyboard, reduced motion, touch, the time slider and the frame
// budget. REQUIRES dist/ (scripts/build.sh). Screenshots: test-results/learner-*.png — look at them.
//   node --test tests/e2e/learner.test.mjs
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { onEl, until } from "./browser.mjs";
import {
  hasLeader,
  learnerSite,
  missing,
  openPage,
  out,
  problems,
  shot,
  statusBox,
} from "./learner-probes.mjs";

describe("the page as a learner meets it (needs dist/)", { skip: missing ?? false }, () => {
  const site = learnerSite();

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
    // Point at a message (hovering slows time to a tenth), then click a few pixels off its
    // centre where it is now: the message wins over the link beneath. Playwright's round trips
    // on a loaded machine can outlast a message, so several tries, each waiting for a message.
    const drawn = () =>
      page.waitForFunction(
        () => {
          const el = document.querySelector("raft-playground");
          return el.controller.view()?.messages.some((m) => "node" in m.from && "node" in m.to);
        },
        null,
        { timeout: 15_000 },
      );
    let clicked = false;
    for (let attempt = 0; attempt < 10 && !clicked; attempt++) {
      if (attempt) await drawn();
      const first = await onEl(page, (el) => {
        const m = el.controller.view().messages.find((x) => "node" in x.from && "node" in x.to);
        const r = m && el.controller.messageRect(m.id);
        return r ? { id: m.id, r: r.toJSON() } : null;
      });
      if (!first) continue;
      await page.mouse.move(first.r.x + first.r.width / 2, first.r.y + first.r.height / 2);
      const r = await onEl(
        page,
        (el, id) => el.controller.messageRect(id)?.toJSON() ?? null,
        first.id,
      );
      if (!r) continue;
      await page.mouse.click(r.x + r.width / 2 + 4, r.y + r.height / 2 + 3);
      const got = await page
        .locator("raft-playground .pop strong")
        .textContent({ timeout: 5_000 })
        .catch(() => "");
      // Delivered between the look and the click (a stalled machine): close what opened
      // (the link or node beneath), play on, and try the next message.
      clicked = /^Message \d+/.test(got);
      if (!clicked) {
        if (got) await page.locator("raft-playground .pop button.x").click();
        await onEl(page, (el) => el.controller.play());
      }
    }
    assert.ok(clicked, "a message was caught");
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
        el.shadowRoot.querySelector(".sr-only[aria-live=polite]")?.getAttribute("role"),
      );
      assert.equal(live, "status");
      await page.close();
    });
  }

  test("reduced motion: no autoplay, Space plays and pauses", async () => {
    const ctxt = await site.browser.newContext({
      reducedMotion: "reduce",
      viewport: { width: 1280, height: 800 },
    });
    const page = await ctxt.newPage();
    page.on("console", (m) => m.type() === "error" && problems.push(`rm: ${m.text()}`));
    await page.goto(`${site.url}index.html`);
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

  test("the time slider steps by one event either way, or 1/100 with Shift", async () => {
    const page = await openPage("index.html", { width: 1280, height: 800 });
    await until(page, (v) => v.now_us > 400_000, 1);
    // Paused, so that the world and the slider's range stand still between the keys.
    await onEl(page, (el) => el.controller.pause());
    const slider = page.locator('raft-playground input[type=range][aria-label^="Time"]');
    await slider.focus();
    const before = await onEl(page, (el) => [el.handle.now_us(), el.handle.view().events]);
    await page.keyboard.press("ArrowRight");
    const after = await onEl(page, (el) => [el.handle.now_us(), el.handle.view().events]);
    assert.equal(after[1], before[1] + 1, "one event processed");
    // Left: back to the previous event, which then is the newest one the world has seen.
    const prev = await onEl(page, (el, t) => el.handle.prev_event_at(t), after[0]);
    assert.ok(prev < after[0], `${prev} < ${after[0]}`);
    await page.keyboard.press("ArrowLeft");
    assert.equal(await onEl(page, (el) => el.handle.now_us()), prev);
    assert.equal(
      await onEl(page, (el) => el.handle.prev_event_at(el.handle.now_us() + 1)),
      prev,
      "no event after it",
    );
    // And Right goes forward to the event it stepped back from.
    await page.keyboard.press("ArrowRight");
    const again = await onEl(page, (el) => el.handle.now_us());
    assert.ok(again > prev && again <= after[0], `${prev} < ${again} <= ${after[0]}`);
    // Drawn first, so that the slider's range is the one the key handler steps by.
    await onEl(page, (el) => el.controller.redraw());
    const max = Number(await slider.getAttribute("max"));
    const from = await onEl(page, (el) => el.handle.now_us());
    await page.keyboard.press("Shift+ArrowLeft");
    const back = await onEl(page, (el) => el.handle.now_us());
    assert.equal(back, Math.max(0, from - Math.max(1000, Math.round(max / 100))));
    await page.close();
  });

  test("touch opens the node menu on a phone", async () => {
    const ctxt = await site.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await ctxt.newPage();
    await page.goto(`${site.url}index.html`);
    await page.waitForFunction(() => document.querySelector("raft-playground")?.controller);
    // Paused, so that no message moves under the finger between the taps.
    await onEl(page, (el) => el.controller.pause());
    await page.locator('raft-playground .node[data-node="2"]').tap();
    const title = await page.locator("raft-playground .pop strong").textContent();
    assert.match(title ?? "", /^Node 2:/);
    await page.screenshot({ path: `${out}learner-touch-node-menu.png` });
    await page.locator("raft-playground .pop button.x").tap();
    // A link: tap the middle of the chord between n1 and n3 (no node lies there).
    const mid = await onEl(page, (el) => {
      const r = (n) =>
        el.shadowRoot.querySelector(`.node[data-node="${n}"]`).getBoundingClientRect();
      const a = r(1);
      const b = r(3);
      return {
        x: (a.x + a.width / 2 + b.x + b.width / 2) / 2,
        y: (a.y + a.height / 2 + b.y + b.height / 2) / 2,
      };
    });
    await onEl(page, (el) => el.controller.pause());
    await page.touchscreen.tap(mid.x, mid.y);
    const linkTitle = await page.locator("raft-playground .pop strong").textContent();
    assert.match(linkTitle ?? "", /^(Link n1 ⇄ n3|Message \d+)/);
    await ctxt.close();
  });

  test("the frame budget warning appears when the world is slowed", async () => {
    const page = await openPage("index.html", { width: 1280, height: 800 });
    await onEl(page, (el) =>
      el.controller.newWorld({
        node_count: 9,
        clients: { count: 12 },
        workload: { enabled: true, rate_ops_per_s: 50 },
      }),
    );
    await onEl(page, (el) => {
      el.controller.setSpeed(100);
      el.controller.play();
    });
    const slow = page.locator("raft-playground .slow");
    await slow.waitFor({ state: "visible", timeout: 15_000 });
    assert.match((await slow.textContent()) ?? "", /^running at [\d.]+× \(requested 100×\)$/);
    await page.close();
  });

  test("no console errors", () => {
    assert.deepEqual(problems, []);
  });
});
