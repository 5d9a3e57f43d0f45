// A long seek (opening a share link, a jump far ahead) in slices: each slice is one
// `seek_budgeted` call with as many events as fit in SLICE_BUDGET_MS of main-thread work, then
// the page gets its turn (frames, input, the Cancel button). The world after the last slice is
// the one a single `seek` would give; a cancelled run stops at a consistent world at `now_us`.

/** Main-thread work per slice; the bound is ~50 ms, this leaves room for a frame. */
export const SLICE_BUDGET_MS = 20;
/** Events in the first slice (grown or shrunk to fit the budget afterwards). */
const SLICE_EVENTS_FIRST = 5_000;

/**
 * Seeks the world to `target_us` in slices.
 * @param {{
 *   seekBudgeted(t_us: number, events_max: number): { now_us: number, events: number, done: boolean },
 *   drainOnce?: () => void,
 * }} world
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
  /** Events per ms of work, smoothed; the next slice aims at 80% of what is left of the
   * budget at this rate (the cost of an event varies: elections, bursts, checkpoints). */
  let rate = 0;
  for (;;) {
    if (o.cancelled?.()) return "cancelled";
    const t0 = clock();
    // Checkpoints (the copies that backward seeks restore) are left for idle time after the
    // run: a copy of a big world cannot be split and would overrun a slice by itself.
    world.drainOnce?.();
    const left = Math.max(1, budget - (clock() - t0));
    const events_max = Math.max(1, Math.round(rate ? rate * left * 0.8 : SLICE_EVENTS_FIRST));
    const t1 = clock();
    const p = world.seekBudgeted(target_us, events_max);
    const cost = Math.max(0.5, clock() - t1);
    const r = Math.max(1, p.events) / cost;
    // Grow at most 2x per slice; shrink at once.
    rate = rate ? Math.min(2 * rate, r < rate ? r : (rate + r) / 2) : r;
    o.onProgress?.(p.now_us, target_us);
    if (p.done) return "done";
    await yieldTo();
  }
}
