// The page's own labels in every language it speaks, declared once: one table per language in
// web/src/i18n/. A lesson's text lives in lessons/<id>/<lang>.md; these are the words around
// it. web/test/i18n.test.mjs fails when a key is missing or empty in one language. The language is the reader's choice, remembered in
// localStorage, and on a first visit the browser's (navigator.language).

import { EN } from "./i18n/en.js";
import { ZH } from "./i18n/zh.js";

/** The languages, in the switcher's order, each named in itself. */
export const LANGS = /** @type {const} */ ([
  ["en", "English"],
  ["zh", "中文"],
]);

/** @typedef {"en" | "zh"} Lang */

/** Where the reader's choice is remembered. */
const STORAGE_KEY = "raftlab:lang";

/** Each label, per language. `{n}`-style holes are filled by {@link t}. */
export const STRINGS = { en: EN, zh: ZH };

/** @typedef {keyof typeof STRINGS.en} StringKey */

/**
 * The label `key` in `lang`, holes filled from `vars` (`t("zh", "step_of", { n: 2, m: 5 })`).
 * @param {Lang} lang @param {StringKey} key @param {Record<string, string | number>} [vars]
 */
export function t(lang, key, vars) {
  return fillHoles(STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key, vars);
}

/**
 * `s` with each `{hole}` replaced by `vars[hole]` (a hole without a value stays as written).
 * @param {string} s
 * @param {Record<string, string | number>} [vars]
 */
export function fillHoles(s, vars) {
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`)) : s;
}

/** @param {unknown} x @returns {x is Lang} */
export function isLang(x) {
  return LANGS.some(([code]) => code === x);
}

/**
 * The language for a browser language tag (`zh-CN` → zh); English for anything else.
 * @param {string | undefined} tag
 * @returns {Lang}
 */
export function langFromTag(tag) {
  const base = String(tag ?? "")
    .toLowerCase()
    .split("-")[0];
  return isLang(base) ? base : "en";
}

/**
 * The reader's language: the one they chose before, else the browser's.
 * @returns {Lang}
 */
export function initialLang() {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage may be unavailable (privacy settings): fall back to the browser's language.
  }
  return langFromTag(globalThis.navigator?.language);
}

/** Remembers the reader's choice. @param {Lang} lang */
export function saveLang(lang) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, still used.
  }
}
