// The lesson player in headless Chromium against the real Wasm: one lesson walked end to end in
// English and one in Chinese with a screenshot of every step (test-results/lesson-*.png — look
// at them), the exercises solved and failed through the page, the language switch remembered,
// and the page's grader giving the CLI's answers. REQUIRES dist/ (scripts/build.sh).
//   node --test tests/e2e/lessons.test.mjs
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { openPlayground, sharedBrowser } from "./browser.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dist = `${root}dist/`;
const out = `${root}test-results/`;
const missing = existsSync(`${dist}lessons/index.json`)
  ? null
  : "dist/lessons is missing: build dist/ (scripts/build.sh) first";
if (missing) console.log(`# SKIP lessons e2e: ${missing}`);
const cli = ["target/ci/raftlab", "target/release/raftlab", "target/debug/raftlab"]
  .map((p) => join(root, p))
  .find(existsSync);

const problems = [];

/** The lesson player's state as the page sees it. */
const state = (page) =>
  page.evaluate(() => {
    const el = document.querySelector("raft-playground");
    const c = el.controller;
    const q = (s) => el.shadowRoot.querySelector(s);
    return {
      at: c.lesson.at,
      now_us: c.handle.now_us(),
      playing: c.playing,
      title: q(".ltitle")?.textContent,
      text: q(".ltext")?.textContent,
      counter: q(".lcount")?.textContent,
      next: q(".lnav button:nth-of-type(2)")?.textContent,
      success: q(".exsuccess")?.hidden === false ? q(".exsuccess").textContent : null,
      reasons: q(".exreasons")?.hidden === false ? q(".exreasons").textContent : null,
      goals: q(".exercise .expects")?.textContent,
      graded: !!c.lesson.exercise.grade,
      sections: [...el.shadowRoot.querySelectorAll("summary")].map((s) => s.textContent),
    };
  });

/** Clicks the player's button whose text is `label` (Back / Next / Start over ...). */
const click = (page, label) =>
  page.locator("raft-playground .lesson button", { hasText: label }).first().click();

/** Pauses, applies each action at its time through the page (the player then rebuilds the
 * exercise's world with its schedule kept), then moves to `to_us`. */
const act = (page, actions, to_us) =>
  page.evaluate(
    async ([list, end]) => {
      const c = document.querySelector("raft-playground").controller;
      c.pause();
      for (const a of list) {
        c.seek(a.at_us);
        const before = c.handle;
        if (!c.apply(a.action)) throw new Error(`refused: ${JSON.stringify(a)}`);
        while (c.handle === before) await new Promise((r) => setTimeout(r, 10));
      }
      c.seek(end);
    },
    [actions, to_us],
  );

/** Waits until the exercise box has a grade for the latest action log and has drawn it. */
async function settled(page) {
  await page.waitForFunction(
    () => document.querySelector("raft-playground").controller.lesson.exercise.grade,
  );
  await page.waitForTimeout(300);
  await page.evaluate(() => document.querySelector("raft-playground").controller.redraw());
}

/** Walks the open lesson from step 1 to its exercise, a screenshot per step. */
async function walk(page, id, lang) {
  const lesson = JSON.parse(readFileSync(`${dist}lessons/${id}/lesson.json`, "utf8"));
  const text = JSON.parse(readFileSync(`${dist}lessons/${id}/${lang}.json`, "utf8"));
  for (let k = 0; k < lesson.steps.length; k++) {
    const s = await state(page);
    assert.deepEqual(s.at, { id, step: k, steps: lesson.steps.length });
    assert.equal(s.title, text.title);
    // The step's text as the browser reads the build's HTML.
    const plain = await page.evaluate((html) => {
      const d = document.createElement("div");
      d.innerHTML = html;
      return d.textContent;
    }, text.steps[k]);
    assert.equal(s.text, plain);
    const step = lesson.steps[k];
    if (!step.exercise && !step.play)
      assert.equal(s.now_us, step.at_us, `step ${k + 1} shows its moment`);
    assert.equal(new URL(page.url()).hash, `#lesson=${id}&step=${k + 1}`);
    await page.screenshot({ path: `${out}lesson-${lang}-${id}-${k + 1}.png` });
    if (k < lesson.steps.length - 1) await click(page, lang === "zh" ? "下一步" : "Next");
    await page.waitForFunction(
      (n) => document.querySelector("raft-playground").controller.lesson.at?.step === n,
      k + 1 === lesson.steps.length ? k : k + 1,
    );
  }
}

/** Chromium and the server, once the suite has started. */
/** @type {ReturnType<typeof sharedBrowser>} */
let site;

