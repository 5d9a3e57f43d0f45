// The popover the node, message and link menus open in, placed beside what was clicked inside
// the cluster pane. It remembers the control that opened it and gives focus back on close, and
// it can resume time on close when the menu paused it.

import { h } from "../../render/dom.js";

/**
 * A button that runs `fn`.
 * @param {string} label
 * @param {() => void} fn
 * @param {string} [aria] an accessible name; the button is then a small "x" style button
 */
export function btn(label, fn, aria) {
  const b = h("button", { type: "button" }, label);
  if (aria) {
    b.setAttribute("aria-label", aria);
    b.className = "x";
  }
  b.addEventListener("click", fn);
  return b;
}

/**
 * @param {{ shadow: ShadowRoot, anchor: () => HTMLElement, onClose: (resume: boolean) => void,
 *   tr: import("../labels.js").Tr }} deps
 *   anchor: the pane the popover is placed in; onClose: told whether to resume time; tr: the
 *   page's labels
 */
export function createPopover(deps) {
  const el = h("div", { class: "pop", role: "dialog", hidden: true });
  /** @type {HTMLElement | SVGElement | null} */
  let returnTo = null;
  let resume = false;
  const close = () => {
    if (el.hidden) return;
    el.hidden = true;
    el.classList.remove("list");
    el.replaceChildren();
    const r = resume;
    resume = false;
    deps.onClose(r);
    if (returnTo && "focus" in returnTo && returnTo.isConnected) returnTo.focus();
    returnTo = null;
  };
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  return {
    el,
    get open() {
      return !el.hidden;
    },
    close,
    /** Resume time when this popover closes. @param {boolean} on */
    resumeOnClose(on) {
      resume = on;
    },
    /**
     * @param {string} title
     * @param {DOMRect} at where the invoking thing is, in client coordinates
     * @param {(HTMLElement | string)[]} body
     * @param {{ list?: boolean, returnTo?: HTMLElement | SVGElement | null }} [o]
     */
    show(title, at, body, o = {}) {
      // Keep the first opener when one menu opens another (the message list opens a message).
      if (el.hidden)
        returnTo = o.returnTo ?? /** @type {HTMLElement | null} */ (deps.shadow.activeElement);
      el.classList.toggle("list", !!o.list);
      el.replaceChildren(
        h("div", { class: "pop-head" }, h("strong", {}, title), btn("✕", close, deps.tr("close"))),
        ...body,
      );
      el.setAttribute("aria-label", title);
      el.hidden = false;
      const box = deps.anchor().getBoundingClientRect();
      const pw = Math.min(280, box.width - 8);
      let left = at.left - box.left + at.width / 2 - pw / 2;
      left = Math.max(4, Math.min(box.width - pw - 4, left));
      const below = at.bottom - box.top + 6;
      const top = below + 180 > box.height ? Math.max(4, at.top - box.top - 186) : below;
      el.style.left = `${left}px`;
      el.style.top = `${top}px`;
      el.style.width = `${pw}px`;
      /** @type {HTMLElement | null} */ (el.querySelector("button:not(.x), input"))?.focus();
    },
  };
}

/** @typedef {ReturnType<typeof createPopover>} Popover */
