// Record an exercise: from the world as it stands (its scenario and the actions taken so far),
// the instructor picks a goal and rules, and saves an exercise.json the grader accepts, with
// the actions taken as its solution (solution.json). Before saving, the grader itself (the
// Wasm's, the same as `raftlab grade`) says whether the recorded actions pass.

import { h, text } from "../../render/dom.js";
import { MONITORS } from "../../vocab.js";
import { btn } from "./popover.js";
import { scenarioNow } from "./share.js";

/** The goals offered, each with what its one value means (none, a count, a node, a time, a
 * monitor). */
const GOALS = /** @type {const} */ ([
  ["leaders_at_once", "count"],
  ["becomes_leader", "node"],
  ["no_leader_until", "ms"],
  ["monitor_violated", "monitor"],
  ["no_violation", null],
  ["linearizable", null],
  ["not_linearizable", null],
]);

/**
 * The exercise for the world now: the loaded scenario's schedule (the world's seed, config
 * and its own actions; none in free play) and the goal and rules chosen; the solution is the
 * world's action log. Pure: tests call it.
 * @param {import("../../types.d.ts").Scenario} now the world as a scenario running to now
 * @param {{ actions?: unknown[], duration_us?: number } | null} loaded the loaded scenario
 * @param {{ title: string, goal: Record<string, unknown>, only_used: boolean,
 *   actions_max: number | null, nodes_down_max: number | null }} pick
 */
export function recordExercise(now, loaded, pick) {
  const scheduled = /** @type {any[]} */ (structuredClone(loaded?.actions ?? []));
  const solution = { seed: now.seed, actions: now.actions };
  // The learner's actions: the log minus the schedule (the grader's rule, for the rules).
  const rest = [...now.actions];
  for (const s of scheduled) {
    const i = rest.findIndex((a) => JSON.stringify(a) === JSON.stringify(s));
    if (i >= 0) rest.splice(i, 1);
  }
  /** @type {Record<string, unknown>} */
  const constraints = {};
  if (pick.only_used)
    constraints.actions_allowed = [...new Set(rest.map((a) => /** @type {any} */ (a).action.type))];
  if (pick.actions_max !== null) constraints.actions_max = pick.actions_max;
  if (pick.nodes_down_max !== null) constraints.nodes_down_max = pick.nodes_down_max;
  const title = pick.title || "Recorded exercise";
  const exercise = {
    title: { en: title, zh: title },
    description: title,
    kind: "exercise",
    scenario: {
      description: now.description ?? "",
      seed: now.seed,
      config: now.config,
      duration_us: Math.max(loaded?.duration_us ?? 1, now.duration_us),
      actions: scheduled,
    },
    goal: [pick.goal],
    constraints,
  };
  return { exercise, solution };
}

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ loaded: () => { description?: string, expect?: unknown[], actions?: unknown[],
 *   duration_us?: number } | null, grade: import("./exercise.js").GradeFn | undefined }} deps
 */
export function createRecordPanel(ctx, deps) {
  const { id, labels, tr } = ctx;
  /** @typedef {import("../../i18n.js").StringKey} StringKey */
  const goalSel = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-rgoal` },
      ...GOALS.map(([name]) =>
        labels.bind(h("option", { value: name }), /** @type {StringKey} */ (`goal_${name}`)),
      ),
    )
  );
  const value = /** @type {HTMLInputElement} */ (
    h("input", { id: `${id}-rval`, type: "number", min: 0, value: 2, size: 6 })
  );
  const monitorSel = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-rmon`, hidden: true },
      ...MONITORS.map((m) =>
        labels.bind(h("option", { value: m }), /** @type {StringKey} */ (`mon_${m}`)),
      ),
    )
  );
  const valueLabel = h("label", { for: value.id });
  const title = /** @type {HTMLInputElement} */ (h("input", { id: `${id}-rtitle`, size: 24 }));
  const onlyUsed = /** @type {HTMLInputElement} */ (
    h("input", { type: "checkbox", id: `${id}-ronly` })
  );
  const maxActions = /** @type {HTMLInputElement} */ (
    h("input", { type: "number", min: 0, id: `${id}-rmax`, size: 4 })
  );
  const maxDown = /** @type {HTMLInputElement} */ (
    h("input", { type: "number", min: 0, id: `${id}-rdown`, size: 4 })
  );
  const verdict = h("p", { class: "muted", "aria-live": "polite" });
  const kindOf = () => GOALS.find(([n]) => n === goalSel.value)?.[1] ?? null;
  const showValue = () => {
    const kind = kindOf();
    value.hidden = kind === null || kind === "monitor";
    monitorSel.hidden = kind !== "monitor";
    valueLabel.hidden = kind === null;
    if (kind) text(valueLabel, tr(/** @type {StringKey} */ (`rec_value_${kind}`)));
  };
  goalSel.addEventListener("change", showValue);
  labels.onChange(showValue);
  showValue();
  /** @param {HTMLInputElement} i */
  const num = (i) => (i.value === "" ? null : Math.max(0, Math.round(Number(i.value) || 0)));

  function current() {
    const kind = kindOf();
    /** @type {Record<string, unknown>} */
    const goal = { type: goalSel.value };
    const n = num(value) ?? 0;
    if (kind === "count") goal.count_min = n;
    if (kind === "node") goal.node = n;
    if (kind === "ms") goal.at_us = n * 1000;
    if (kind === "monitor") goal.monitor = monitorSel.value;
    return recordExercise(scenarioNow(ctx.ctrl, null), deps.loaded(), {
      title: title.value.trim(),
      goal,
      only_used: onlyUsed.checked,
      actions_max: num(maxActions),
      nodes_down_max: num(maxDown),
    });
  }
  /** @param {unknown} data @param {string} file */
  const save = (data, file) => {
    const a = /** @type {HTMLAnchorElement} */ (
      h("a", {
        href: URL.createObjectURL(
          new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
        ),
        download: file,
      })
    );
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const saveBtn = btn("", () => {
    const { exercise, solution } = current();
    const grade = deps.grade;
    if (!grade) {
      save(exercise, "exercise.json");
      return;
    }
    // The grader says whether the actions taken pass; the files are saved either way (a
    // recorded wrong submission is as useful as a solution).
    grade(/** @type {any} */ (exercise), solution).then(
      (g) => {
        text(verdict, tr(g.passed ? "rec_passes" : "rec_fails", { why: g.reasons.join("; ") }));
        save(exercise, "exercise.json");
        save(solution, g.passed ? "solution.json" : "wrong.json");
        ctx.say(tr("rec_saved"));
      },
      (e) => {
        text(verdict, "");
        ctx.fail(e);
      },
    );
  });
  labels.bind(saveBtn, "rec_save");
  const row = (/** @type {StringKey} */ key, /** @type {HTMLElement[]} */ ...els) =>
    h("label", { for: els[0].id }, labels.bind(h("span", {}), key), ...els);
  const el = h(
    "div",
    { class: "settings record" },
    labels.bind(h("p", { class: "muted" }), "rec_intro"),
    row("rec_title", title),
    row("rec_goal", goalSel),
    h("span", {}, valueLabel, value, monitorSel),
    h(
      "label",
      { for: onlyUsed.id, class: "check" },
      onlyUsed,
      labels.bind(h("span", {}), "rec_only_used"),
    ),
    row("rec_actions_max", maxActions),
    row("rec_nodes_down_max", maxDown),
    h("div", { class: "pop-row" }, saveBtn),
    verdict,
  );
  return { el, current };
}
