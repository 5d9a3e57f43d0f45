// The playground against the REAL Wasm, in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core). REQUIRES the built site in dist/ (dist/*.html, dist/web/src, dist/web/pkg,
// dist/scenarios): build it first. Skips, saying why, only when dist/web/pkg is missing.
// Screenshots of each state go to test-results/e2e-*.png — look at them.
//   node --test tests/e2e/playground.test.mjs

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  firstClusterFrameMs,
  onEl,
  openPlayground,
  probeFirstClusterFrame,
  sharedBrowser,
  until,
} from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
// RAFTLAB_DIST points at another built site (e.g. the fixture site from render-fixtures.mjs, to
// debug the test mechanics without the Wasm).
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const PKG = `${dist}web/pkg/raftlab_wasm.js`;
const missing = existsSync(PKG) ? null : `${PKG} is missing: build dist/ (scripts/build.sh) first`;
if (missing) console.log(`# SKIP playground e2e: ${missing}`);

/** The ready scenario (scenarios/*.json) test 6 prefers (a rule switched off, a monitor fires);
 * when it is absent, any scenario of that kind is used. */
const TOGGLE_SCENARIO = process.env.RAFTLAB_TOGGLE_SCENARIO ?? "toggle_figure8.json";

/** Real-time budget for "eventually" checks. */
const WAIT_MS = 15_000;

/** Console errors/warnings from every page, checked by the last test. */
const consoleProblems = [];

/**
 * Opens a page of the built site and waits until every <raft-playground> has drawn.
 * @param {string} path e.g. "index.html"
 * @param {{ width?: number, height?: number }} [size]
 */
const openPage = (path, size = {}) =>
  openPlayground(site.browser, site.url + path, {
    label: path,
    problems: consoleProblems,
    ...size,
  });

/** The element's current WorldView (fresh from the world, not the last drawn one). */
const view = (page, sel = "raft-playground") =>
  page.evaluate((s) => document.querySelector(s).handle.view(), sel);

/**
 * Pauses the world and processes events one at a time until `pred(view)` holds, then draws.
 * For transient states (a message in flight) that polling a running world can miss.
 */
async function stepUntil(page, pred, maxSteps = 100_000, sel = "raft-playground") {
  const steps = await page.evaluate(
    ([s, src, max]) => {
      const el = document.querySelector(s);
      const p = new Function("v", `return (${src})(v)`);
      el.controller.pause();
      for (let i = 0; i < max; i++) {
        if (p(el.handle.view())) {
          el.controller.redraw();
          return i;
        }
        if (!el.handle.step()) return -1;
      }
      return -1;
    },
    [sel, pred.toString(), maxSteps],
  );
  assert.ok(steps >= 0, `state reached within ${maxSteps} events`);
}

