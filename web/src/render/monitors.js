// The safety monitors: one row per property, green while it holds, red with the violation's
// description once broken. Clicking a violation asks the app to jump to it.

import { attr, cls, h, keyedList, text } from "./dom.js";
import { formatUs } from "./geom.js";

/**
 * @typedef {import("../types.d.ts").MonitorState} MonitorState
 */

/** @type {Record<string, string>} */
const TITLES = {
  election_safety: "Election Safety",
  leader_append_only: "Leader Append-Only",
  log_matching: "Log Matching",
  leader_completeness: "Leader Completeness",
  state_machine_safety: "State Machine Safety",
  committed_entry_lost: "Committed entry kept",
  exactly_once: "Exactly once",
};

/**
 * Builds the monitors view.
 * @param {{ onViolation?: (m: MonitorState) => void }} handlers
 */
export function createMonitorsView(handlers = {}) {
  const root = h("ul", { class: "monitors", "aria-label": "Safety monitors" });
  /** @type {Map<string, MonitorState>} */
  let byName = new Map();
  let lastKey = "";
  const rows = keyedList(root, (/** @type {MonitorState} */ m) => {
    const btn = h("button", { type: "button", class: "mon-go" });
    const li = h(
      "li",
      { class: "mon" },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "mname" }, TITLES[m.monitor] ?? m.monitor),
      h("span", { class: "mdesc" }),
      btn,
    );
    btn.addEventListener("click", () => {
      const cur = byName.get(m.monitor);
      if (cur?.first) handlers.onViolation?.(cur);
    });
    return li;
  });

  /** @param {MonitorState[]} monitors @param {Set<string>} [spot] monitors a lesson step points at */
  function render(monitors, spot) {
    const key = `${monitors.map((m) => `${m.monitor}:${m.violations}:${m.first?.time_us}`).join("|")}|${[...(spot ?? [])]}`;
    if (key === lastKey) return;
    lastKey = key;
    byName = new Map(monitors.map((m) => [m.monitor, m]));
    rows.update(
      monitors,
      (m) => m.monitor,
      (li, m) => {
        cls(li, "bad", m.violated);
        cls(li, "spot", !!spot?.has(m.monitor));
        const [, , desc, btn] = /** @type {HTMLElement[]} */ ([...li.children]);
        const v = m.first;
        const more = m.violations > 1 ? ` (${m.violations} times; the first shown)` : "";
        text(desc, v ? `${v.description}${more}` : "holds");
        cls(btn, "hidden", !v);
        text(btn, v ? `at ${formatUs(v.time_us)} ↦` : "");
        attr(
          btn,
          "aria-label",
          v ? `Jump to the ${TITLES[m.monitor] ?? m.monitor} violation` : null,
        );
      },
    );
  }

  return { el: root, render };
}
