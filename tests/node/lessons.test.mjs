// The lessons and their exercises against the real Wasm in Node: every lesson has both
// languages with one text per step, the page's string table has every label in both languages,
// each lesson's scenario meets its expectations headlessly, and each exercise accepts its
// recorded solution and rejects the recorded wrong one — with the same answer as
// `raftlab grade` (the CLI, when it is built).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LESSON_LANGS, readLesson, readLessons, splitLessonText } from "../../scripts/lessons.mjs";
import { isLang, LANGS, langFromTag, STRINGS, t } from "../../web/src/i18n.js";
import { lessonFragment, lessonFromFragment } from "../../web/src/lessons.js";
import { Playground } from "./wasm.mjs";

const root = new URL("../../", import.meta.url).pathname;
const lessonsDir = join(root, "lessons");
const lessons = readLessons(lessonsDir, root);
const cli = ["target/ci/raftlab", "target/release/raftlab", "target/debug/raftlab"]
  .map((p) => join(root, p))
  .find(existsSync);

/** `raftlab grade` on two files; null when the CLI is not built. */
function cliGrade(exercise, submission) {
  if (!cli) return null;
  try {
    return JSON.parse(execFileSync(cli, ["grade", exercise, submission], { encoding: "utf8" }));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout); // exit 1: did not pass; the grade is printed
    throw e;
  }
}

