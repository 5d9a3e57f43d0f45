// The language of the pages that are not the playground (the history playground, the CAP
// page): the picker (every language as an option, the choice remembered and announced to the
// page chrome, which listens for the `lang` event in site.js), and the words of a page's own
// tables before the shared one.
import { fillHoles, LANGS, saveLang, t } from "./web/src/element.js";

/**
 * A word from the first of `tables` that has `key` (in `lang`, else English), else from the
 * shared table; `{hole}`s filled from `vars`.
 * @param {Record<string, Record<string, string>>[]} tables
 * @param {string} lang
 * @param {any} key
 * @param {Record<string, string | number>} [vars]
 */
export function pageWord(tables, lang, key, vars) {
  for (const table of tables) {
    const own = table[lang]?.[key] ?? table.en[key];
    if (own !== undefined) return fillHoles(own, vars);
  }
  return t(/** @type {any} */ (lang), key, vars);
}

/**
 * Writes every `[data-<attr>]` element's text in `lang`.
 * @param {string} attr the dataset name (`cap`, `hp`)
 * @param {(key: any) => string} tr
 */
export function relabelOwn(attr, tr) {
  for (const el of document.querySelectorAll(`[data-${attr}]`))
    el.textContent = tr(/** @type {HTMLElement} */ (el).dataset[attr]);
}

/**
 * Fills `select` with the languages, shows `lang`, and on a change saves and announces the
 * new one, then calls `onChange` with it.
 * @param {HTMLSelectElement} select
 * @param {string} lang
 * @param {(lang: any) => void} onChange
 */
export function langPicker(select, lang, onChange) {
  for (const [code, name] of LANGS) {
    const o = document.createElement("option");
    o.value = code;
    o.lang = code;
    o.textContent = name;
    select.append(o);
  }
  select.value = lang;
  select.addEventListener("change", () => {
    saveLang(/** @type {any} */ (select.value));
    document.dispatchEvent(new CustomEvent("lang", { detail: select.value }));
    onChange(select.value);
  });
}
