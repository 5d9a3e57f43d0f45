// Prints the raw and gzipped size of what a reader of the page downloads.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** @param {string} dir @param {(f: string) => boolean} keep @returns {string[]} */
function files(dir, keep) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, keep) : keep(path) ? [path] : [];
  });
}

/** @param {string[]} list */
function measure(list) {
  let raw = 0;
  let gz = 0;
  for (const f of list) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ["wasm", files("dist/web/pkg", (f) => f.endsWith(".wasm"))],
  ["wasm glue (js)", files("dist/web/pkg", (f) => f.endsWith(".js"))],
  ["web/src (js)", files("dist/web/src", (f) => f.endsWith(".js"))],
  [
    "pages (html, css, js)",
    files("dist", (f) => !f.includes("/web/") && /\.(html|css|js)$/.test(f)),
  ],
];
let total = { raw: 0, gz: 0 };
console.log("size of dist/ (what a reader downloads):");
for (const [name, list] of rows) {
  const m = measure(list);
  total = { raw: total.raw + m.raw, gz: total.gz + m.gz };
  console.log(
    `  ${name.padEnd(24)} ${kb(m.raw).padStart(10)} raw ${kb(m.gz).padStart(10)} gzipped`,
  );
}
console.log(
  `  ${"total".padEnd(24)} ${kb(total.raw).padStart(10)} raw ${kb(total.gz).padStart(10)} gzipped`,
);
