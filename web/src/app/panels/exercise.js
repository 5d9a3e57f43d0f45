// An exercise checked live: the goal's and the rules' status, hints, and the success state the
// moment the goal is met. The grading is the Wasm grader's (the same as `raftlab grade`): this
// panel hands it the exercise and the world's action log after every change (the lesson player
// calls `regrade`) and shows what it says, a goal counting as met once the world's time reaches the moment the grader gives.

import { t } from "../../i18n.js";
import { describeReason } from "../../reasons.js";
import { h, text } from "../../render/dom.js";
import { btn } from "./popover.js";

/**
 * @typedef {import("../../lessons.js").Exercise} Exercise
 * @typedef {{
 *   passed: boolean,
 *   goals: { goal: string, ok: boolean, observed: string, met_at_us: number | null }[],
 *   constraints: { constraint: string, ok: boolean, observed: string }[],
 *   reasons: string[],
 *   failures: import("../../reasons.js").Reason[],
 *   score: { actions: number, met_at_us: number | null },
 * }} Grade the grader's answer (sim::grade::Grade)
 * @typedef {(exercise: Exercise, submission: unknown) => Promise<Grade>} GradeFn
 */

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ grade: GradeFn | undefined, lang: () => import("../../i18n.js").Lang, restart: () => void }} deps
 */
