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

/** The history playground's own files (www/history*, its checker module). */
const historyOnly = (f) => /\/history(\/|\.html$)|\/web\/pkg-check\//.test(f);
/** The CAP page's own files (www/cap*, its side-by-side module). */
const capOnly = (f) => /\/cap(\/|\.html$)|\/web\/pkg-cap\//.test(f);
/** Loaded by the history playground and the CAP page, not by the playground. */
const labPagesShared = (f) => f.endsWith("/lang-picker.js");
/** The experiments page's own files (www/experiments*, the lab module, uPlot). */
const experimentsOnly = (f) => /\/(experiments|vendor)(\/|\.html$)|\/web\/pkg-lab\//.test(f);

/** @param {string} title @param {[string, string[]][]} rows */
function table(title, rows) {
  let total = { raw: 0, gz: 0 };
  console.log(title);
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
}

table("size of dist/ (what a reader downloads):", [
  ["wasm", files("dist/web/pkg", (f) => f.endsWith(".wasm"))],
  ["wasm glue (js)", files("dist/web/pkg", (f) => f.endsWith(".js"))],
  ["web/src (js)", files("dist/web/src", (f) => f.endsWith(".js"))],
  [
    "pages (html, css, js)",
    files(
      "dist",
      (f) =>
        !f.includes("/web/") &&
        !experimentsOnly(f) &&
        !historyOnly(f) &&
        !capOnly(f) &&
        !labPagesShared(f) &&
        /\.(html|css|js)$/.test(f),
    ),
  ],
]);
// The experiments page loads these besides site.css (and the playground's bundle only when a
// point is opened); the playground never loads them.
table("the experiments page's own (experiments.html only):", [
  ["lab wasm", files("dist/web/pkg-lab", (f) => f.endsWith(".wasm"))],
  ["lab wasm glue (js)", files("dist/web/pkg-lab", (f) => f.endsWith(".js"))],
  ["uPlot (js, css)", files("dist/vendor", (f) => /\.(js|css)$/.test(f))],
  [
    "page (html, js)",
    files(
      "dist",
      (f) =>
        experimentsOnly(f) &&
        !f.includes("/vendor/") &&
        !f.includes("/pkg-lab/") &&
        /\.(html|js)$/.test(f),
    ),
  ],
]);
// The history playground loads its own checker module and page files; the other pages never
// load them.
table("the history playground's own (history.html only):", [
  ["checker wasm", files("dist/web/pkg-check", (f) => f.endsWith(".wasm"))],
  ["checker wasm glue (js)", files("dist/web/pkg-check", (f) => f.endsWith(".js"))],
  [
    "page (html, css, js)",
    files(
      "dist",
      (f) =>
        (historyOnly(f) || labPagesShared(f)) &&
        !f.includes("/pkg-check/") &&
        /\.(html|css|js)$/.test(f),
    ),
  ],
]);
// The CAP page loads its own module (the simulator with the AP store) and page files.
table("the CAP page's own (cap.html only):", [
  ["cap wasm", files("dist/web/pkg-cap", (f) => f.endsWith(".wasm"))],
  ["cap wasm glue (js)", files("dist/web/pkg-cap", (f) => f.endsWith(".js"))],
  [
    "page (html, css, js)",
    files(
      "dist",
      (f) =>
        (capOnly(f) || labPagesShared(f)) && !f.includes("/pkg-cap/") && /\.(html|css|js)$/.test(f),
    ),
  ],
]);
