// The history playground's list of ready histories (dist/history/figures/index.json):
// [{ file, title, description, text: { zh: { title, description } } }] for the checker's ladder
// testdata (crates/check/testdata/ladder-*.json: the article's figures). English texts come
// from the files; the other languages' from testdata/text/<lang>.json, which must have exactly
// one entry per figure (an error names the file and the figure otherwise).
//   node scripts/history-figures.mjs <testdata dir> [out file]   (no out file: stdout)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The languages besides English that every figure is written in (web/src/i18n.js's LANGS). */
export const FIGURE_TEXT_LANGS = ["zh"];

/** @param {string} dir */
export function figureIndex(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith("ladder-") && f.endsWith(".json"))
    .sort();
  /** @type {Record<string, Record<string, { title: string, description: string }>>} */
  const texts = {};
  for (const lang of FIGURE_TEXT_LANGS) {
    const path = join(dir, "text", `${lang}.json`);
    texts[lang] = JSON.parse(readFileSync(path, "utf8"));
    for (const f of files) {
      const t = texts[lang][f];
      if (!t || typeof t.title !== "string" || !t.title || typeof t.description !== "string")
        throw new Error(`${path}: "${f}" needs a title and a description`);
    }
    for (const f of Object.keys(texts[lang]))
      if (!files.includes(f)) throw new Error(`${path}: "${f}" is not a ladder history in ${dir}`);
  }
  return files.map((file) => {
    const h = JSON.parse(readFileSync(join(dir, file), "utf8"));
    return {
      file,
      title: h.title,
      description: h.description,
      text: Object.fromEntries(
        FIGURE_TEXT_LANGS.map((lang) => {
          const { title, description } = texts[lang][file];
          return [lang, { title, description }];
        }),
      ),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, out] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node scripts/history-figures.mjs <testdata dir> [out file]");
    process.exit(2);
  }
  const json = JSON.stringify(figureIndex(dir));
  if (out) writeFileSync(out, json);
  else process.stdout.write(`${json}\n`);
}