export function createExerciseBox(ctx, deps) {
  const head = h("strong", {});
  const goalHead = h("div", { class: "exhead" });
  const goals = ctx.labels.bind(h("ul", { class: "expects" }), "goal", "aria-label");
  const rulesHead = h("div", { class: "exhead" });
  const rules = ctx.labels.bind(h("ul", { class: "expects" }), "rules", "aria-label");
  const hints = h("ol", { class: "hints" });
  const hintBtn = btn("", () => {
    shownHints = Math.min(shownHints + 1, exercise?.hints[deps.lang()]?.length ?? 0);
    renderHints();
  });
  const restartBtn = btn("", deps.restart);
  const success = h("p", { class: "exsuccess", role: "status", hidden: true });
  const reasons = h("div", { class: "exreasons", hidden: true });
  const el = ctx.labels.bind(
    h(
      "section",
      { class: "exercise", hidden: true },
      head,
      goalHead,
      goals,
      rulesHead,
      rules,
      success,
      reasons,
      hints,
      h("div", { class: "bar" }, hintBtn, restartBtn),
    ),
    "exercise",
    "aria-label",
  );
  /** @type {Exercise | null} */
  let exercise = null;
  /** @type {Grade | null} */
  let grade = null;
  let shownHints = 0;
  let generation = 0;
  let scheduled = false;
  let announced = false;
  let lastKey = "";

  /** Grades the world's action log now (coalesced: at most one call in flight per change). */
  function regrade() {
    if (!exercise || scheduled || !deps.grade) return;
    scheduled = true;
    const gen = ++generation;
    setTimeout(async () => {
      scheduled = false;
      if (!exercise || gen !== generation || !ctx.ctrl.hasWorld) return;
      const ex = exercise;
      try {
        const g = await /** @type {GradeFn} */ (deps.grade)(ex, ctx.ctrl.exportScenario());
        if (gen !== generation || ex !== exercise) return;
        grade = g;
        lastKey = "";
        ctx.invalidate();
      } catch (e) {
        ctx.fail(e);
      }
    }, 0);
  }

  function renderHints() {
    const lang = deps.lang();
    const list = exercise?.hints[lang] ?? [];
    hints.replaceChildren(
      ...list
        .slice(0, shownHints)
        .map((s, i) => h("li", {}, h("strong", {}, `${t(lang, "hint_n", { n: i + 1 })}: `), s)),
    );
    hintBtn.hidden = shownHints >= list.length;
  }

  function relabel() {
    const lang = deps.lang();
    const kind = exercise?.kind === "challenge" ? "challenge" : "exercise";
    text(head, `${t(lang, kind)}: ${exercise?.title[lang] ?? ""}`);
    text(goalHead, t(lang, "goal"));
    text(rulesHead, t(lang, "rules"));
    text(hintBtn, t(lang, "hint"));
    text(restartBtn, t(lang, "restart_exercise"));
    renderHints();
    lastKey = "";
  }

  return {
    el,
    /** Shows `ex` and grades the world as it is (the exercise's world, just loaded). @param {Exercise} ex */
    start(ex) {
      exercise = ex;
      grade = null;
      shownHints = 0;
      announced = false;
      el.hidden = false;
      relabel();
      generation++;
      scheduled = false;
      regrade();
    },
    stop() {
      exercise = null;
      grade = null;
      generation++;
      el.hidden = true;
    },
    relabel,
    /** Grades again: the world changed (the learner acted). */
    regrade,
    /** Whether the exercise's success state is shown. */
    get solved() {
      return announced;
    },
    /** The last grade (tests read it through the page). */
    get grade() {
      return grade;
    },
    /** Each goal's and rule's status at the world's time. @param {import("../../types.d.ts").WorldView} v */
    sync(v) {
      if (!exercise) return;
      const lang = deps.lang();
      const end = exercise.scenario.duration_us;
      const solved =
        !!grade?.passed && v.now_us >= (grade.score.met_at_us ?? Number.POSITIVE_INFINITY);
      const key = `${lang}|${solved}|${v.now_us >= end}|${grade?.goals.map((g) => g.ok && v.now_us >= (g.met_at_us ?? Number.POSITIVE_INFINITY)).join()}|${grade ? "g" : ""}`;
      if (key === lastKey) return;
      lastKey = key;
      if (!grade) {
        goals.replaceChildren(h("li", {}, t(lang, "checking")));
        rules.replaceChildren();
        rulesHead.hidden = true;
        return;
      }
      goals.replaceChildren(
        ...grade.goals.map((g, i) => {
          const met = g.ok && v.now_us >= (g.met_at_us ?? Number.POSITIVE_INFINITY);
          // In the learner's words where the exercise gives them; the grader's line on hover.
          const words = exercise?.goal_text?.[lang]?.[i] ?? g.goal;
          return h(
            "li",
            { class: met ? "ex-met" : "ex-not-yet", title: g.goal },
            `${met ? "✓" : "…"} ${t(lang, met ? "met" : "not_yet")}: ${words}`,
          );
        }),
      );
      rulesHead.hidden = grade.constraints.length === 0;
      rules.replaceChildren(
        ...grade.constraints.map((c, i) =>
          h(
            "li",
            { class: c.ok ? "ex-met" : "ex-failed", title: `${c.constraint} (${c.observed})` },
            `${c.ok ? "✓" : "✗"} ${t(lang, c.ok ? "kept" : "broken")}: ${exercise?.rule_text?.[lang]?.[i] ?? c.constraint}`,
          ),
        ),
      );
      success.hidden = !solved;
      // A challenge is scored: fewer actions are better.
      const score =
        exercise.kind === "challenge" ? ` ${t(lang, "score", { n: grade.score.actions })}` : "";
      text(success, solved ? `${t(lang, "success")} ${exercise.success[lang]}${score}` : "");
      // Why it failed, once the exercise's time is over without success.
      const over = !solved && v.now_us >= end && grade.reasons.length > 0;
      reasons.hidden = !over;
      reasons.replaceChildren(
        ...(over
          ? [
              h("div", {}, t(lang, "exercise_reasons")),
              ...grade.failures.map((r) =>
                h("div", {}, `• ${describeReason(lang, r, exercise ?? undefined)}`),
              ),
            ]
          : []),
      );
      if (solved && !announced) {
        announced = true;
        ctx.setPlaying(false);
        ctx.say(`${t(lang, "success")} ${exercise.success[lang]}`);
      }
      if (!solved) announced = false;
    },
  };
}
