// The safety monitors: one row per property, green while it holds, red with the violation's
// description once broken. Clicking a violation asks the app to jump to it.

import { attr, cls, h, keyedList, text } from "./dom.js";
import { formatUs } from "./geom.js";

/**
 * @typedef {import("../types.d.ts").MonitorView} MonitorView
 */

/** @type {Record<string, string>} */
const TITLES = {
  election_safety: "Election Safety",
  leader_append_only: "Leader Append-Only",
  log_matching: "Log Matching",
  leader_completeness: "Leader Completeness",
  state_machine_safety: "State Machine Safety",
  committed_entry_lost: "Committed entry kept",
};

/**
 * Builds the monitors view.
 * @param {{ onViolation?: (m: MonitorView) => void }} handlers
 */
export function createMonitorsView(handlers = {}) {
  const root = h("ul", { class: "monitors", "aria-label": "Safety monitors" });
  /** @type {Map<string, MonitorView>} */
  let byName = new Map();
  const rows = keyedList(root, (/** @type {MonitorView} */ m) => {
    const btn = h("button", { type: "button", class: "mon-go" });
    const li = h(
      "li",
      { class: "mon" },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "mname" }, TITLES[m.name] ?? m.name),
      h("span", { class: "mdesc" }),
      btn,
    );
    btn.addEventListener("click", () => {
      const cur = byName.get(m.name);
      if (cur?.violation) handlers.onViolation?.(cur);
    });
    return li;
  });

  /** @param {MonitorView[]} monitors */
  function render(monitors) {
    byName = new Map(monitors.map((m) => [m.name, m]));
    rows.update(
      monitors,
      (m) => m.name,
      (li, m) => {
        cls(li, "bad", !m.ok);
        const [, , desc, btn] = /** @type {HTMLElement[]} */ ([...li.children]);
        const v = m.violation;
        text(desc, v ? v.description : "holds");
        cls(btn, "hidden", !v);
        text(btn, v ? `at ${formatUs(v.at_us)} ↦` : "");
        attr(btn, "aria-label", v ? `Jump to the ${TITLES[m.name] ?? m.name} violation` : null);
      },
    );
  }

  return { el: root, render };
}
