// The language picker of the pages that are not the playground (the history playground, the
// CAP page): every language as an option, the choice remembered and announced to the page
// chrome (site.js listens for the `lang` event).
import { LANGS, saveLang } from "./web/src/element.js";

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
