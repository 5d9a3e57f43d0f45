// The history playground's list of ready histories (dist/history/figures/index.json):
// [{ file, title, description, text: { zh: { title, description } } }] for the checker's ladder
// testdata (crates/check/testdata/ladder-*.json: the article's figures). English texts come
// from the files; the other languages' from testdata/text/<lang>.json, which must have exactly
// one entry per figure (an error names the file and the figure otherwise).
//   node scripts/history-figures.mjs <testdata dir> [out file]   (no out file: stdout)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTexts } from "./texts.mjs";

/** @param {string} dir */
export function figureIndex(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith("ladder-") && f.endsWith(".json"))
    .sort();
  const textOf = readTexts(dir, files);
  return files.map((file) => {
    const h = JSON.parse(readFileSync(join(dir, file), "utf8"));
    return {
      file,
      title: h.title,
      description: h.description,
      text: textOf(file),
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
