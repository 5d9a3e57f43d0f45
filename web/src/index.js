// Raftlab's public API. Importing this module has no side effects; `raftlab/element` registers
// the <raft-playground> custom element.
//
//   import { createPlayground } from "raftlab";
//   const pg = await createPlayground(document.querySelector("#here"), { config: { node_count: 5 } });
//   pg.on("frame", (view) => console.log(view.now_us));
//   pg.apply({ type: "crash", node: 1 });

import { mountPlayground } from "./app/playground.js";
import { fetchLessonIndex } from "./lessons.js";
import {
  createHandle,
  gradeExercise,
  handleFromScenario,
  load,
  runScenario,
  wasmMemoryBytes,
} from "./loader.js";

export { decodeShare, encodeShare, ShareError } from "./share.js";
/** The exercise grader (the same as `raftlab grade`): `grade(exercise, submission)`. */
export { gradeExercise as grade, load, wasmMemoryBytes };

/** The handle factory backed by the Wasm loader. */
const wasmFactory = {
  create: createHandle,
  fromScenario: handleFromScenario,
  run: runScenario,
  grade: gradeExercise,
};

/**
 * Fetches a scenario JSON file.
 * @param {string | URL} url
 * @returns {Promise<import("./types.d.ts").Scenario>}
 */
export async function fetchScenario(url) {
  // The offline build inlines the ready scenarios (a file:// page cannot fetch them), by name.
  /** @type {Record<string, import("./types.d.ts").Scenario> | undefined} */
  const inlined = /** @type {any} */ (globalThis).__RAFTLAB_SCENARIOS__;
  const name = String(url).split(/[/?#]/).filter(Boolean).at(-1) ?? "";
  const hit = inlined && Object.hasOwn(inlined, name) ? inlined[name] : undefined;
  if (hit) return structuredClone(hit);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`scenario ${url}: HTTP ${res.status}`);
  try {
    return await res.json();
  } catch (e) {
    throw new Error(`scenario ${url}: not valid JSON`, { cause: e });
  }
}

/**
 * The ready scenarios' index (`scenarios/index.json`: `[{ file, title, description, text }]`, built by
 * scripts/scenario-index.mjs); `file` is relative to the index. Resolves with null, never
 * rejects, when there is none (a page without the ready scenarios): the picker is then hidden.
 * @param {string | URL} url
 * @returns {Promise<import("./index.d.ts").ScenarioEntry[] | null>}
 */
export async function fetchScenarioIndex(url) {
  // The offline build inlines the index (and the scenarios, by name: see fetchScenario).
  const inlined = /** @type {any} */ (globalThis).__RAFTLAB_SCENARIO_INDEX__;
  /** @param {unknown} list */
  const valid = (list) =>
    Array.isArray(list)
      ? list.filter(
          (e) => e && typeof e.file === "string" && typeof e.title === "string" && e.file !== "",
        )
      : [];
  if (Array.isArray(inlined)) return valid(inlined).length ? valid(inlined) : null;
  try {
    const res = await fetch(url);
    if (!res.ok) return null;
    const list = valid(await res.json());
    return list.length ? list : null;
  } catch {
    return null;
  }
}

/**
 * Creates a live playground inside `element` (in its shadow root, created if needed).
 * @param {Element} element
 * @param {import("./index.d.ts").PlaygroundOptions} [options]
 * @returns {Promise<import("./index.d.ts").PlaygroundController>}
 */
export async function createPlayground(element, options = {}) {
  const shadow = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  const opts = { ...options };
  if (typeof opts.scenario === "string" || opts.scenario instanceof URL) {
    opts.scenario = await fetchScenario(opts.scenario);
  }
  // The picker's list (full controls): fetched beside the first frame, never delaying it.
  if (typeof opts.scenarios === "string" || opts.scenarios instanceof URL) {
    const base = new URL(String(opts.scenarios), globalThis.location?.href);
    /** @type {any} */ (opts).scenarioIndex = fetchScenarioIndex(base).then((list) =>
      list
        ? {
            entries: list,
            /** @param {string} file */
            load: (file) => fetchScenario(new URL(file, base)),
          }
        : null,
    );
  }
  // The lessons' index (full controls): small, fetched beside the first frame; a lesson's own
  // files are fetched when it is opened.
  if (typeof opts.lessons === "string" || opts.lessons instanceof URL) {
    /** @type {any} */ (opts).lessonIndex = fetchLessonIndex(opts.lessons);
  }
  return /** @type {any} */ (mountPlayground(shadow, wasmFactory, /** @type {any} */ (opts)));
}
