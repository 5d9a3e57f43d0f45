// A checker explanation in the reader's words: its case's sentence (`plain_<case>`) with
// its holes filled in order, nested explanations worded the same way. The holes' names come
// from the case's English label (the checker's vocabulary, `WORD_CASES`).

import { WORD_CASES } from "../vocab.js";
import { caseText, holesOf } from "./line.js";

const HOLES = holesOf(WORD_CASES);

/** @typedef {import("../types.d.ts").Words} Words */

/**
 * `w` in the reader's language; a list's items joined by `plain_list_sep`, alternatives by
 * `plain_or`.
 * @param {Words} w
 * @param {import("../app/labels.js").Tr} tr
 * @returns {string}
 */
export function wordsText(w, tr) {
  const params = w.params.map((p) => {
    if (typeof p === "string") return p;
    if (!Array.isArray(p)) return wordsText(p, tr);
    const items = /** @type {(string | Words)[]} */ (p);
    const sep = items.every((x) => typeof x === "string") ? "plain_or" : "plain_list_sep";
    return items.map((x) => (typeof x === "string" ? x : wordsText(x, tr))).join(tr(sep));
  });
  return caseText((c) => `plain_${c}`, HOLES, w.case, params, tr) ?? "";
}