describe("the page's strings", () => {
  it("every label exists, non-empty, in every language", () => {
    assert.deepEqual(
      LANGS.map(([c]) => c),
      LESSON_LANGS,
    );
    const keys = Object.keys(STRINGS.en).sort();
    for (const [lang] of LANGS) {
      assert.deepEqual(Object.keys(STRINGS[lang]).sort(), keys, `${lang}: same keys as en`);
      for (const k of keys) assert.ok(STRINGS[lang][k].trim(), `${lang}.${k} is empty`);
    }
  });

  it("every label the page asks for is in the table", () => {
    /** @param {string} dir @returns {string[]} */
    const files = (dir) =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith(".js")
            ? [join(dir, e.name)]
            : [],
      );
    const used = new Set();
    for (const f of files(join(root, "web/src"))) {
      for (const m of readFileSync(f, "utf8").matchAll(/\bt\([^,()]+, "([a-z_]+)"/g))
        used.add(m[1]);
      for (const m of readFileSync(f, "utf8").matchAll(/section\("([a-z_]+)"/g)) used.add(m[1]);
    }
    assert.ok(used.size >= 20, `found ${used.size} labels in use`);
    for (const k of used) assert.ok(k in STRINGS.en, `label ${k} is used but not declared`);
  });

  it("fills holes, and picks a language from a browser tag", () => {
    assert.equal(t("zh", "step_of", { n: 2, m: 5 }), "第 2 步，共 5 步");
    assert.equal(t("en", "step_of", { n: 2, m: 5 }), "Step 2 of 5");
    assert.equal(langFromTag("zh-CN"), "zh");
    assert.equal(langFromTag("zh-Hant-TW"), "zh");
    assert.equal(langFromTag("en-GB"), "en");
    assert.equal(langFromTag("fr"), "en");
    assert.equal(langFromTag(undefined), "en");
    assert.ok(isLang("zh") && !isLang("de"));
  });
});

describe("the lessons", () => {
  it("there are at least six, in the article's order", () => {
    assert.ok(lessons.length >= 6, `${lessons.length} lessons`);
    const orders = lessons.map((l) => l.order);
    assert.deepEqual(
      orders,
      [...new Set(orders)].sort((a, b) => a - b),
    );
  });

  it("a text without a step for each step is refused, naming the file", () => {
    assert.throws(
      () => splitLessonText("no title\n---\nstep", "lessons/x/en.md"),
      /lessons\/x\/en.md: must start with "# Title"/,
    );
    assert.throws(
      () => splitLessonText("# T\n---\n\n---\nb", "lessons/x/zh.md"),
      /step 1 has no text/,
    );
  });

  it("a step may open another scenario; a bad one is refused at build, naming the step", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "raftlab-lesson-")), "x");
    mkdirSync(dir);
    const sc = (/** @type {number} */ d) => ({ seed: 1, duration_us: d, actions: [] });
    const write = (/** @type {unknown[]} */ steps) => {
      writeFileSync(
        join(dir, "lesson.json"),
        JSON.stringify({ order: 1, scenario: sc(1000), steps }),
      );
      const md = `# T\n${steps.map((_, i) => `---\nstep ${i + 1}`).join("\n")}`;
      for (const lang of LESSON_LANGS) writeFileSync(join(dir, `${lang}.md`), md);
    };
    // Opened at step 2, shown at step 3 too: at_us counts against the scenario in force.
    write([{ at_us: 500 }, { scenario: sc(5000), at_us: 4000 }, { at_us: 4500 }]);
    const l = readLesson(dir, root);
    assert.equal(l.steps[1].scenario.duration_us, 5000, "inlined");
    write([{ at_us: 500 }, { scenario: "scenarios/none.json" }]);
    assert.throws(
      () => readLesson(dir, root),
      /lessons\/x\/lesson.json: steps\[1\].scenario: cannot read the scenario scenarios\/none.json/,
    );
    write([{ scenario: sc(5000) }, { at_us: 6000 }]);
    assert.throws(
      () => readLesson(dir, root),
      /steps\[1\]: at_us must be a time within the scenario of steps\[0\] \(0..5000\)/,
    );
    write([{ at_us: 1 }, { scenario: 3 }]);
    assert.throws(
      () => readLesson(dir, root),
      /steps\[1\].scenario: scenario must be an object or a path/,
    );
  });

  it("the leader-crash lesson opens the article's stages in order, each meeting its expectations", () => {
    const l = lessons.find((x) => x.id === "leader-crash");
    assert.ok(l);
    const worlds = [l.scenario, ...l.steps.filter((s) => s.scenario).map((s) => s.scenario)];
    const stages = [
      "before_request",
      "after_append",
      "after_partial_replication",
      "after_full_replication",
      "after_commit",
    ];
    assert.deepEqual(
      worlds.map((w) => w.description),
      stages.map(
        (n) =>
          JSON.parse(readFileSync(join(root, `scenarios/leader_crash_${n}.json`), "utf8"))
            .description,
      ),
    );
    for (const w of worlds) {
      const summary = Playground.run_scenario(w);
      for (const e of summary.expectations) assert.ok(e.ok, JSON.stringify(e));
    }
  });

  it("deep links name the lesson and the step from 1", () => {
    assert.equal(lessonFragment("safety", 2), "#lesson=safety&step=3");
    assert.deepEqual(lessonFromFragment("#lesson=safety&step=3"), { id: "safety", step: 2 });
    assert.deepEqual(lessonFromFragment("#lesson=safety"), { id: "safety", step: 0 });
    assert.equal(lessonFromFragment("#s=abc"), null);
    assert.equal(lessonFromFragment("#lesson=../x"), null);
  });

  for (const l of lessons) {
    describe(l.id, () => {
      it("has both languages with a title, a summary and one text per step", () => {
        for (const lang of LESSON_LANGS) {
          const tx = l.texts[lang];
          assert.ok(tx.title && tx.summary, `${lang}: title and summary`);
          assert.equal(tx.steps.length, l.steps.length, `${lang}: one text per step`);
        }
        // Chinese is Chinese: each step text has Han characters.
        for (const s of l.texts.zh.steps) assert.match(s, /\p{Script=Han}/u);
      });

      it("its scenario meets its expectations headlessly", () => {
        assert.ok(l.scenario.expect?.length, "the lesson's scenario says what it shows");
        const summary = Playground.run_scenario(l.scenario);
        for (const e of summary.expectations) assert.ok(e.ok, JSON.stringify(e));
        assert.equal(summary.skipped_actions.length, 0);
      });

      it("ends with an exercise that accepts its solution and rejects the wrong one", () => {
        assert.ok(l.steps.at(-1).exercise, "the last step is the exercise");
        const dir = join(lessonsDir, l.id);
        const exercise = JSON.parse(readFileSync(join(dir, "exercise.json"), "utf8"));
        for (const [file, pass] of [
          ["solution.json", true],
          ["wrong.json", false],
        ]) {
          const sub = JSON.parse(readFileSync(join(dir, file), "utf8"));
          const g = Playground.grade(exercise, sub);
          assert.equal(g.passed, pass, `${file}: ${JSON.stringify(g.reasons)}`);
          assert.equal(g.reasons.length === 0, pass);
          const native = cliGrade(join(dir, "exercise.json"), join(dir, file));
          if (native) assert.deepEqual(g, native, `${file}: Node and the CLI agree`);
        }
      });
    });
  }

  it("a share link's state with the exercise's own actions grades as the bare log does", () => {
    const dir = join(lessonsDir, "partitions");
    const exercise = JSON.parse(readFileSync(join(dir, "exercise.json"), "utf8"));
    const sol = JSON.parse(readFileSync(join(dir, "solution.json"), "utf8"));
    // What the page's world exports: seed, config, every action in the log, the time.
    const p = Playground.from_scenario(exercise.scenario);
    p.advance(sol.actions[0].at_us);
    for (const a of sol.actions) p.apply(a.action);
    const shared = { ...p.export_scenario(), t_us: p.now_us() };
    p.free();
    assert.deepEqual(Playground.grade(exercise, shared), Playground.grade(exercise, sol));
  });

  it("a bad exercise throws an Error naming the field", () => {
    assert.throws(
      () => Playground.grade({ scenario: { duration_us: 1 }, goal: [] }, { actions: [] }),
      /exercise.goal: needs 1..=32 goals/,
    );
    assert.throws(
      () => Playground.grade(undefined, { actions: [] }),
      /exercise: expected an object, got undefined/,
    );
  });
});
