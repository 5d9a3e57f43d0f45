// The lesson player: a lesson's text step by step, Back / Next at the learner's pace, a deep link
// to each step, and the world each step shows reproduced from the seed (the lesson's scenario
// loaded fresh, then a seek). The last step is the lesson's exercise, checked live. The step
// text is HTML the build rendered from the lesson's own Markdown (scripts/lessons.mjs).

import { LANGS, saveLang, t } from "../../i18n.js";
import { lessonFragment, lessonFromFragment, spotsOf } from "../../lessons.js";
import { h, text } from "../../render/dom.js";
import { createExerciseBox } from "./exercise.js";
import { btn } from "./popover.js";

/**
 * @typedef {import("../../i18n.js").Lang} Lang
 * @typedef {import("../../lessons.js").LessonIndex} LessonIndex
 * @typedef {import("../../lessons.js").Lesson} Lesson
 * @typedef {import("../../lessons.js").LessonText} LessonText
 */

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{
 *   index: Promise<LessonIndex | null> | null,
 *   grade: import("./exercise.js").GradeFn | undefined,
 *   fragment: boolean,
 *   relabel: (lang: Lang) => void,
 *   embed?: { id: string, steps?: [number, number] } | null,
 * }} deps
 *   fragment: the page's URL follows the step (`#lesson=<id>&step=<n>`); relabel: the language
 *   changed, the rest of the page relabels itself; embed: one lesson in a post (no lesson
 *   picker, no close), optionally only its steps from..to (from 1, inclusive)
 */
