// Builds the lessons (lessons/<id>/: lesson.json, en.md, zh.md, exercise.json) into what the
// page loads on demand, and checks them: every lesson has both languages, each with one text
// per step. Markdown is rendered here, at build time (marked), so the page carries no
// Markdown engine. Output, in <out>/:
//   index.json              [{ id, order, title: { en, zh }, summary: { en, zh } }], in order
//   <id>/lesson.json        { id, scenario, steps, exercise } with the scenario, the
//                           scenarios steps open (a step's `scenario`) and the exercise
//                           inlined (an exercise's hints and success text included)
//   <id>/<lang>.json        { title, summary, steps: [html, ...] }
// Run by scripts/build.sh; `node scripts/lessons.mjs --check` only checks (tests call it).
//   node scripts/lessons.mjs [lessons-dir] [out-dir]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The languages every lesson is written in (the page's string table has the same). */
export const LESSON_LANGS = ["en", "zh"];
/** A line holding only this separates a lesson text's parts: the title and summary first,
 * then one part per step. */
export const STEP_SEPARATOR = "---";
/** What a step may point at (rendered by the page as a ring). */
const HIGHLIGHT_KINDS = ["node", "log", "monitor", "message"];
const STEP_FIELDS = ["at_us", "play", "highlight", "exercise", "scenario"];

/**
 * Splits a lesson text into its title, summary (Markdown) and step texts (Markdown).
 * @param {string} text
 * @param {string} where for errors
 */
export function splitLessonText(text, where) {
  const parts = text.replace(/\r\n/g, "\n").split(new RegExp(`^${STEP_SEPARATOR}$`, "m"));
  const head = parts[0].trim();
  const m = /^# (.+)\n?([\s\S]*)$/.exec(head);
  if (!m) throw new Error(`${where}: must start with "# Title"`);
  const steps = parts.slice(1).map((p) => p.trim());
  steps.forEach((s, i) => {
    if (!s) throw new Error(`${where}: step ${i + 1} has no text`);
  });
  return { title: m[1].trim(), summary: m[2].trim(), steps };
}

/**
 * Reads and checks one lesson folder. Throws an Error naming the file and the problem.
 * @param {string} dir lessons/<id>
 * @param {string} root the repository (scenario references are relative to it)
 */
