// The one module that touches the generated Wasm bindings (web/pkg, built from crates/wasm).
// Everything else receives handles through here, so swapping the build output, or loading it
// lazily, changes this file only.

import init, { Playground } from "../pkg/raftlab_wasm.js";

/** @type {Promise<unknown> | null} */
let ready = null;

/**
 * Loads and instantiates the Wasm module once; later calls share the same promise.
 * @returns {Promise<void>}
 */
export async function load() {
  if (!ready) {
    ready = init().catch((e) => {
      ready = null; // allow a retry after a transient network failure
      throw e;
    });
  }
  await ready;
}

/**
 * A new world.
 * @param {Partial<import("./types.d.ts").WorldConfig>} config
 * @param {number} [seed] omitted: the world draws one from the platform
 * @returns {Promise<import("./types.d.ts").PlaygroundHandle>}
 */
export async function createHandle(config, seed) {
  await load();
  return /** @type {any} */ (new Playground(config, seed));
}

/**
 * A world from a scenario (config, seed, timed actions), e.g. an exported file or a share link.
 * @param {import("./types.d.ts").Scenario} json
 * @returns {Promise<import("./types.d.ts").PlaygroundHandle>}
 */
export async function handleFromScenario(json) {
  await load();
  return /** @type {any} */ (Playground.from_scenario(json));
}
