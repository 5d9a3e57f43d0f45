// The page's collapsible sections (Logs, Safety monitors, ...), titled from the string table
// and relabelled when the reader switches language.

import { h } from "../render/dom.js";

/** @param {import("./labels.js").Labels} labels */
export function createSections(labels) {
  return {
    /**
     * A section titled with `key`, open or closed, holding `body`.
     * @param {import("../i18n.js").StringKey} key
     * @param {boolean} open
     * @param {(Node | string)[]} body
     */
    section(key, open, ...body) {
      return h("details", { class: "pane", open }, labels.bind(h("summary", {}), key), ...body);
    },
  };
}