export function readLesson(dir, root) {
  const id = dir.split(/[\\/]/).filter(Boolean).at(-1) ?? "";
  const where = (/** @type {string} */ f) => `lessons/${id}/${f}`;
  const meta = JSON.parse(readFileSync(join(dir, "lesson.json"), "utf8"));
  for (const k of Object.keys(meta)) {
    if (!["order", "scenario", "steps"].includes(k))
      throw new Error(`${where("lesson.json")}: unknown field ${k}`);
  }
  if (!Number.isInteger(meta.order))
    throw new Error(`${where("lesson.json")}: order must be an integer`);
  /** A scenario given as an object or a path from the repository root. @param {unknown} s @param {string} at */
  const load = (s, at) => {
    let sc = s;
    if (typeof s === "string") {
      try {
        sc = JSON.parse(readFileSync(resolve(root, s), "utf8"));
      } catch (e) {
        throw new Error(
          `${at}: cannot read the scenario ${s}: ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    if (!sc || typeof sc !== "object" || Array.isArray(sc))
      throw new Error(`${at}: scenario must be an object or a path`);
    const d = /** @type {any} */ (sc).duration_us;
    if (!(Number.isSafeInteger(d) && d > 0))
      throw new Error(`${at}: the scenario has no duration_us`);
    return /** @type {any} */ (sc);
  };
  const scenario = load(meta.scenario, `${where("lesson.json")}: scenario`);
  /** The scenario a step shows: the latest one a step opened, else the lesson's. */
  let shown = scenario;
  let shownName = "the lesson's scenario";
  if (!Array.isArray(meta.steps) || meta.steps.length === 0)
    throw new Error(`${where("lesson.json")}: steps must be a non-empty array`);
  meta.steps.forEach((/** @type {any} */ s, /** @type {number} */ i) => {
    const at = `${where("lesson.json")}: steps[${i}]`;
    for (const k of Object.keys(s))
      if (!STEP_FIELDS.includes(k)) throw new Error(`${at}: unknown field ${k}`);
    if (s.exercise !== undefined && (s.exercise !== true || i !== meta.steps.length - 1))
      throw new Error(`${at}: exercise: true only on the last step`);
    if (s.scenario !== undefined) {
      if (s.exercise)
        throw new Error(`${at}: scenario: the exercise step shows the exercise's own`);
      shownName = typeof s.scenario === "string" ? s.scenario : `the scenario of steps[${i}]`;
      // Inlined: the page loads a lesson as one file.
      s.scenario = shown = load(s.scenario, `${at}.scenario`);
    }
    if (
      s.at_us !== undefined &&
      !(Number.isSafeInteger(s.at_us) && s.at_us >= 0 && s.at_us <= shown.duration_us)
    )
      throw new Error(`${at}: at_us must be a time within ${shownName} (0..${shown.duration_us})`);
    for (const [j, h] of (s.highlight ?? []).entries()) {
      const keys = Object.keys(h);
      if (keys.length !== 1 || !HIGHLIGHT_KINDS.includes(keys[0]))
        throw new Error(`${at}.highlight[${j}]: one of ${HIGHLIGHT_KINDS.join(", ")}`);
    }
  });
  const last = meta.steps.at(-1);
  let exercise = null;
  if (last.exercise) {
    exercise = JSON.parse(readFileSync(join(dir, "exercise.json"), "utf8"));
    for (const f of ["title", "success"]) {
      for (const lang of LESSON_LANGS) {
        if (typeof exercise[f]?.[lang] !== "string" || !exercise[f][lang])
          throw new Error(`${where("exercise.json")}: ${f}.${lang} is missing`);
      }
    }
    const rules = ["actions_allowed", "actions_max", "nodes_down_max"].filter(
      (k) => exercise.constraints?.[k] !== undefined,
    ).length;
    /** @type {[string, number][]} */
    const lists = [
      ["hints", exercise.hints?.en?.length ?? 0],
      ["goal_text", exercise.goal?.length ?? 0],
      ["rule_text", rules],
    ];
    for (const [field, n] of lists) {
      for (const lang of LESSON_LANGS) {
        const list = exercise[field]?.[lang];
        if (
          !Array.isArray(list) ||
          list.length !== n ||
          list.some((x) => typeof x !== "string" || !x)
        )
          throw new Error(`${where("exercise.json")}: ${field}.${lang} must list ${n} texts`);
      }
    }
  }
  /** @type {Record<string, { title: string, summary: string, steps: string[] }>} */
  const texts = {};
  for (const lang of LESSON_LANGS) {
    const file = `${lang}.md`;
    if (!existsSync(join(dir, file))) throw new Error(`${where(file)}: missing`);
    const t = splitLessonText(readFileSync(join(dir, file), "utf8"), where(file));
    if (t.steps.length !== meta.steps.length)
      throw new Error(
        `${where(file)}: ${t.steps.length} step texts for ${meta.steps.length} steps in lesson.json`,
      );
    texts[lang] = t;
  }
  return { id, order: meta.order, scenario, steps: meta.steps, exercise, texts };
}

/** Every lesson under `dir`, in order. @param {string} dir @param {string} root */
export function readLessons(dir, root) {
  const lessons = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "lesson.json")))
    .map((e) => readLesson(join(dir, e.name), root));
  lessons.sort((a, b) => a.order - b.order);
  // Two lessons at one place would be listed in whatever order the folder gives.
  for (let i = 1; i < lessons.length; i++)
    if (lessons[i].order === lessons[i - 1].order)
      throw new Error(
        `lessons/${lessons[i - 1].id} and lessons/${lessons[i].id}: both have order ${lessons[i].order}`,
      );
  return lessons;
}

/** Writes the page's files. @param {ReturnType<typeof readLessons>} lessons @param {string} out */
async function writeLessons(lessons, out) {
  const { marked } = await import("marked");
  /** @param {string} md */
  const html = (md) => /** @type {string} */ (marked.parse(md, { async: false }));
  mkdirSync(out, { recursive: true });
  const index = lessons.map((l) => ({
    id: l.id,
    order: l.order,
    title: Object.fromEntries(LESSON_LANGS.map((g) => [g, l.texts[g].title])),
    summary: Object.fromEntries(LESSON_LANGS.map((g) => [g, l.texts[g].summary])),
  }));
  writeFileSync(join(out, "index.json"), JSON.stringify(index));
  for (const l of lessons) {
    const d = join(out, l.id);
    mkdirSync(d, { recursive: true });
    const { id, scenario, steps, exercise } = l;
    writeFileSync(join(d, "lesson.json"), JSON.stringify({ id, scenario, steps, exercise }));
    for (const lang of LESSON_LANGS) {
      const t = l.texts[lang];
      writeFileSync(
        join(d, `${lang}.json`),
        JSON.stringify({ title: t.title, summary: html(t.summary), steps: t.steps.map(html) }),
      );
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const args = process.argv.slice(2).filter((a) => a !== "--check");
  const dir = resolve(args[0] ?? join(root, "lessons"));
  const lessons = readLessons(dir, root);
  if (!process.argv.includes("--check"))
    await writeLessons(lessons, resolve(args[1] ?? join(root, "dist/lessons")));
  console.log(`lessons: ${lessons.length} (${lessons.map((l) => l.id).join(", ")})`);
}
