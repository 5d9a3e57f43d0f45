// One Web Worker of the experiments page: holds one parsed Experiment (the lab module,
// crates/wasm-lab) and runs the slices of trials the page hands it, one at a time, returning
// their records. The page cancels by terminating the worker.
//
// page → worker: { type: "init", module: WebAssembly.Module, spec: string }
//                { type: "run", first: number, count: number }
// worker → page: { type: "ready", total: number }
//                { type: "records", first: number, records: object[], ms: number }
//                  (ms: the slice's own run time in the worker, for the page's report)
//                { type: "error", message: string }
import init, { Experiment } from "../web/pkg-lab/raftlab_wasm_lab.js";

/** @type {Experiment | null} */
let experiment = null;

self.onmessage = async (/** @type {MessageEvent} */ e) => {
  const m = e.data;
  try {
    if (m.type === "init") {
      await init({ module_or_path: m.module });
      experiment = new Experiment(m.spec);
      self.postMessage({ type: "ready", total: experiment.trials_total() });
    } else if (m.type === "run" && experiment) {
      const t = performance.now();
      const records = experiment.run(m.first, m.count);
      self.postMessage({ type: "records", first: m.first, records, ms: performance.now() - t });
    }
  } catch (err) {
    self.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
