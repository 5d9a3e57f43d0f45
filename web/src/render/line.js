// A trace line in the reader's words: its case's sentence (`line_<case>`) with its holes
// filled in order. The holes' names come from the case's English label (the simulator's
// vocabulary, `TRACE_LINE_CASES`); a few hole values are themselves names the tables word
// (a role, a monitor, an outcome).

import { TRACE_LINE_CASES } from "../vocab.js";

/**
 * Each case's hole names, in its label's order (a case vocabulary of vocab.js).
 * @param {readonly { name: string, label: string }[]} cases
 * @returns {Map<string, string[]>}
 */
export function holesOf(cases) {
  return new Map(cases.map((c) => [c.name, [...c.label.matchAll(/\{(\w+)\}/g)].map((m) => m[1])]));
}

const HOLES = holesOf(TRACE_LINE_CASES);

/** Holes whose value is a vocabulary name the tables word: hole -> key prefix. */
const WORDED = /** @type {Record<string, string>} */ ({
  from_role: "role_",
  to_role: "role_",
  by_role: "role_",
  monitor: "mon_",
  outcome: "hist_outcome_",
  verdict: "hist_verdict_",
});

/**
 * Case `name`'s sentence (the string `key(name)`: `line_…`, `obs_…`), its holes filled in
 * order from `params`; a hole in WORDED is a vocabulary name, worded by its table. Null when
 * the case is unknown.
 * @param {(name: string) => string} key
 * @param {Map<string, string[]>} holes
 * @param {string} name
 * @param {readonly string[]} params
 * @param {import("../app/labels.js").Tr} tr
 */
export function caseText(key, holes, name, params, tr) {
  const names = holes.get(name);
  if (!names) return null;
  /** @type {Record<string, string>} */
  const vars = {};
  names.forEach((n, i) => {
    const v = params[i] ?? "";
    // Roles print as `pre-candidate`; their keys are by name (`role_pre_candidate`).
    vars[n] = WORDED[n]
      ? tr(/** @type {import("../i18n.js").StringKey} */ (`${WORDED[n]}${v.replace("-", "_")}`))
      : v;
  });
  return tr(/** @type {import("../i18n.js").StringKey} */ (key(name)), vars);
}

/**
 * The line's text in the reader's language; its English `text` for a line without a case
 * (an older package, or a line fetched without text).
 * @param {{ text: string, case?: string | null, params?: string[] }} line
 * @param {import("../app/labels.js").Tr} tr
 */
export function lineText(line, tr) {
  if (!line.case || !line.params) return line.text;
  return caseText((c) => `line_${c}`, HOLES, line.case, line.params, tr) ?? line.text;
}
