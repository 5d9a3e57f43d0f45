// Production step after scripts/build.sh has assembled dist/:
//  1. minifies dist/ in place with esbuild, including the playground's stylesheet string in
//     web/src/app/style.js, and bundles dist/web/src into two ES modules: index.js (the API,
//     everything but the Wasm glue, which stays the only importer of web/pkg) and element.js
//     (imports index.js); the pages preload those two and the glue;
//  2. builds dist-offline/: index.html, embed.html and post.html loading ONE classic script
//     (raftlab.js) with the Wasm embedded (base64, instantiated with initSync) and the ready
//     scenarios and their index, and the lessons, inlined, so the folder works from file:// as well as from any static server.
// Then prints the sizes (scripts/sizes.mjs).
//   node scripts/build-offline.mjs
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { scenarioIndex } from "./scenario-index.mjs";

const root = new URL("../", import.meta.url).pathname;
const dist = join(root, "dist");
const offline = join(root, "dist-offline");
if (!existsSync(join(dist, "web/pkg/raftlab_wasm.js"))) {
  console.error("dist/ is not built: run scripts/build.sh first");
  process.exit(2);
}

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The stylesheet template in style.js, minified as CSS (esbuild leaves strings alone). */
async function minifyStyleModule(/** @type {string} */ src) {
  const m = /export const STYLE = `([^`$]*)`;/.exec(src);
  if (!m) return src;
  const css = (await esbuild.transform(m[1], { loader: "css", minify: true })).code.trim();
  return src.replace(m[0], `export const STYLE = ${JSON.stringify(css)};`);
}

// ---- 1. minify dist/ in place ----
const targets = "es2022";
for (const f of walk(dist)) {
  if (f.endsWith(".js")) {
    let src = readFileSync(f, "utf8");
    if (f.endsWith("/app/style.js")) src = await minifyStyleModule(src);
    const out = await esbuild.transform(src, {
      loader: "js",
      format: "esm",
      minify: true,
      target: targets,
      legalComments: "none",
    });
    writeFileSync(f, out.code);
  } else if (f.endsWith(".css")) {
    const out = await esbuild.transform(readFileSync(f, "utf8"), { loader: "css", minify: true });
    writeFileSync(f, out.code);
  } else if (f.endsWith(".d.ts")) {
    rmSync(f); // type declarations are for the npm package, not for readers of the page
  }
}

// ---- 1b. dist/web/src as two modules ----
// A page then fetches element.js, index.js and the glue (all preloaded at once) instead of 16
// modules: on a busy machine, issuing and serving that many requests delayed the first frame.
// index.js (the public API) bundles everything but the Wasm glue, which stays the one importer
// of the .wasm (its fallback init() finds the file next to itself); element.js imports it.
const styleMin = {
  name: "style-min",
  setup(/** @type {esbuild.PluginBuild} */ b) {
    b.onLoad({ filter: /app\/style\.js$/ }, async (a) => ({
      contents: await minifyStyleModule(readFileSync(a.path, "utf8")),
      loader: "js",
    }));
  },
};
/** @param {string} entry @param {RegExp} filter @param {string} path */
const bundleModule = (entry, filter, path) =>
  esbuild.build({
    entryPoints: [join(root, "web/src", entry)],
    bundle: true,
    format: "esm",
    minify: true,
    target: targets,
    legalComments: "none",
    write: false,
    plugins: [
      styleMin,
      {
        name: "external",
        setup(b) {
          b.onResolve({ filter }, () => ({ path, external: true }));
        },
      },
    ],
  });
const api = await bundleModule("index.js", /pkg\/raftlab_wasm\.js$/, "../pkg/raftlab_wasm.js");
const element = await bundleModule("element.js", /^\.\/index\.js$/, "./index.js");
rmSync(join(dist, "web/src"), { recursive: true, force: true });
mkdirSync(join(dist, "web/src"), { recursive: true });
writeFileSync(join(dist, "web/src/index.js"), api.outputFiles[0].contents);
writeFileSync(join(dist, "web/src/element.js"), element.outputFiles[0].contents);
for (const page of readdirSync(dist).filter((f) => f.endsWith(".html"))) {
  const html = readFileSync(join(dist, page), "utf8")
    .replace(/<!--[^>]*module graph[^>]*-->\n?/g, "")
    .replace(/<link rel="modulepreload" href="\.\/web\/src\/[^"]*">\n?/g, (tag) =>
      /\/(element|index)\.js"/.test(tag) ? tag : "",
    );
  writeFileSync(join(dist, page), html);
}

// ---- 2. dist-offline/ ----
rmSync(offline, { recursive: true, force: true });
mkdirSync(offline, { recursive: true });
const wasm = readFileSync(join(root, "web/pkg/raftlab_wasm_bg.wasm"));
/** @type {Record<string, unknown>} */
const scenarios = {};
const scenDir = join(root, "scenarios");
if (existsSync(scenDir)) {
  for (const f of readdirSync(scenDir).filter((x) => x.endsWith(".json"))) {
    scenarios[f] = JSON.parse(readFileSync(join(scenDir, f), "utf8"));
  }
}
// The scenario picker's list, inlined too (web/src/index.js reads it before fetching).
const scenarioList = existsSync(scenDir) ? scenarioIndex(scenDir) : [];
// The lessons the build rendered (dist/lessons: index.json, <id>/lesson.json, <id>/<lang>.json),
// by path under dist/lessons (web/src/lessons.js reads them before fetching).
/** @type {Record<string, unknown>} */
const lessonFiles = {};
const lessonDir = join(dist, "lessons");
if (existsSync(lessonDir)) {
  for (const f of walk(lessonDir).filter((x) => x.endsWith(".json"))) {
    lessonFiles[f.slice(lessonDir.length + 1)] = JSON.parse(readFileSync(f, "utf8"));
  }
}
const entry = [
  'import "./web/src/element.js";',
  'import "./www/site.js";',
  'import "./www/embed.js";',
].join("\n");
await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: "offline-entry.js" },
  bundle: true,
  format: "iife",
  minify: true,
  target: targets,
  legalComments: "none",
  outfile: join(offline, "raftlab.js"),
  define: {
    "globalThis.__RAFTLAB_WASM__": JSON.stringify(wasm.toString("base64")),
    "globalThis.__RAFTLAB_SCENARIOS__": JSON.stringify(scenarios),
    "globalThis.__RAFTLAB_SCENARIO_INDEX__": JSON.stringify(scenarioList),
    "globalThis.__RAFTLAB_LESSONS__": JSON.stringify(lessonFiles),
  },
  // The wasm-bindgen glue's streaming init() (import.meta.url) is never called here.
  logOverride: { "empty-import-meta": "silent" },
  plugins: [
    {
      name: "element-path",
      setup(b) {
        // embed.js imports "./web/src/element.js" relative to www/; in the repo it is ../web.
        b.onResolve({ filter: /^\.\/web\/src\/element\.js$/ }, () => ({
          path: join(root, "web/src/element.js"),
        }));
        b.onLoad({ filter: /app\/style\.js$/ }, async (a) => ({
          contents: await minifyStyleModule(readFileSync(a.path, "utf8")),
          loader: "js",
        }));
      },
    },
  ],
});
cpSync(join(dist, "site.css"), join(offline, "site.css"));
for (const page of ["index.html", "embed.html", "post.html"]) {
  let html = readFileSync(join(root, "www", page), "utf8");
  html = html
    .replace(/<!--[^>]*module graph[^>]*-->\n?/g, "")
    // The early Wasm compile: the offline script carries the module itself.
    .replace(/<script data-raftlab-wasm>[\s\S]*?<\/script>\n?/g, "")
    .replace(/<link rel="(modulepreload|preload)"[^>]*>\n?/g, "")
    .replace(/<script type="module"[^>]*><\/script>\n?/g, "")
    // The experiments page needs Web Workers and its own module: not part of the offline copy.
    .replace(/\s*<a href="experiments\.html">[^<]*<\/a>/g, "");
  html = html.replace("</head>", '<script src="./raftlab.js" defer></script>\n</head>');
  writeFileSync(join(offline, page), html);
}

const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `dist-offline/: raftlab.js ${kb(statSync(join(offline, "raftlab.js")).size)} (Wasm and ${Object.keys(scenarios).length} scenarios inside); open dist-offline/index.html from disk`,
);
console.log("after minification:");
execFileSync(process.execPath, [join(root, "scripts/sizes.mjs")], { cwd: root, stdio: "inherit" });
