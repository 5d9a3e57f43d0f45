// A course grader in Node: load each ready scenario, run it with the Wasm, and check its
// expectations — the same verdicts `raftlab run` gives natively. And the exercise grader's
// reasons as data: every code worded by the page in English exactly as the grader's own line,
// and in Chinese with none of the English template left.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { STRINGS } from "../../web/src/i18n.js";
import { describeReason } from "../../web/src/reasons.js";
import { REASON_CODES } from "../../web/src/vocab.js";
import { run_scenario as runCapScenario } from "./cap-wasm.mjs";
import { Playground } from "./wasm.mjs";

const dir = new URL("../../scenarios/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("grading the ready scenarios in Node", () => {
  it("there are ready scenarios", () => assert.ok(files.length >= 7));
  for (const file of files) {
    it(file, () => {
      const scenario = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
      // The AP store's scenarios run in the CAP page's module (the playground's has no AP).
      const summary = scenario.config?.ap
        ? runCapScenario(scenario)
        : Playground.run_scenario(scenario);
      assert.equal(summary.expectations.length, scenario.expect.length);
      for (const e of summary.expectations) {
        assert.ok(e.ok, `${file}: expectation failed: ${JSON.stringify(e)}`);
      }
    });
  }

  it("split brain: convergence is not settled during the partition and ok after the heal", () => {
    const scenario = JSON.parse(readFileSync(new URL("split_brain.json", dir), "utf8"));
    const p = Playground.from_scenario(scenario);
    p.advance(2_400_000);
    const during = p.check().convergence;
    assert.equal(during.settled, false);
    assert.equal(during.verdict, "unknown");
    assert.match(during.reason, /^not settled: /);
    p.advance(scenario.duration_us - 2_400_000);
    const after = p.check().convergence;
    assert.equal(after.settled, true);
    assert.equal(after.verdict, "ok");
    p.free();
  });

  it("a grader sees a failed expectation when the scenario does not show it", () => {
    const scenario = JSON.parse(readFileSync(new URL("split_brain.json", dir), "utf8"));
    // Claim that no leader was ever elected: the grader must mark it failed.
    scenario.expect = [{ type: "leaders_at", at_us: scenario.duration_us, count: 0 }];
    const summary = Playground.run_scenario(scenario);
    assert.equal(summary.expectations[0].ok, false);
  });
});

describe("the exercise grader's reasons in both languages", () => {
  const lessons = new URL("../../lessons/", import.meta.url);
  const read = (/** @type {string} */ f) => JSON.parse(readFileSync(new URL(f, lessons), "utf8"));
  /** Every failure of every lesson's wrong submission, and of a few made-up ones. */
  const failures = [];
  for (const id of readdirSync(lessons)) {
    if (!existsSync(new URL(`${id}/exercise.json`, lessons))) continue;
    const ex = read(`${id}/exercise.json`);
    const subs = [
      read(`${id}/wrong.json`),
      { seed: ex.scenario.seed + 1, actions: [] },
      { actions: [{ at_us: ex.scenario.duration_us + 1, action: { type: "heal" } }] },
      // Many crashes of one node: refused ones, broken "at most" rules.
      {
        actions: [1, 2, 3].map((k) => ({ at_us: 1000 * k, action: { type: "crash", node: 1 } })),
      },
    ];
    for (const sub of subs) {
      const g = Playground.grade(ex, sub);
      assert.equal(g.failures.length, g.reasons.length);
      for (const [i, r] of g.failures.entries()) failures.push({ id, ex, r, line: g.reasons[i] });
    }
  }

  it("each failure is one code of the vocabulary with the parameters it names", () => {
    assert.ok(failures.length > 10);
    for (const { r } of failures) assert.ok(REASON_CODES.includes(r.code), r.code);
    const seen = new Set(failures.map((f) => f.r.code));
    for (const code of ["goal_not_met", "seed_mismatch", "submission_unfit", "too_many_actions"])
      assert.ok(seen.has(code), `a ${code} failure is seen`);
  });

  it("the page's English is the grader's line, word for word", () => {
    for (const { r, line } of failures) assert.equal(describeReason("en", r), line);
  });

  it("the page's Chinese leaves no English template and uses the exercise's goal words", () => {
    for (const { ex, r } of failures) {
      const zh = describeReason("zh", r, ex);
      const en = STRINGS.en[`reason_${r.code}`].split(/\{\w+\}/)[0];
      if (en.trim()) assert.ok(!zh.includes(en.trim()), `${zh} keeps "${en}"`);
      if (r.code === "goal_not_met" && ex.goal_text?.zh)
        assert.ok(zh.includes(ex.goal_text.zh[r.index]), zh);
    }
  });
});