export function createLessonPanel(ctx, deps) {
  const { id } = ctx;
  const sel = /** @type {HTMLSelectElement} */ (h("select", { id: `${id}-lesson` }));
  const langSel = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-lang` },
      ...LANGS.map(([code, name]) => h("option", { value: code, lang: code }, name)),
    )
  );
  const pickLabel = h("label", { for: sel.id }, h("strong", {}, ""));
  const langLabel = h("label", { for: langSel.id }, "");
  const title = h("h2", { class: "ltitle" });
  const body = h("div", { class: "ltext" });
  const backBtn = btn("", () => go(step - 1));
  const nextBtn = btn("", () => go(step + 1));
  const counter = h("span", { class: "lcount", "aria-live": "polite" });
  const linkBtn = btn("", copyLink);
  const closeBtn = btn("✕", close, "");
  const ex = createExerciseBox(ctx, {
    grade: deps.grade,
    lang: () => ctx.ui.lang,
    restart: () => go(step, true),
  });
  const nav = h("div", { class: "bar lnav" }, backBtn, counter, nextBtn, linkBtn);
  const card = h(
    "div",
    { class: "lcard", hidden: true },
    h("div", { class: "pop-head" }, title, closeBtn),
    body,
    ex.el,
    nav,
  );
  const picker = h("div", { class: "bar" }, pickLabel, sel, langLabel, langSel);
  const el = h("section", { class: "pane lesson", hidden: true }, picker, card);
  // One lesson in a post: no lesson picker and no close; the language switch stays.
  if (deps.embed) for (const e of [pickLabel, sel, closeBtn]) e.classList.add("hidden");
  /** @type {LessonIndex | null} */
  let index = null;
  /** @type {{ id: string, lesson: Lesson, text: LessonText } | null} */
  let cur = null;
  let step = 0;
  /** Which world is loaded for the lesson ("lesson:<k>": the scenario step k opened, -1 the
   * lesson's own; "exercise"), and its handle. */
  let world = /** @type {{ kind: string, handle: unknown } | null} */ (null);
  /** Opening is asynchronous: only the latest request wins. */
  let request = 0;
  /**
   * The learner's actions in the exercise, in time order. The world drops the rest of its
   * schedule when an action is applied (its timeline branches), but an exercise's schedule is
   * part of the exercise: after each action the world is rebuilt from the exercise's scenario
   * plus these actions, at the same moment — the world the grader judges.
   * @type {{ at_us: number, action: import("../../types.d.ts").Action }[]}
   */
  let learner = [];
  let rebuilding = false;
  ctx.ctrl.subscribe("action", (/** @type {import("../../types.d.ts").Action} */ a) => {
    const exercise = cur?.lesson.exercise;
    if (rebuilding || !exercise || world?.kind !== "exercise" || !cur?.lesson.steps[step].exercise)
      return;
    const now = ctx.ctrl.now();
    learner = [...learner.filter((x) => x.at_us <= now), { at_us: now, action: a }];
    rebuild(exercise, now).catch(ctx.fail);
  });

  /** @param {import("../../lessons.js").Exercise} exercise @param {number} now */
  async function rebuild(exercise, now) {
    const mine = ++request;
    rebuilding = true;
    try {
      const actions = [...exercise.scenario.actions, ...learner];
      await ctx.loadScenario({ ...exercise.scenario, description: "", expect: [], actions }, now);
    } finally {
      rebuilding = false;
    }
    if (mine !== request) return;
    world = { kind: "exercise", handle: ctx.ctrl.handle };
    ex.regrade();
  }

  sel.addEventListener("change", () => {
    if (sel.value) open(sel.value, 0).catch(ctx.fail);
    else close();
  });
  langSel.addEventListener("change", () => {
    const lang = /** @type {Lang} */ (langSel.value);
    saveLang(lang);
    setLang(lang).catch(ctx.fail);
  });

  function relabel() {
    const lang = ctx.ui.lang;
    langSel.value = lang;
    text(/** @type {HTMLElement} */ (pickLabel.firstChild), t(lang, "lessons"));
    text(langLabel, t(lang, "language"));
    text(backBtn, t(lang, "back"));
    text(nextBtn, t(lang, "next"));
    text(linkBtn, t(lang, "step_link"));
    closeBtn.setAttribute("aria-label", t(lang, "lesson_close"));
    el.setAttribute("aria-label", t(lang, "lesson"));
    const keep = sel.value;
    sel.replaceChildren(
      h("option", { value: "" }, t(lang, "lesson_pick")),
      ...(index?.entries ?? []).map((e, i) =>
        h("option", { value: e.id }, `${i + 1}. ${e.title[lang] ?? e.title.en}`),
      ),
    );
    sel.value = keep;
    ex.relabel();
  }

  /** @param {Lang} lang */
  async function setLang(lang) {
    ctx.ui.lang = lang;
    relabel();
    deps.relabel(lang);
    if (cur && index) {
      const mine = ++request;
      const txt = await index.text(cur.id, lang);
      if (mine !== request || !cur) return;
      cur.text = txt;
      showText();
    }
  }

  function showText() {
    if (!cur) return;
    const lang = ctx.ui.lang;
    const [lo, hi] = bounds();
    text(title, cur.text.title);
    // Trusted: the site's own lesson text, rendered from Markdown by the build.
    body.innerHTML = cur.text.steps[step] ?? "";
    body.setAttribute("lang", lang);
    text(counter, t(lang, "step_of", { n: step - lo + 1, m: hi - lo + 1 }));
    backBtn.disabled = step <= lo;
    nextBtn.disabled = step >= hi;
  }

  /** The first and last step the learner may see (from 0). */
  function bounds() {
    const last = (cur?.lesson.steps.length ?? 1) - 1;
    const [lo, hi] = (deps.embed?.steps ?? [1, last + 1]).map((n) => n - 1);
    return [Math.max(0, Math.min(lo, last)), Math.max(0, Math.min(hi, last))];
  }

  /**
   * Opens lesson `lessonId` at step `k` (from 0).
   * @param {string} lessonId @param {number} k
   */
  async function open(lessonId, k) {
    if (!index) index = (await deps.index) ?? null;
    if (!index) throw new Error("this page has no lessons");
    if (!index.entries.some((e) => e.id === lessonId)) throw new Error(`no lesson ${lessonId}`);
    const mine = ++request;
    text(counter, t(ctx.ui.lang, "step_loading"));
    const [lesson, txt] = await Promise.all([
      index.lesson(lessonId),
      index.text(lessonId, ctx.ui.lang),
    ]);
    if (mine !== request) return;
    cur = { id: lessonId, lesson, text: txt };
    world = null;
    sel.value = lessonId;
    card.hidden = false;
    await go(k);
  }

  /** The world a step needs, loaded fresh unless it is already the untouched one. */
  async function ensureWorld(
    /** @type {string} */ kind,
    /** @type {any} */ scenario,
    fresh = false,
  ) {
    const untouched =
      world?.kind === kind &&
      world.handle === ctx.ctrl.handle &&
      ctx.ctrl.exportScenario().actions.length === scenario.actions.length;
    if (untouched && !fresh) return;
    learner = [];
    // The lesson text explains the world: no scenario note beside it.
    await ctx.loadScenario({ ...scenario, description: "", expect: [] });
    world = { kind, handle: ctx.ctrl.handle };
  }

  /**
   * Shows step `k`: the world at its time (paused unless the step plays), its spots, its text.
   * @param {number} k @param {boolean} [fresh] reload the world even if untouched
   */
  async function go(k, fresh = false) {
    if (!cur) return;
    const steps = cur.lesson.steps;
    const [lo, hi] = bounds();
    step = Math.max(lo, Math.min(hi, k));
    const s = steps[step];
    const mine = ++request;
    showText();
    ctx.ui.spot = spotsOf(s.highlight);
    if (s.exercise && cur.lesson.exercise) {
      await ensureWorld("exercise", cur.lesson.exercise.scenario, fresh);
      if (mine !== request) return;
      ctx.setPlaying(false);
      if (fresh) ctx.seek(0);
      ex.start(cur.lesson.exercise);
    } else {
      ex.stop();
      // The latest scenario a step up to this one opened, else the lesson's own.
      let from = step;
      while (from >= 0 && !steps[from].scenario) from--;
      const scenario = from >= 0 ? steps[from].scenario : cur.lesson.scenario;
      await ensureWorld(`lesson:${from}`, scenario, fresh);
      if (mine !== request) return;
      ctx.setPlaying(false);
      ctx.seek(s.at_us ?? 0);
      ctx.setPlaying(!!s.play);
    }
    world = { kind: world?.kind ?? "", handle: ctx.ctrl.handle };
    if (deps.fragment) history.replaceState(null, "", lessonFragment(cur.id, step));
    ctx.invalidate();
  }

  function copyLink() {
    if (!cur) return;
    const url = location.href.replace(/#.*$/, "") + lessonFragment(cur.id, step);
    navigator.clipboard?.writeText(url).then(
      () => ctx.say(t(ctx.ui.lang, "link_copied")),
      () => ctx.say(url),
    );
  }

  function close() {
    request++;
    cur = null;
    world = null;
    ex.stop();
    ctx.ui.spot = null;
    card.hidden = true;
    sel.value = "";
    if (deps.fragment && /lesson=/.test(location.hash))
      history.replaceState(null, "", location.pathname + location.search);
    ctx.invalidate();
  }

  if (deps.index) {
    deps.index.then(
      (idx) => {
        if (!idx) return;
        index = idx;
        el.hidden = false;
        relabel();
      },
      () => {}, // no lessons: no panel
    );
  }
  relabel();

  return {
    el,
    open,
    close,
    /**
     * Opens what the page asks for first: the embed's lesson, else (full controls, following
     * the URL) a deep link. Resolves whether a lesson opened; a failure is said, not thrown.
     */
    async first() {
      const link = deps.embed
        ? { id: deps.embed.id, step: (deps.embed.steps?.[0] ?? 1) - 1 }
        : deps.fragment && ctx.controls === "full"
          ? lessonFromFragment(location.hash)
          : null;
      if (!link) return false;
      try {
        await open(link.id, link.step);
        return true;
      } catch (e) {
        ctx.fail(e);
        return false;
      }
    },
    relabel,
    /** A lesson is open. */
    get active() {
      return cur !== null;
    },
    /** The open lesson and step (tests). */
    get at() {
      return cur ? { id: cur.id, step, steps: cur.lesson.steps.length } : null;
    },
    exercise: ex,
    /** @param {import("../../types.d.ts").WorldView} v */
    sync(v) {
      // Another world replaced the lesson's (a scenario, a new world): the spots no longer apply.
      if (world && world.handle !== ctx.ctrl.handle && ctx.ui.spot) {
        ctx.ui.spot = null;
        world = null;
      }
      ex.sync(v);
    },
  };
}
