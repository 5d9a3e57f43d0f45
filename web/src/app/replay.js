// A long run forward (opening a share link, a seek far ahead) in slices: each slice advances
// the world by as much virtual time as fits in SLICE_BUDGET_MS of main-thread work, then yields
// to the page (frames, input, the Cancel button). The Wasm has no budgeted seek of its own, so
// the slicing is here: it only splits one forward run into several, which leaves the world
// exactly as one run would (the simulator is deterministic in what it has processed by a time,
// not in how the run was split).

/** Main-thread work per slice; the bound is ~50 ms, this leaves room for a frame. */
export const SLICE_BUDGET_MS = 20;
/** Virtual time of the first slice (grown or shrunk to fit the budget afterwards). */
const SLICE_US_FIRST = 20_000;

/**
 * Runs the world forward to `target_us` in slices.
 * @param {{ now(): number, advance(us: number): void, drainOnce?: () => void }} world
 *   drainOnce: takes one batch of trace lines, as part of a slice's work (the page's frames
 *   skip them while a replay runs)
 * @param {number} target_us
 * @param {{
 *   onProgress?: (now_us: number, target_us: number) => void,
 *   cancelled?: () => boolean,
 *   yieldTo?: () => Promise<void>,
 *   now?: () => number,
 *   budget_ms?: number,
 * }} [o] yieldTo: how to give the page its turn (default: a macrotask)
 * @returns {Promise<"done" | "cancelled">}
 */
export async function runSliced(world, target_us, o = {}) {
  const clock = o.now ?? (() => performance.now());
  const budget = o.budget_ms ?? SLICE_BUDGET_MS;
  const yieldTo = o.yieldTo ?? (() => new Promise((r) => setTimeout(r, 0)));
  /** Virtual µs per ms of work, smoothed; the next slice aims at 80% of what is left of the
   * budget at this rate (the cost of a stretch of virtual time varies: elections, bursts). */
  let rate = 0;
  while (world.now() < target_us) {
    if (o.cancelled?.()) return "cancelled";
    const t0 = clock();
    // Checkpoints (the copies that backward seeks restore) are left for idle time after the
    // run: a copy of a big world cannot be split and would overrun a slice by itself.
    world.drainOnce?.();
    const left = Math.max(1, budget - (clock() - t0));
    const want = rate ? rate * left * 0.8 : SLICE_US_FIRST;
    const us = Math.max(1, Math.min(Math.round(want), target_us - world.now()));
    const t1 = clock();
    world.advance(us);
    const cost = Math.max(0.5, clock() - t1);
    const r = us / cost;
    // Grow at most 2x per slice; shrink at once.
    rate = rate ? Math.min(2 * rate, r < rate ? r : (rate + r) / 2) : r;
    o.onProgress?.(world.now(), target_us);
    await yieldTo();
  }
  return "done";
}
