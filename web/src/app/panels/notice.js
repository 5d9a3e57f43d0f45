// A notice over the cluster: a long replay's progress with Cancel, or a link that could not be
// opened with the way out. It is a labelled region with its own live text, so it is seen and
// heard where the reader looks.

import { h, text } from "../../render/dom.js";
import { btn } from "./popover.js";

/** @param {import("../labels.js").Labels} labels */
export function createNotice(labels) {
  const msg = h("p", { class: "notice-text" });
  const bar = /** @type {HTMLProgressElement} */ (h("progress", { max: 1, value: 0 }));
  const row = h("div", { class: "pop-row" });
  const el = h("div", { class: "notice", role: "alertdialog", hidden: true }, msg, bar, row);
  labels.bind(el, "notice", "aria-label");
  return {
    el,
    get shown() {
      return !el.hidden;
    },
    /**
     * @param {string} message
     * @param {{ label: string, run: () => void }[]} actions
     * @param {number | null} [progress] 0..1, or null for no progress bar
     */
    show(message, actions, progress = null) {
      text(msg, message);
      bar.hidden = progress === null;
      if (progress !== null) bar.value = progress;
      row.replaceChildren(...actions.map((a) => btn(a.label, a.run)));
      const wasHidden = el.hidden;
      el.hidden = false;
      if (wasHidden) /** @type {HTMLElement | null} */ (row.querySelector("button"))?.focus();
    },
    /** Updates the message and progress of the notice shown. @param {string} message @param {number} p */
    progress(message, p) {
      text(msg, message);
      bar.value = p;
    },
    hide() {
      el.hidden = true;
      row.replaceChildren();
    },
  };
}
