// Runs a batch on a pool of Web Workers, one per core (navigator.hardwareConcurrency): the
// trials are handed out in slices as workers come free, so a slow slice never holds the
// others back, and records come back as each slice ends. The slices take every range in
// turn (the first slice of each range, then the second of each, ...), so every curve grows
// from the start and a cancelled run has some of each. Cancel terminates the workers at
// once; the records already delivered stay.

/** Bound on a slice: small enough that progress and plots move and Cancel loses little. */
export const SLICE_TRIALS_MAX = 200;
/** The fewest trials in a slice: below this, messages cost more than the trials. */
export const SLICE_TRIALS_MIN = 10;
/** Bound on the workers, whatever the platform reports. */
export const WORKERS_MAX = 32;

/**
 * @typedef {object} RunHandlers
 * @property {(first: number, records: any[], ms: number) => void} onRecords a slice's records,
 *   in order, and the time the worker took to run them
 * @property {(error: string) => void} onError a worker's error (the run stops)
 */

/**
 * Starts a run of every trial of `specText`.
 * @param {WebAssembly.Module} module the compiled lab module (compiled once, shared)
 * @param {string} specText
 * @param {number[]} rangeTrials the trials of each range, in order (trial ids run range-major)
 * @param {RunHandlers} handlers
 * @returns {{ done: Promise<"done" | "cancelled" | "failed">, cancel: () => void, workers: number }}
 */
export function startRun(module, specText, rangeTrials, handlers) {
  const total = rangeTrials.reduce((a, b) => a + b, 0);
  const cores = Math.max(1, Math.min(WORKERS_MAX, navigator.hardwareConcurrency || 1));
  const count = Math.max(1, Math.min(cores, Math.ceil(total / SLICE_TRIALS_MIN)));
  // About eight slices per worker: an even finish without many messages.
  const slice = Math.max(
    SLICE_TRIALS_MIN,
    Math.min(SLICE_TRIALS_MAX, Math.ceil(total / (count * 8))),
  );
  const slices = interleavedSlices(rangeTrials, slice);
  /** @type {Worker[]} */
  const workers = [];
  let next = 0;
  let delivered = 0;
  let finished = false;
  /** @type {(r: "done" | "cancelled" | "failed") => void} */
  let resolve = () => {};
  const done = new Promise((r) => {
    resolve = r;
  });
  const end = (/** @type {"done" | "cancelled" | "failed"} */ how) => {
    if (finished) return;
    finished = true;
    for (const w of workers) w.terminate();
    resolve(how);
  };
  const feed = (/** @type {Worker} */ w) => {
    if (next >= slices.length) return;
    const [first, count] = slices[next++];
    w.postMessage({ type: "run", first, count });
  };
  for (let i = 0; i < count; i++) {
    const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    workers.push(w);
    w.onmessage = (e) => {
      if (finished) return;
      const m = e.data;
      if (m.type === "ready") feed(w);
      else if (m.type === "records") {
        delivered += m.records.length;
        handlers.onRecords(m.first, m.records, m.ms);
        if (delivered >= total) end("done");
        else feed(w);
      } else if (m.type === "error") {
        handlers.onError(m.message);
        end("failed");
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      handlers.onError(`a worker failed: ${e.message || "could not start"}`);
      end("failed");
    };
    w.postMessage({ type: "init", module, spec: specText });
  }
  return { done, cancel: () => end("cancelled"), workers: count };
}

/**
 * `[first, count]` slices of at most `slice` trials that never cross a range, ordered by
 * their place in their range, then by range.
 * @param {number[]} rangeTrials
 * @param {number} slice
 * @returns {[number, number][]}
 */
export function interleavedSlices(rangeTrials, slice) {
  /** @type {[number, number, number][]} */
  const out = [];
  let start = 0;
  for (const n of rangeTrials) {
    for (let k = 0; k * slice < n; k++)
      out.push([k, start + k * slice, Math.min(slice, n - k * slice)]);
    start += n;
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, first, count]) => [first, count]);
}
