// Loads the CAP page's Wasm (web/pkg-cap: the simulator with the AP store) once,
// synchronously, for the Node suites.
import { readFileSync } from "node:fs";
import { CapWorlds, initSync, run_scenario } from "../../web/pkg-cap/raftlab_wasm_cap.js";

initSync({
  module: readFileSync(new URL("../../web/pkg-cap/raftlab_wasm_cap_bg.wasm", import.meta.url)),
});

export { CapWorlds, run_scenario };
