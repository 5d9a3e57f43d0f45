// The page's collapsible sections (Logs, Safety monitors, ...), titled from the string table
// and relabelled when the reader switches language.

import { t } from "../i18n.js";
import { h } from "../render/dom.js";

/**
 * @param {import("../i18n.js").Lang} lang the language the titles start in
 */
export function createSections(lang) {
  /** @type {[HTMLElement, import("../i18n.js").StringKey][]} */
  const titled = [];
  return {
    /**
     * A section titled with `key`, open or closed, holding `body`.
     * @param {import("../i18n.js").StringKey} key
     * @param {boolean} open
     * @param {(Node | string)[]} body
     */
    section(key, open, ...body) {
      const summary = h("summary", {}, t(lang, key));
      titled.push([summary, key]);
      return h("details", { class: "pane", open }, summary, ...body);
    },
    /** @param {import("../i18n.js").Lang} next */
    relabel(next) {
      lang = next;
      for (const [el, key] of titled) el.textContent = t(lang, key);
    },
  };
}
