// The lessons the build made (scripts/lessons.mjs → dist/lessons/): a small index fetched beside
// the first frame, and each lesson's world, steps and text fetched only when it is opened.

/**
 * @typedef {import("./i18n.js").Lang} Lang
 * @typedef {{ id: string, order: number, title: Record<Lang, string>, summary: Record<Lang, string> }} LessonEntry
 * @typedef {{ node?: number, log?: { node: number, index: number }, monitor?: string, message?: string }} Highlight
 * @typedef {{ at_us?: number, play?: boolean, highlight?: Highlight[], exercise?: true,
 *   scenario?: import("./types.d.ts").Scenario }} LessonStep
 *   scenario: the step opens this scenario; the steps after it show it too, until one opens
 *   another (before any, the lesson's own)
 *   a step: the world at `at_us` (reproduced from the seed), paused unless `play`; or the exercise
 * @typedef {{
 *   title: Record<Lang, string>, hints: Record<Lang, string[]>, success: Record<Lang, string>,
 *   goal_text?: Record<Lang, string[]>, rule_text?: Record<Lang, string[]>,
 *   description?: string, kind?: "exercise" | "challenge", scenario: import("./types.d.ts").Scenario, goal: unknown[], constraints?: unknown,
 * }} Exercise
 *   goal_text, rule_text: each goal and each rule in the learner's words (the grader's own lines
 *   are shown where they are missing)
 * @typedef {{ id: string, scenario: import("./types.d.ts").Scenario, steps: LessonStep[], exercise: Exercise | null }} Lesson
 * @typedef {{ title: string, summary: string, steps: string[] }} LessonText
 *   summary and steps: HTML rendered at build time from the lesson's Markdown
 * @typedef {{
 *   entries: LessonEntry[],
 *   lesson(id: string): Promise<Lesson>,
 *   text(id: string, lang: Lang): Promise<LessonText>,
 * }} LessonIndex
 */

/**
 * The offline build (scripts/build-offline.mjs) inlines the lessons, by path under the lessons'
 * folder (`index.json`, `<id>/lesson.json`, ...), since a file:// page cannot fetch them.
 * @type {Record<string, unknown> | undefined}
 */
const INLINED = /** @type {any} */ (globalThis).__RAFTLAB_LESSONS__;

/** @param {URL} url */
async function getJson(url) {
  const key = url.pathname.split("/").slice(-2).join("/");
  const name = key.split("/").at(-1) ?? "";
  const hit = INLINED?.[name === "index.json" ? name : key];
  if (hit !== undefined) return structuredClone(hit);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res.json();
}

/**
 * The lessons' index at `url` (`lessons/index.json`) with loaders for each lesson beside it;
 * null, never a rejection, when the page has no lessons.
 * @param {string | URL} url
 * @returns {Promise<LessonIndex | null>}
 */
export async function fetchLessonIndex(url) {
  const base = new URL(String(url), globalThis.location?.href);
  /** @type {unknown} */
  let list;
  try {
    list = await getJson(base);
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const entries = list.filter((e) => e && typeof e.id === "string" && /^[a-z0-9-]+$/.test(e.id));
  if (!entries.length) return null;
  /** @type {Map<string, Promise<any>>} */
  const cache = new Map();
  /** @param {string} path */
  const once = (path) => {
    let p = cache.get(path);
    if (!p) {
      p = getJson(new URL(path, base));
      p.catch(() => cache.delete(path)); // a failed fetch may be retried
      cache.set(path, p);
    }
    return p;
  };
  return {
    entries,
    lesson: (id) => once(`${id}/lesson.json`),
    text: (id, lang) => once(`${id}/${lang}.json`),
  };
}

/**
 * A lesson deep link's target: `#lesson=<id>&step=<n>` (n from 1), or null.
 * @param {string} hash
 * @returns {{ id: string, step: number } | null}
 */
export function lessonFromFragment(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const id = p.get("lesson");
  if (!id || !/^[a-z0-9-]+$/.test(id)) return null;
  const n = Number(p.get("step") ?? "1");
  return { id, step: Number.isSafeInteger(n) && n >= 1 ? n - 1 : 0 };
}

/** The fragment for a step (`step` from 0). @param {string} id @param {number} step */
export function lessonFragment(id, step) {
  return `#lesson=${encodeURIComponent(id)}&step=${step + 1}`;
}

/**
 * What a step points at, as the renderers take it.
 * @param {Highlight[] | undefined} list
 */
export function spotsOf(list) {
  const spot = {
    nodes: new Set(/** @type {number[]} */ ([])),
    cells: new Set(/** @type {string[]} */ ([])),
    monitors: new Set(/** @type {string[]} */ ([])),
    kinds: new Set(/** @type {string[]} */ ([])),
  };
  for (const h of list ?? []) {
    if (typeof h.node === "number") spot.nodes.add(h.node);
    if (h.log) spot.cells.add(`${h.log.node}/${h.log.index}`);
    if (typeof h.monitor === "string") spot.monitors.add(h.monitor);
    if (typeof h.message === "string") spot.kinds.add(h.message);
  }
  return spot;
}
