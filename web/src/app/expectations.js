// A scenario expectation in the reader's words, from its JSON form (sim::scenario::Expectation:
// a `type` of vocab.js's EXPECTATION_TYPES and its fields), and what its run observed, from
// the result's `observed_case` and `observed_params` (sim::runner::ObservedCase). The verdicts
// and the observations come from Rust; only their wording is the page's.

import { caseText, holesOf } from "../render/line.js";
import { violationText } from "../render/monitors.js";
import { EXPECTATION_TYPES, OBSERVED_CASES } from "../vocab.js";

const OBSERVED_HOLES = holesOf(OBSERVED_CASES);

/**
 * What an expectation's run observed, in the reader's words; its English `observed` for a
 * result without a case (an older package).
 * @param {{ observed: string, observed_case?: string, observed_params?: string[], violation?: any }} r
 * @param {import("./labels.js").Tr} tr
 * @returns {string}
 */
export function observedText(r, tr) {
  const v = r.violation;
  if (v)
    return tr("obs_violation_at", {
      monitor: tr(/** @type {any} */ (`mon_${v.monitor}`)),
      ms: formatMs(v.time_us),
      violation: violationText(v, tr),
    });
  if (!r.observed_case || !r.observed_params) return r.observed;
  const text = caseText((c) => `obs_${c}`, OBSERVED_HOLES, r.observed_case, r.observed_params, tr);
  return text ?? r.observed;
}

/**
 * @param {Record<string, any>} e an expectation as in a scenario's `expect`
 * @param {import("./labels.js").Tr} tr
 * @returns {string}
 */
export function expectationText(e, tr) {
  const type = String(e?.type ?? "");
  if (!EXPECTATION_TYPES.includes(/** @type {any} */ (type))) return type.replace(/_/g, " ");
  const at =
    typeof e.at_us === "number" ? tr("expect_at", { ms: formatMs(e.at_us) }) : tr("expect_at_end");
  const node = (/** @type {unknown} */ n) => `n${n}`;
  if (type === "leader_exists" && e.node != null)
    return tr("expect_node_is_leader", { node: node(e.node), at });
  const vars = {
    at,
    count: e.count ?? "",
    index: e.index ?? "",
    nodes: e.nodes_min ?? "",
    node: e.node != null ? node(e.node) : "",
    key: e.key ?? "",
    value: e.value == null ? tr("expect_absent") : JSON.stringify(e.value),
    where: e.nodes_min == null ? tr("expect_all_live") : tr("expect_at_least", { n: e.nodes_min }),
    op: e.op ?? "",
    outcome: OUTCOME_KEYS.has(e.outcome)
      ? tr(/** @type {any} */ (`hist_outcome_${e.outcome}`))
      : String(e.outcome ?? ""),
    monitor: e.monitor ? tr(/** @type {any} */ (`mon_${e.monitor}`)) : "",
  };
  return tr(/** @type {import("../i18n.js").StringKey} */ (`expect_${type}`), vars);
}

const OUTCOME_KEYS = new Set(["ok", "failed", "unknown"]);

/** Whole milliseconds where exact, else one decimal. @param {number} us */
function formatMs(us) {
  const ms = us / 1000;
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(1);
}
