// Recording an exercise in the page, in headless Chromium against the real Wasm: a world is
// played, a partition applied, the goal "two leaders at once" and two rules picked in the
// Record panel, and the saved exercise.json and solution.json graded in Node by the Wasm
// grader (the CLI's): the recorded actions pass, no actions fail. REQUIRES dist/.
//   node --test tests/e2e/record.test.mjs
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Playground } from "../node/wasm.mjs";
import { openPlayground, sharedBrowser, until } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}index.html`) ? null : "dist/ is missing: run scripts/build.sh";
if (missing) console.log(`# SKIP record e2e: ${missing}`);

const problems = [];

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("recording an exercise in the page (Chromium, real Wasm)", {
  skip: missing ?? false,
}, () => {
  site = sharedBrowser({ dist, out, problems });

  test("a partition recorded as a split-brain exercise; the grader passes the recording", async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html`, {
      label: "record",
      problems,
      height: 1400,
      prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "en")),
    });
    // CheckQuorum off: the leader cut off in the minority keeps leading (split brain).
    await page.evaluate(() =>
      document.querySelector("raft-playground").controller.newWorld({ check_quorum: false }, 7),
    );
    await until(page, (v) => v.leader !== null, 4);
    // The leader and one follower on one side, the other three on the other.
    await page.evaluate(() => {
      const c = document.querySelector("raft-playground").controller;
      c.pause();
      const v = c.view();
      const other = v.nodes.map((n) => n.id).filter((n) => n !== v.leader);
      const a = [v.leader, other[0]];
      if (!c.apply({ type: "partition", groups: [a, other.slice(1)] })) throw new Error("refused");
      c.seek(c.handle.now_us() + 3_000_000);
    });
    const sec = page.locator("raft-playground details", { hasText: "Record an exercise" });
    await sec.locator("summary").click();
    await sec.locator("input[id$=-rtitle]").fill("Split brain by partition");
    await sec.locator("select[id$=-rgoal]").selectOption("leaders_at_once");
    await sec.locator("input[id$=-rval]").fill("2");
    await sec.locator("input[id$=-ronly]").check();
    await sec.locator("input[id$=-rmax]").fill("1");
    const files = new Map();
    page.on("download", async (d) => files.set(d.suggestedFilename(), await d.path()));
    await sec.locator("button", { hasText: "Save exercise.json" }).click();
    await page.waitForFunction(() =>
      /pass/.test(
        document.querySelector("raft-playground").shadowRoot.querySelector(".record p[aria-live]")
          ?.textContent ?? "",
      ),
    );
    const said = await page.evaluate(
      () =>
        document.querySelector("raft-playground").shadowRoot.querySelector(".record p[aria-live]")
          .textContent,
    );
    assert.match(said, /^The actions taken pass/);
    await page.screenshot({ path: `${out}record-en.png`, fullPage: true });
    for (let i = 0; i < 50 && files.size < 2; i++) await page.waitForTimeout(100);
    assert.deepEqual([...files.keys()].sort(), ["exercise.json", "solution.json"]);
    const exercise = JSON.parse(readFileSync(files.get("exercise.json"), "utf8"));
    const solution = JSON.parse(readFileSync(files.get("solution.json"), "utf8"));
    assert.deepEqual(exercise.goal, [{ type: "leaders_at_once", count_min: 2 }]);
    assert.deepEqual(exercise.constraints, { actions_allowed: ["partition"], actions_max: 1 });
    const g = Playground.grade(exercise, solution);
    assert.equal(g.passed, true, JSON.stringify(g.reasons));
    const none = Playground.grade(exercise, { actions: [] });
    assert.equal(none.passed, false);
    assert.equal(none.failures[0].code, "goal_not_met");
    await page.close();
  });
});
