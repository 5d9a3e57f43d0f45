// The one module that touches the generated Wasm bindings (web/pkg, built from crates/wasm).
// Everything else receives handles through here, so swapping the build output, or loading it
// lazily, changes this file only.

import init, { initSync, Playground } from "../pkg/raftlab_wasm.js";

/**
 * The offline single-file build (scripts/build-offline.mjs) defines this as the module's bytes
 * in base64, since file:// pages cannot fetch a .wasm; everywhere else it is undefined.
 * @type {string | undefined}
 */
const EMBEDDED = /** @type {any} */ (globalThis).__RAFTLAB_WASM__;

/**
 * A page may start compiling the module before any script module has loaded, with an inline
 * script in its <head> (www/index.html does):
 *   globalThis.__RAFTLAB_WASM_COMPILE__ = WebAssembly.compileStreaming(fetch(".../raftlab_wasm_bg.wasm"))
 * The download and the compilation then overlap the module graph's loading.
 * @type {Promise<WebAssembly.Module> | undefined}
 */
const EARLY = /** @type {any} */ (globalThis).__RAFTLAB_WASM_COMPILE__;

/** @type {Promise<unknown> | null} */
let ready = null;

/**
 * Loads and instantiates the Wasm module once; later calls share the same promise.
 * @returns {Promise<void>}
 */
/** The instantiated module's exports (its memory, for figures). */
let exportsOf = /** @type {{ memory?: WebAssembly.Memory } | null} */ (null);

/** Bytes of Wasm linear memory in use by the module (0 before it loads): a bench's figure. */
export function wasmMemoryBytes() {
  return exportsOf?.memory?.buffer.byteLength ?? 0;
}

export async function load() {
  if (!ready) {
    ready = (EMBEDDED ? Promise.resolve().then(instantiateEmbedded) : instantiateStreamed()).catch(
      (e) => {
        ready = null; // allow a retry after a transient network failure
        throw e;
      },
    );
  }
  await ready;
}

/** Instantiates the module the page started compiling, else fetches and compiles it now. */
async function instantiateStreamed() {
  if (EARLY) {
    /** @type {WebAssembly.Module | null} */
    let module = null;
    try {
      module = await EARLY;
    } catch {
      // e.g. served with a wrong MIME type: init() below retries (and says why).
    }
    if (module) {
      exportsOf = await init({ module_or_path: module });
      return;
    }
  }
  exportsOf = await init();
}

/** Instantiates the base64 module of the offline build. */
function instantiateEmbedded() {
  const bin = atob(/** @type {string} */ (EMBEDDED));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  exportsOf = initSync({ module: bytes });
}

/**
 * A new world.
 * @param {import("./types.d.ts").ConfigInput} config
 * @param {number} [seed] omitted: the world draws one from the platform
 * @returns {Promise<import("./types.d.ts").PlaygroundHandle>}
 */
export async function createHandle(config, seed) {
  await load();
  // `new Playground(configObjectOrJson | undefined, seed | undefined)`: missing config fields
  // take the playground preset; without a seed the world draws one (read it from `seed()`).
  return /** @type {any} */ (new Playground(config ?? undefined, seed ?? undefined));
}

/**
 * A world from a scenario (config, seed, timed actions), e.g. an exported file or a share link.
 * @param {import("./types.d.ts").Scenario} json
 * @returns {Promise<import("./types.d.ts").PlaygroundHandle>}
 */
export async function handleFromScenario(json) {
  await load();
  // A share link's `t_us` is the page's (the moment to show), not a scenario field: the Rust
  // Scenario refuses unknown fields.
  const { t_us: _moment, ...scenario } = /** @type {import("./types.d.ts").SharedState} */ (json);
  return /** @type {any} */ (Playground.from_scenario(scenario));
}

/**
 * Runs a scenario to its end headlessly (the grader's call) and returns its summary, with each
 * expectation's result in the order of `scenario.expect`.
 * @param {import("./types.d.ts").Scenario} scenario
 * @returns {Promise<import("./types.d.ts").RunSummary>}
 */
export async function runScenario(scenario) {
  await load();
  return /** @type {any} */ (Playground).run_scenario(scenario);
}

/**
 * Grades a submission (the learner's recorded action log: a share link's state, an export, or
 * `{ actions }`) against an exercise: `{ passed, goals, constraints, reasons, score }`, the same
 * answer as `raftlab grade <exercise> <submission>`.
 * @param {unknown} exercise
 * @param {unknown} submission
 * @returns {Promise<any>}
 */
export async function gradeExercise(exercise, submission) {
  await load();
  return /** @type {any} */ (Playground).grade(exercise, submission);
}
