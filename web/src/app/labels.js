// The page's labels in the reader's language: `tr` gives a label now, `bind` writes one into an
// element (text or an attribute) and rewrites it when the language changes, `onChange` runs a
// panel's own relabelling (labels that depend on state, like Play/Pause). Popovers and
// messages are written when shown, in the language of that moment, with `tr`.

import { t } from "../i18n.js";

/**
 * @typedef {import("../i18n.js").Lang} Lang
 * @typedef {import("../i18n.js").StringKey} StringKey
 * @typedef {(key: StringKey, vars?: Record<string, string | number>) => string} Tr
 */

/** @param {{ lang: Lang }} ui the UI state whose `lang` is the page's language */
export function createLabels(ui) {
  /** @type {[Element, StringKey, string | null][]} */
  const bound = [];
  /** @type {(() => void)[]} */
  const hooks = [];
  /** @type {Tr} */
  const tr = (key, vars) => t(ui.lang, key, vars);
  /** @param {Element} el @param {StringKey} key @param {string | null} name */
  const write = (el, key, name) => {
    const s = tr(key);
    if (name === null) el.textContent = s;
    else el.setAttribute(name, s);
  };
  return {
    tr,
    /**
     * Writes label `key` into `el` (its text, or attribute `name`), now and on every change.
     * Only for elements that live as long as the playground (not popover contents).
     * @template {Element} E
     * @param {E} el @param {StringKey} key @param {string} [name]
     * @returns {E}
     */
    bind(el, key, name) {
      bound.push([el, key, name ?? null]);
      write(el, key, name ?? null);
      return el;
    },
    /** Runs `fn` after every language change. @param {() => void} fn */
    onChange(fn) {
      hooks.push(fn);
    },
    /** Switches to `lang` and relabels everything bound. @param {Lang} lang */
    set(lang) {
      ui.lang = lang;
      for (const [el, key, name] of bound) write(el, key, name);
      for (const fn of hooks) fn();
    },
  };
}

/** @typedef {ReturnType<typeof createLabels>} Labels */
