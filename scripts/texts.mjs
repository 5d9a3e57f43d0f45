// The texts of ready files (scenarios, the history playground's figures) in the languages
// besides English: `<dir>/text/<lang>.json`, `{ "<name>": { "title", "description" } }`, with
// exactly one entry per name. A missing or extra entry, or one without a title and a
// description, is an error naming the file and the entry.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The languages besides English that every ready file is written in (web/src/i18n.js's LANGS). */
export const TEXT_LANGS = ["zh"];

/**
 * @param {string} dir the folder holding `text/`
 * @param {string[]} names the entries expected
 * @returns {(name: string) => Record<string, { title: string, description: string }>} each
 *   name's texts, by language
 */
export function readTexts(dir, names) {
  /** @type {Record<string, Record<string, { title: string, description: string }>>} */
  const byLang = {};
  for (const lang of TEXT_LANGS) {
    const file = join(dir, "text", `${lang}.json`);
    const texts = JSON.parse(readFileSync(file, "utf8"));
    for (const n of names) {
      const t = texts[n];
      if (!t || typeof t.title !== "string" || !t.title || typeof t.description !== "string")
        throw new Error(`${file}: "${n}" needs a title and a description`);
    }
    for (const n of Object.keys(texts))
      if (!names.includes(n)) throw new Error(`${file}: "${n}" is not one of the files in ${dir}`);
    byLang[lang] = texts;
  }
  return (name) =>
    Object.fromEntries(
      TEXT_LANGS.map((lang) => {
        const { title, description } = byLang[lang][name];
        return [lang, { title, description }];
      }),
    );
}
