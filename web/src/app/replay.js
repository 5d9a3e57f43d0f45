// A long seek (opening a share link, a jump far ahead) in slices: each slice is one
// `seek_budgeted` call with as many events as fit in SLICE_BUDGET_MS of main-thread work, then
// the page gets its turn (frames, input, the Cancel button). The world after the last slice is
// the one a single `seek` would give; a cancelled run stops at a consistent world at `now_us`.

import { formatUs } from "../render/geom.js";

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

/** A jump forward longer than this (virtual time) runs in slices with progress and Cancel. */
export const REPLAY_INLINE_US = 2_000_000;

/**
 * The playground's moves in time: a long way forward runs in slices (at most ~30 ms of work
 * each) with a progress notice and Cancel, anything else is one seek. One replay at a time: a
 * newer one, a new world or a seek cancels the one running.
 * @param {{
 *   ctrl: import("./controller.js").Controller,
 *   ui: import("./context.js").UiState,
 *   notice: ReturnType<typeof import("./panels/notice.js").createNotice>,
 *   tr: import("./labels.js").Tr,
 *   say(msg: string): void,
 *   fail(e: unknown): void,
 *   seek(t_us: number): void,
 *   setPlaying(on: boolean): void,
 *   invalidate(): void,
 *   done(): void,
 *   destroyed(): boolean,
 * }} deps
 *   done: a sliced replay ended (its world is current: redraw everything)
 */
export function createReplayer(deps) {
  const { ctrl, ui, notice, tr } = deps;
  /** The sliced replay running, if any. */
  let replay = /** @type {{ cancelled: boolean } | null} */ (null);
  const fmt = (/** @type {number} */ t) => formatUs(t);
  return {
    /** A sliced replay is running. */
    get running() {
      return replay !== null;
    },
    /** Stops the replay running, if any (its world stays where it got to). */
    cancel() {
      if (replay) replay.cancelled = true;
      replay = null;
    },
    /**
     * Moves to `t_us`.
     * @param {number} t_us
     * @returns {Promise<void>}
     */
    async to(t_us) {
      const from = ctrl.now();
      if (t_us - from <= REPLAY_INLINE_US) {
        deps.seek(t_us);
        ui.frontier_us = Math.max(ui.frontier_us, t_us);
        return;
      }
      const job = { cancelled: false };
      if (replay) replay.cancelled = true;
      replay = job;
      deps.setPlaying(false);
      const label = (/** @type {number} */ n) =>
        tr("replay_progress", {
          to: fmt(t_us),
          now: fmt(n),
          pct: Math.floor((100 * n) / t_us),
        });
      notice.show(
        label(from),
        [{ label: tr("cancel"), run: () => (job.cancelled = true) }],
        from / t_us,
      );
      deps.say(tr("replay_started", { to: fmt(t_us) }));
      const world = {
        seekBudgeted: (/** @type {number} */ t, /** @type {number} */ n) => ctrl.seekBudgeted(t, n),
        drainOnce: () => {
          ctrl.drainBatch({ text: "markers" });
        },
      };
      /** @type {"done" | "cancelled"} */
      let result;
      try {
        result = await runSliced(world, t_us, {
          cancelled: () => job.cancelled || deps.destroyed() || replay !== job,
          onProgress: (n) => {
            notice.progress(label(n), n / t_us);
            if (n > ui.frontier_us) ui.frontier_us = n;
            deps.invalidate();
          },
        });
      } catch (e) {
        if (replay === job) {
          replay = null;
          notice.hide();
        }
        deps.fail(e);
        return;
      }
      if (replay !== job) return; // replaced by a newer world or jump
      replay = null;
      notice.hide();
      ui.worldConfig = ctrl.config();
      deps.done();
      deps.say(
        result === "done"
          ? tr("replay_done", { to: fmt(t_us) })
          : tr("replay_cancelled", { now: fmt(ctrl.now()), to: fmt(t_us) }),
      );
    },
  };
}