describe("lessons in the page (Chromium, real Wasm)", { skip: missing ?? false }, () => {
  site = sharedBrowser({ dist, out });

  test("English: the partitions lesson end to end, its exercise solved through the page", async () => {
    const page = await openPlayground(
      site.browser,
      `${site.url}index.html#lesson=partitions&step=1`,
      {
        label: "lesson en",
        problems,
        width: 1280,
        height: 800,
      },
    );
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.lesson.at,
    );
    const s = await state(page);
    assert.equal(s.counter, "Step 1 of 5");
    assert.ok(s.sections.includes("Logs"), s.sections.join());
    await walk(page, "partitions", "en");
    // Back goes back, to the same world as before (reproduced from the seed).
    await click(page, "Back");
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.lesson.at.step === 3,
    );
    await click(page, "Next");
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.lesson.at.step === 4,
    );
    await settled(page);
    assert.equal((await state(page)).success, null, "not solved before acting");
    const sol = JSON.parse(readFileSync(`${root}lessons/partitions/solution.json`, "utf8"));
    await act(page, sol.actions, 3_000_000);
    await settled(page);
    const done = await state(page);
    assert.match(done.success ?? "", /^Solved! Split brain/);
    await page.screenshot({ path: `${out}lesson-en-partitions-solved.png` });
    await page.close();
  });

  test("Chinese: the safety lesson end to end, a wrong answer told why, then solved", async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html#lesson=safety&step=1`, {
      label: "lesson zh",
      problems,
      width: 1280,
      height: 800,
      prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "zh")),
    });
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.lesson.at,
    );
    const s = await state(page);
    assert.equal(s.counter, "第 1 步，共 5 步");
    assert.equal(s.next, "下一步 ▶");
    assert.ok(s.sections.includes("日志"), s.sections.join());
    await walk(page, "safety", "zh");
    await settled(page);
    const wrong = JSON.parse(readFileSync(`${root}lessons/safety/wrong.json`, "utf8"));
    await act(page, wrong.actions, 1_000_000);
    await settled(page);
    const failed = await state(page);
    assert.equal(failed.success, null);
    // Worded in Chinese from the grader's code, with the exercise's own words for the goal.
    assert.match(failed.reasons ?? "", /^还没有解决：• 目标未达成：没有任何安全性监视器报警（/);
    assert.match(failed.goals, /^… 尚未达成: 没有任何安全性监视器报警$/);
    await page.screenshot({ path: `${out}lesson-zh-safety-wrong.png` });
    await click(page, "重新开始");
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.handle.now_us() === 0,
    );
    const sol = JSON.parse(readFileSync(`${root}lessons/safety/solution.json`, "utf8"));
    await act(page, sol.actions, 1_000_000);
    await settled(page);
    assert.match((await state(page)).success ?? "", /^解决了！/);
    await page.screenshot({ path: `${out}lesson-zh-safety-solved.png` });
    await page.close();
  });

  test("a challenge solved through the page shows its score", async () => {
    const page = await openPlayground(
      site.browser,
      `${site.url}index.html#lesson=break-safety&step=4`,
      { label: "challenge", problems, width: 1280, height: 800 },
    );
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.lesson.at,
    );
    await settled(page);
    const sol = JSON.parse(readFileSync(`${root}lessons/break-safety/solution.json`, "utf8"));
    await act(page, sol.actions, 1_500_000);
    await settled(page);
    assert.match(
      (await state(page)).success ?? "",
      /^Solved! Safety broken: .* Score: 3 actions\.$/,
    );
    await page.screenshot({ path: `${out}lesson-en-challenge-solved.png` });
    await page.close();
  });

  test("Chinese: the leader-crash lesson, one world per stage, its exercise failed then solved", async () => {
    const page = await openPlayground(
      site.browser,
      `${site.url}index.html#lesson=leader-crash&step=1`,
      {
        label: "lesson leader-crash",
        problems,
        width: 1280,
        height: 800,
        prepare: (p) => p.addInitScript(() => localStorage.setItem("raftlab:lang", "zh")),
      },
    );
    await page.waitForFunction(
      () => document.querySelector("raft-playground").controller.lesson.at,
    );
    /** Per node, the number of entries in its log (the world the step shows). */
    const logs = () =>
      page.evaluate(() =>
        document
          .querySelector("raft-playground")
          .controller.handle.view({ log_tail: 8 })
          .nodes.map((n) => n.log.length),
      );
    // Each stage's world, as its scenario leaves the logs at 160 ms (n1 crashed).
    const expected = [
      [1, 1, 1, 1, 1],
      [2, 1, 1, 1, 1],
      [2, 2, 1, 1, 1],
      [2, 2, 2, 2, 2],
      [2, 2, 2, 2, 2],
    ];
    for (const [k, want] of expected.entries()) {
      await page.evaluate(
        (n) => document.querySelector("raft-playground").controller.lesson.open("leader-crash", n),
        k,
      );
      assert.deepEqual(await logs(), want, `step ${k + 1}`);
    }
    await page.evaluate(() =>
      document.querySelector("raft-playground").controller.lesson.open("leader-crash", 0),
    );
    await walk(page, "leader-crash", "zh");
    await settled(page);
    const wrong = JSON.parse(readFileSync(`${root}lessons/leader-crash/wrong.json`, "utf8"));
    await act(page, wrong.actions, 3_000_000);
    await settled(page);
    const failed = await state(page);
    assert.equal(failed.success, null);
    assert.match(failed.reasons ?? "", /^还没有解决：• 目标未达成：条目 2/);
    await click(page, "重新开始");
    await settled(page);
    const sol = JSON.parse(readFileSync(`${root}lessons/leader-crash/solution.json`, "utf8"));
    await act(page, sol.actions, 3_000_000);
    await settled(page);
    assert.match((await state(page)).success ?? "", /^解决了！ 新领袖拥有这个条目/);
    await page.screenshot({ path: `${out}lesson-zh-leader-crash-solved.png` });
    await page.close();
  });

  test("the language switch relabels the page and is remembered", async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html`, {
      label: "lang switch",
      problems,
    });
    await page.waitForFunction(
      () => !document.querySelector("raft-playground").shadowRoot.querySelector(".lesson").hidden,
    );
    await page.locator("raft-playground .lesson select").nth(1).selectOption("zh");
    assert.ok((await state(page)).sections.includes("日志"));
    assert.equal(await page.evaluate(() => localStorage.getItem("raftlab:lang")), "zh");
    await page.reload();
    await page.waitForFunction(() => document.querySelector("raft-playground")?.controller);
    assert.ok((await state(page)).sections.includes("日志"));
    await page.close();
  });

  test("the page's grader gives the CLI's answers for every exercise", {
    skip: cli ? false : "the CLI is not built",
  }, async () => {
    const page = await openPlayground(site.browser, `${site.url}index.html`, {
      label: "grade",
      problems,
    });
    const ids = readdirSync(`${root}lessons`).filter((d) =>
      existsSync(`${root}lessons/${d}/exercise.json`),
    );
    assert.ok(ids.length >= 6);
    for (const id of ids) {
      for (const file of ["solution.json", "wrong.json"]) {
        const dir = `${root}lessons/${id}`;
        let native;
        try {
          native = JSON.parse(
            execFileSync(cli, ["grade", `${dir}/exercise.json`, `${dir}/${file}`], {
              encoding: "utf8",
            }),
          );
        } catch (e) {
          native = JSON.parse(e.stdout);
        }
        const inPage = await page.evaluate(
          async ([ex, sub]) => (await import("./web/src/index.js")).grade(ex, sub),
          [
            JSON.parse(readFileSync(`${dir}/exercise.json`, "utf8")),
            JSON.parse(readFileSync(`${dir}/${file}`, "utf8")),
          ],
        );
        assert.deepEqual(inPage, native, `${id}/${file}`);
        assert.equal(inPage.passed, file === "solution.json");
      }
    }
    await page.close();
  });

  test("the demo post embeds steps 2-4 of a lesson, with its step controls", async () => {
    const page = await openPlayground(site.browser, `${site.url}post.html`, {
      label: "post lesson embed",
      problems,
      width: 900,
      height: 1200,
    });
    const sel = 'raft-playground[lesson="partitions"]';
    await page.waitForFunction((s) => document.querySelector(s).controller.lesson.at, sel);
    const at = () =>
      page.evaluate((s) => {
        const el = document.querySelector(s);
        const q = (x) => el.shadowRoot.querySelector(x);
        return {
          step: el.controller.lesson.at.step,
          counter: q(".lcount").textContent,
          back: q(".lnav button").disabled,
          next: q(".lnav button:nth-of-type(2)").disabled,
          picker: q(".lesson select").checkVisibility(),
          now_us: el.handle.now_us(),
        };
      }, sel);
    assert.deepEqual(await at(), {
      step: 1,
      counter: "Step 1 of 3",
      back: true,
      next: false,
      picker: false,
      now_us: 1_100_000,
    });
    const next = page.locator(`${sel} .lnav button`, { hasText: "Next" });
    await next.click();
    await next.click();
    await page.waitForFunction(
      (s) => document.querySelector(s).controller.lesson.at.step === 3,
      sel,
    );
    const last = await at();
    assert.equal(last.counter, "Step 3 of 3");
    assert.equal(last.next, true, "the embed ends at step 4");
    await page.locator(sel).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}lesson-post-embed.png` });
    await page.close();
  });

  test("no console errors or warnings", () => {
    assert.deepEqual(problems, []);
  });
});
