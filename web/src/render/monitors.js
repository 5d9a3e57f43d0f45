// The safety monitors: one row per property, green while it holds, red with the violation's
// description once broken. Clicking a violation asks the app to jump to it.

import { t } from "../i18n.js";
import { attr, cls, h, keyedList, text } from "./dom.js";
import { formatUs } from "./geom.js";

/**
 * @typedef {import("../types.d.ts").MonitorState} MonitorState
 */

/**
 * A violation in the reader's words: its case's sentence (`viol_<case>`) with its params
 * filled; the simulator's English description for a violation without a case (an older
 * package).
 * @param {import("../types.d.ts").Violation} v
 * @param {import("../app/labels.js").Tr} tr
 */
export function violationText(v, tr) {
  if (!v.case) return v.description;
  return tr(/** @type {import("../i18n.js").StringKey} */ (`viol_${v.case}`), v.params ?? {});
}

/**
 * Builds the monitors view.
 * @param {{ onViolation?: (m: MonitorState) => void, tr?: import("../app/labels.js").Tr }} handlers
 *   tr: the labels in the page's language (English when absent)
 */
export function createMonitorsView(handlers = {}) {
  const tr = handlers.tr ?? ((k, v) => t("en", k, v));
  /** A monitor's name (`mon_<id>` in the string table). @param {string} id */
  const title = (id) => tr(/** @type {import("../i18n.js").StringKey} */ (`mon_${id}`));
  const root = h("ul", { class: "monitors" });
  /** @type {Map<string, MonitorState>} */
  let byName = new Map();
  let lastKey = "";
  const rows = keyedList(root, (/** @type {MonitorState} */ m) => {
    const btn = h("button", { type: "button", class: "mon-go" });
    const li = h(
      "li",
      { class: "mon" },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "mname" }, title(m.monitor)),
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
        const [, name, desc, btn] = /** @type {HTMLElement[]} */ ([...li.children]);
        const v = m.first;
        const more = m.violations > 1 ? tr("mon_times", { n: m.violations }) : "";
        text(name, title(m.monitor));
        text(desc, v ? `${violationText(v, tr)}${more}` : tr("mon_holds"));
        cls(btn, "hidden", !v);
        text(btn, v ? tr("mon_at", { at: formatUs(v.time_us) }) : "");
        attr(btn, "aria-label", v ? tr("mon_jump", { monitor: title(m.monitor) }) : null);
      },
    );
  }

  const relabel = () => {
    root.setAttribute("aria-label", tr("sec_monitors"));
    lastKey = "";
  };
  relabel();
  return { el: root, render, relabel };
}
