// A grade's failures (sim::grade::Reason: a code and its parameters) in the reader's language.
// The English wording is the grader's own line (`reasons[i]`, what `raftlab grade` prints):
// tests/node/grader.test.mjs checks that the two agree for every code.

import { t } from "./i18n.js";

/**
 * @typedef {{
 *   code: import("./vocab.d.ts").ReasonCode,
 *   index?: number, at_us?: number, max?: number, count?: number,
 *   seed?: number, exercise_seed?: number, text?: string, observed?: string,
 * }} Reason
 */

/**
 * Reason `r` in `lang`; a failed goal in the exercise's own words for it when it has them
 * (`goal_text[lang][index]`).
 * @param {import("./i18n.js").Lang} lang
 * @param {Reason} r
 * @param {{ goal_text?: Record<string, string[]> }} [exercise]
 */
export function describeReason(lang, r, exercise) {
  const word = (/** @type {number | undefined} */ n) =>
    t(lang, n === 1 ? "word_action" : "word_actions");
  const goalWords = r.code === "goal_not_met" ? exercise?.goal_text?.[lang]?.[r.index ?? -1] : null;
  return t(lang, /** @type {import("./i18n.js").StringKey} */ (`reason_${r.code}`), {
    index: r.index ?? 0,
    at_us: r.at_us ?? 0,
    max: r.max ?? 0,
    count: r.count ?? 0,
    max_word: word(r.max),
    count_word: word(r.count),
    seed: r.seed ?? 0,
    exercise_seed: r.exercise_seed ?? 0,
    text: goalWords ?? r.text ?? "",
    observed: r.observed ?? "",
  });
}
