// The scenario picker of the full playground (index.html), against the REAL Wasm in headless
// Chromium. REQUIRES the built site in dist/ (scripts/build.sh, which also writes
// dist/scenarios/index.json); skips, saying why, when it is missing.
// Screenshots: test-results/e2e-scenario-*.png — look at them.
//   node --test tests/e2e/scenarios.test.mjs

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { openPlayground, seekUntil, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = process.env.RAFTLAB_DIST ?? `${root}dist/`;
const out = `${root}test-results/`;
const INDEX = `${dist}scenarios/index.json`;
const missing = existsSync(`${dist}web/pkg/raftlab_wasm.js`)
  ? existsSync(INDEX)
    ? null
    : `${INDEX} is missing: rebuild dist/ (scripts/build.sh)`
  : `${dist}web/pkg/raftlab_wasm.js is missing: build dist/ (scripts/build.sh) first`;
if (missing) console.log(`# SKIP scenario picker e2e: ${missing}`);

/** Console errors/warnings (and uncaught errors) of every page. */
const problems = [];

/** @param {string} path @param {(p: import("playwright-core").Page) => Promise<unknown>} [prepare] */
const openPage = (path, prepare) =>
  openPlayground(site.browser, site.url + path, { label: path, problems, prepare });

const shot = (page, name) =>
  page.screenshot({ path: `${out}e2e-scenario-${name}.png`, fullPage: true });
const picker = (page) => page.locator("raft-playground select#rl1-scenario");
const note = (page) => page.locator("raft-playground .scennote");

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("scenario picker (needs dist/ with scenarios/index.json)", {
  skip: missing ?? false,
}, () => {
  site = sharedBrowser({ dist, out });

  test("index.json lists every ready scenario in teaching order, with descriptions", () => {
    const index = JSON.parse(readFileSync(INDEX, "utf8"));
    const files = index.map((e) => e.file);
    assert.ok(files.length >= 3);
    for (const e of index) {
      assert.equal(typeof e.title, "string");
      const sc = JSON.parse(readFileSync(`${dist}scenarios/${e.file}`, "utf8"));
      assert.equal(e.description, sc.description ?? "");
    }
    const at = (f) => files.indexOf(f);
    if (at("leader_crash_after_partial_replication.json") >= 0 && at("split_brain.json") >= 0)
      assert.ok(at("leader_crash_after_partial_replication.json") < at("split_brain.json"));
    if (at("split_brain.json") >= 0 && at("toggle_figure8.json") >= 0)
      assert.ok(at("split_brain.json") < at("toggle_figure8.json"));
  });

  test("picking toggle_figure8 loads it, shows its description, plays, turns a monitor red", async () => {
    const index = JSON.parse(readFileSync(INDEX, "utf8"));
    const page = await openPage("index.html");
    const sel = picker(page);
    await sel.waitFor({ state: "visible" });
    assert.equal(
      await page.locator("raft-playground label[for=rl1-scenario]").textContent(),
      "Scenarios",
    );
    const options = await sel.locator("option").allInnerTexts();
    assert.deepEqual(options, ["Free play", ...index.map((e) => e.title)]);
    assert.equal(await note(page).isVisible(), false, "no description in free play");

    await sel.selectOption("toggle_figure8.json");
    const fig8 = JSON.parse(readFileSync(`${dist}scenarios/toggle_figure8.json`, "utf8"));
    await note(page).waitFor({ state: "visible" });
    assert.equal(await note(page).locator("p").textContent(), fig8.description);
    const w = await page.evaluate(() => {
      const el = document.querySelector("raft-playground");
      return { seed: el.handle.seed(), config: el.handle.config(), playing: el.controller.playing };
    });
    assert.equal(w.seed, fig8.seed, "the scenario's world replaced the free one");
    assert.equal(w.config.node_count, fig8.config.node_count);
    assert.equal(w.config.election_timeout_us_min, fig8.config.election_timeout_us_min);
    assert.equal(w.playing, true, "autoplays");
    // The states below are found in virtual time (seekUntil), not by playing for a while: on
    // a loaded machine a long frame can play past a state that lasts a moment.
    assert.notEqual(await seekUntil(page, (v) => v.monitors.some((m) => m.violated)), null);
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    const bad = await page.evaluate(() =>
      document
        .querySelector("raft-playground")
        .view()
        .monitors.filter((m) => m.violated)
        .map((m) => m.monitor),
    );
    assert.ok(bad.length >= 1);
    assert.ok((await page.locator("raft-playground .mon.bad").count()) >= 1, "a red monitor");
    await shot(page, "figure8");

    // Split brain: two nodes believe they lead at once, in different terms.
    await sel.selectOption("split_brain.json");
    const sb = JSON.parse(readFileSync(`${dist}scenarios/split_brain.json`, "utf8"));
    // Both scenarios have seed 1: the description (written once the world is replaced) and
    // the election timeouts tell them apart.
    await note(page).locator("strong", { hasText: "Split brain" }).waitFor();
    assert.equal(await note(page).locator("p").textContent(), sb.description);
    assert.equal(
      await page.evaluate(
        () => document.querySelector("raft-playground").handle.config().election_timeout_us_min,
      ),
      sb.config.election_timeout_us_min,
    );
    assert.notEqual(
      await seekUntil(
        page,
        (v) => v.nodes.filter((n) => n.role === "leader" && !n.crashed).length >= 2,
      ),
      null,
      "two leaders at once",
    );
    const leaders = await page.evaluate(() =>
      document
        .querySelector("raft-playground")
        .handle.view()
        .nodes.filter((n) => n.role === "leader" && !n.crashed)
        .map((n) => n.term),
    );
    assert.ok(leaders.length >= 2 && new Set(leaders).size >= 2, `leaders' terms ${leaders}`);
    // Once each side has a write, the minority's entry is drawn as doomed (the newer leader
    // will overwrite it: the view says so per entry).
    assert.notEqual(
      await seekUntil(page, (v) => v.nodes.some((n) => n.log.some((e) => e.overwritten))),
      null,
      "an entry that will be overwritten",
    );
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    const doomed = page.locator("raft-playground .logs .cell.conflict:not(.sw)");
    assert.ok((await doomed.count()) >= 1, "an entry drawn as to be overwritten");
    assert.match((await doomed.first().getAttribute("title")) ?? "", /will be overwritten/);
    await shot(page, "split-brain");

    // The description is dismissible; Free play returns to a fresh default world.
    await note(page).locator("button").click();
    assert.equal(await note(page).isVisible(), false);
    await page.evaluate(() => {
      globalThis.splitBrainHandle = document.querySelector("raft-playground").handle;
    });
    await sel.selectOption("");
    await page.waitForFunction(
      () => document.querySelector("raft-playground").handle !== globalThis.splitBrainHandle,
    );
    const free = await page.evaluate(() => {
      const v = document.querySelector("raft-playground").handle.view();
      return { nodes: v.nodes.length, violated: v.monitors.some((m) => m.violated) };
    });
    assert.equal(free.violated, false);
    assert.equal(await note(page).isVisible(), false);
    // Keyboard: the picker is reachable and changes with the arrow keys.
    await sel.focus();
    await page.keyboard.press("ArrowDown");
    await note(page).waitFor({ state: "visible" });
    assert.equal(await sel.inputValue(), index[0].file);
    await page.close();
  });

  test("snapshot_install_after_partition draws compacted prefixes and an InstallSnapshot", async () => {
    const page = await openPage("index.html");
    const sel = picker(page);
    await sel.waitFor({ state: "visible" });
    await sel.selectOption("snapshot_install_after_partition.json");
    await note(page).locator("strong", { hasText: "Snapshot install" }).waitFor();
    // Just after the heal: the leader's InstallSnapshot to n3 is in flight.
    assert.notEqual(
      // 1 ms steps: it is in flight for the 2 ms of the link's latency.
      await seekUntil(page, (v) => v.messages.some((m) => m.kind === "install_snapshot"), {
        step_us: 1_000,
        until_us: 4_000_000,
      }),
      null,
      "an InstallSnapshot in flight",
    );
    const m = await page.evaluate(() =>
      document
        .querySelector("raft-playground")
        .handle.view()
        .messages.find((x) => x.kind === "install_snapshot"),
    );
    assert.ok(m.snapshot.last_included_index > 0 && m.snapshot.size_bytes > 0);
    await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
    const compacted = page.locator("raft-playground .logs .cell.compacted:not(.sw)");
    assert.ok((await compacted.count()) >= 1, "a compacted prefix drawn");
    assert.match(
      (await compacted.first().getAttribute("title")) ?? "",
      /compacted into the snapshot/,
    );
    await shot(page, "snapshot-install");
    await page.close();
  });

  test("without an index the picker is hidden and nothing is logged", async () => {
    // Conditions, not sleeps: two frames after the playground has drawn (embed) or after the
    // index's answer arrived (index.html), the picker has decided.
    const frames = (/** @type {import("playwright-core").Page} */ p) =>
      p.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(0)))),
      );
    // embed.html has no scenarios attribute: no picker, no request.
    /** @type {string[]} */
    const asked = [];
    const embed = await openPage("embed.html?controls=full&autoplay=0", async (p) =>
      p.on("request", (r) => r.url().includes("index.json") && asked.push(r.url())),
    );
    await embed.locator("raft-playground .node").first().waitFor();
    await frames(embed);
    assert.equal(await embed.locator("raft-playground .scenpick").isVisible(), false);
    assert.deepEqual(asked, [], "no index requested");
    await embed.close();
    // index.html whose index is gone: the picker stays hidden, the playground works.
    /** @type {() => void} */
    let answered = () => {};
    const answer = new Promise((r) => {
      answered = () => r(0);
    });
    const page = await openPage("index.html", (p) =>
      p.route("**/scenarios/index.json", async (r) => {
        await r.fulfill({ status: 200, body: "not json" });
        answered();
      }),
    );
    await answer;
    await frames(page);
    assert.equal(await page.locator("raft-playground .scenpick").isVisible(), false);
    assert.ok((await page.locator("raft-playground .node").count()) >= 3);
    await page.close();
  });

  test("no console errors or warnings", () => {
    assert.deepEqual(problems, []);
  });
});