/** Predicate for `until` (serialized into the page, so self-contained). */
const hasLeader = (v) => v.nodes.some((n) => n.role === "leader" && !n.crashed);
const leaderOf = (v) => v.nodes.find((n) => n.role === "leader" && !n.crashed)?.id ?? null;
const shot = (page, name) => page.screenshot({ path: `${out}e2e-${name}.png`, fullPage: true });

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("playground in Chromium (needs dist/)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out });

  test("the page loads, draws a cluster and a leader is elected", async () => {
    const page = await openPage("index.html");
    assert.ok((await page.locator("raft-playground .node").count()) >= 3);
    await until(page, (v) => v.nodes.some((n) => n.role === "leader"));
    await onEl(page, (el) => el.controller.redraw());
    await shot(page, "leader-elected");
    await page.close();
  });

  test("clicking a message and Drop removes it from the view and from the world", async () => {
    const page = await openPage("index.html");
    await stepUntil(page, (v) => v.messages.some((m) => "node" in m.from && "node" in m.to));
    // Messages are drawn on a canvas: click where one is drawn (a real pointer click, hit-tested
    // by the page), then read which message the menu opened for (another may be drawn on top).
    const target = (await view(page)).messages.find((m) => "node" in m.from && "node" in m.to).id;
    const r = await onEl(page, (el, i) => el.controller.messageRect(i)?.toJSON() ?? null, target);
    assert.ok(r, "the message is drawn");
    await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
    const title = await page.locator("raft-playground .pop strong").textContent();
    const id = Number(/Message (\d+)/.exec(title ?? "")?.[1]);
    assert.ok(Number.isInteger(id), `a message menu opened (${title})`);
    await shot(page, "message-popover");
    await page.locator("raft-playground .pop button", { hasText: "Drop" }).click();
    const v = await view(page);
    assert.equal(
      v.messages.some((m) => m.id === id),
      false,
      "gone from the world",
    );
    await onEl(page, (el) => el.controller.redraw());
    assert.equal(
      await onEl(page, (el, i) => el.controller.messageRect(i), id),
      null,
      "gone from the view",
    );
    const actions = await onEl(page, (el) => el.handle.export_scenario().actions);
    assert.deepEqual(actions.at(-1).action, { type: "drop_message", id });
    await page.close();
  });

  test("partition and heal through the UI", async () => {
    const page = await openPage("index.html");
    await until(page, hasLeader);
    await page.locator("raft-playground button", { hasText: "Partition…" }).click();
    await page.locator('raft-playground .node[data-node="1"]').click();
    await page.locator('raft-playground .node[data-node="2"]').click();
    await page.locator("raft-playground button", { hasText: "Apply partition" }).click();
    let v = await view(page);
    assert.deepEqual(
      v.network.partition?.map((g) => [...g].sort()).sort(),
      [[1, 2], v.nodes.map((n) => n.id).filter((n) => n > 2)].sort(),
    );
    // Links across the groups are down, links within are up.
    const side = (n) => (n <= 2 ? "a" : "b");
    for (const l of v.network.links) assert.equal(l.up, side(l.from) === side(l.to));
    await until(page, (x) => x.now_us > 0);
    await shot(page, "partitioned");
    await page.locator("raft-playground button", { hasText: "Heal" }).click();
    v = await view(page);
    assert.equal(v.network.partition, null);
    assert.ok(v.network.links.every((l) => l.up));
    await onEl(page, (el) => el.controller.redraw());
    await shot(page, "healed");
    await page.close();
  });

  test("crashing the leader from the node menu leads to a new leader", async () => {
    const page = await openPage("index.html");
    await until(page, hasLeader);
    const old = leaderOf(await view(page));
    await page.locator(`raft-playground .node[data-node="${old}"]`).click();
    await page.locator("raft-playground .pop button", { hasText: "Crash" }).click();
    const crashed = (await view(page)).nodes.find((n) => n.id === old);
    assert.equal(crashed.crashed, true);
    assert.equal(crashed.role, null);
    await page.evaluate((o) => {
      window.__old = o;
    }, old);
    await until(page, (v) =>
      v.nodes.some((n) => n.role === "leader" && !n.crashed && n.id !== window.__old),
    );
    await onEl(page, (el) => el.controller.redraw());
    await shot(page, "new-leader-after-crash");
    // A live follower's menu offers leadership from the current leader (the view's `leader`).
    const after = await view(page);
    const follower = after.nodes.find((n) => n.role === "follower" && !n.crashed);
    assert.ok(after.leader !== null && after.leader !== old);
    await page.locator(`raft-playground .node[data-node="${follower.id}"]`).click();
    await page
      .locator("raft-playground .pop button", {
        hasText: `Transfer leadership n${after.leader} → n${follower.id}`,
      })
      .waitFor();
    await page.close();
  });

  test("a client write completes and appears in the history", async () => {
    const page = await openPage("index.html");
    await until(page, hasLeader);
    await page.locator("raft-playground select[id$='-op']").selectOption("put");
    await page.locator("raft-playground input[id$='-key']").fill("e2e");
    await page.locator("raft-playground input[id$='-val']").fill("written");
    await page.locator("raft-playground button", { hasText: "Send" }).click();
    await onEl(page, (el) => {
      el.controller.setSpeed(1);
      el.controller.play();
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector("raft-playground")
          .handle.history()
          .operations.some((o) => o.key === "e2e" && o.value === "written" && o.outcome === "ok"),
      null,
      { timeout: WAIT_MS },
    );
    await page.locator("raft-playground button", { hasText: "Check now" }).click();
    // The history panel is drawn on the next animation frame, not inside the click.
    await page.locator("raft-playground .op.o-ok").first().waitFor({ timeout: WAIT_MS });
    await shot(page, "client-write-in-history");
    await page.close();
  });

  test("a teaching toggle's scenario turns a monitor red; clicking it seeks there", async () => {
    // A ready scenario that breaks a rule on purpose (a Raft teaching toggle, or client
    // de-duplication off) and expects a monitor to fire; the named one first.
    const dir = `${dist}scenarios/`;
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    const teaches = (f) => {
      const sc = JSON.parse(readFileSync(dir + f, "utf8"));
      const toggled =
        Object.values(sc.config?.toggles ?? {}).some(Boolean) ||
        sc.config?.kv_dedup === false ||
        (sc.actions ?? []).some(
          (a) =>
            (a.action.type === "set_toggle" && a.action.on) ||
            (a.action.type === "set_dedup" && !a.action.on),
        );
      return toggled && (sc.expect ?? []).some((e) => e.type === "monitor_violated");
    };
    const pick = [TOGGLE_SCENARIO, ...files].find((f) => files.includes(f) && teaches(f));
    assert.ok(pick, `no scenario in ${dir} switches a rule off and expects a monitor to fire`);
    const page = await openPage(`embed.html?scenario=scenarios/${pick}&controls=full&autoplay=0`);
    await until(page, (v) => v.monitors.some((m) => m.violated), 10);
    await onEl(page, (el) => el.controller.redraw());
    await shot(page, `monitor-red-before-seek-${pick.replace(/\.json$/, "")}`);
    const bad = (await view(page)).monitors.find((m) => m.violated);
    await page.locator("raft-playground .mon.bad .mon-go").first().click();
    const v = await view(page);
    assert.equal(v.now_us, bad.first.time_us, "seeked to the violation");
    // Evidence is drawn on the next animation frame after the seek.
    await page.locator("raft-playground .node.evidence").first().waitFor({ timeout: WAIT_MS });
    await shot(page, `monitor-red-${pick.replace(/\.json$/, "")}`);
    await page.close();
  });

  test("a share link opened in a fresh page reproduces the same world (trace hash)", async () => {
    const page = await openPage("index.html");
    await until(page, hasLeader);
    const leader = leaderOf(await view(page));
    await onEl(page, (el, l) => el.controller.apply({ type: "crash", node: l }), leader);
    await until(page, (v) => v.now_us > 0, 1);
    await onEl(page, (el) => el.controller.apply({ type: "put", client: 1, key: "s", value: "1" }));
    await until(page, (v) => v.now_us > 0, 1);
    const [link, hash, now] = await onEl(page, async (el) => [
      await el.controller.shareLink(),
      el.handle.trace_hash(),
      el.handle.now_us(),
    ]);
    assert.match(link, /#s=[A-Za-z0-9_-]+$/);
    const fresh = await site.browser.newPage();
    fresh.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        consoleProblems.push(`share: ${m.text()}`);
    });
    await fresh.goto(link);
    await fresh.waitForFunction(() => {
      const c = document.querySelector("raft-playground")?.controller;
      return c && !c.replaying;
    });
    const [hash2, now2] = await onEl(fresh, (el) => [el.handle.trace_hash(), el.handle.now_us()]);
    assert.equal(now2, now);
    assert.equal(hash2, hash);
    await shot(fresh, "share-link-replayed");
    await fresh.close();
    await page.close();
  });

  test("the demo post shows three working embeds", async () => {
    const page = await openPage("post.html", { width: 900, height: 1200 });
    const n = await page.locator("raft-playground").count();
    assert.equal(n, 3);
    for (let i = 0; i < n; i++) {
      const nodes = await page.evaluate(
        (k) => document.querySelectorAll("raft-playground")[k].view().nodes.length,
        i,
      );
      assert.ok(nodes >= 3, `embed ${i} draws a cluster`);
    }
    await shot(page, "demo-post");
    await page.close();
  });

  test("a cluster frame is drawn soon after load (figure printed; the benchmark is bench-frame.mjs)", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1366, height: 900 } });
    await probeFirstClusterFrame(page);
    await page.goto(`${site.url}index.html`);
    const ms = await firstClusterFrameMs(page);
    console.log(`# first cluster frame: ${ms.toFixed(0)} ms after navigation start`);
    await page.close();
  });

  test("no console errors or warnings on any page", () => {
    assert.deepEqual(consoleProblems, []);
  });
});
