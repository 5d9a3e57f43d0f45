// One animation frame: how much virtual time to play (within a Wasm time budget), draining the
// trace, fetching the view, and which panels redraw (each at its own rate while playing). The
// advance budget and the speed meter are pure and tested in Node; the frame runner ties them to
// the controller and the panels.

/** Wasm time one frame may spend advancing the world; beyond it the world runs slower than
 * requested (and says so) instead of every frame getting longer. */
export const ADVANCE_BUDGET_MS = 8;
/** Real-time window over which the achieved speed is measured. */
export const SPEED_WINDOW_MS = 1000;
/** The cap stops growing (no cap) past this much virtual time per frame. */
const CAP_US_UNBOUNDED = 2_000_000;
/** Per frame, only the lines the timeline marks carry their text (the rest is not shown). */
export const EVENTS_OPTIONS = /** @type {const} */ ({ text: "markers" });

/**
 * The advance budget: turns real time and a speed into virtual time to play, and adapts a cap
 * to what the Wasm manages within `budget_ms` per frame (multiplicative decrease when over
 * budget, gentle growth when well under it). Time beyond the cap is let go, not owed: a slow
 * world shows a lower achieved speed instead of a growing backlog.
 * @param {number} [budget_ms]
 */
export function createAdvancer(budget_ms = ADVANCE_BUDGET_MS) {
  let acc_us = 0;
  let cap_us = Number.POSITIVE_INFINITY;
  return {
    get cap_us() {
      return cap_us;
    },
    reset() {
      acc_us = 0;
    },
    /**
     * Virtual µs to play for `dt_ms` of real time at `speed`.
     * @param {number} dt_ms
     * @param {number} speed
     */
    plan(dt_ms, speed) {
      acc_us += dt_ms * 1000 * speed;
      let us = Math.floor(acc_us);
      if (us > cap_us) {
        us = Math.floor(cap_us);
        acc_us = 0;
      } else acc_us -= us;
      return us;
    },
    /**
     * What playing `us` cost.
     * @param {number} us
     * @param {number} cost_ms
     */
    record(us, cost_ms) {
      if (cost_ms > budget_ms) cap_us = Math.max(1000, (us * budget_ms) / cost_ms);
      else if (cost_ms < budget_ms / 2 && Number.isFinite(cap_us)) {
        cap_us *= 1.25;
        if (cap_us > CAP_US_UNBOUNDED) cap_us = Number.POSITIVE_INFINITY;
      }
    },
  };
}

/**
 * Measures the speed achieved over windows of `window_ms` of real time.
 * @param {number} [window_ms]
 */
export function createSpeedMeter(window_ms = SPEED_WINDOW_MS) {
  let virtual_us = 0;
  let real_ms = 0;
  return {
    reset() {
      virtual_us = real_ms = 0;
    },
    /**
     * Adds a frame; at the end of a window returns the speed achieved there, else null.
     * @param {number} us virtual time played
     * @param {number} dt_ms real time it stood for
     * @returns {number | null}
     */
    add(us, dt_ms) {
      virtual_us += us;
      real_ms += dt_ms;
      if (real_ms < window_ms) return null;
      const achieved = virtual_us / 1000 / real_ms;
      virtual_us = real_ms = 0;
      return achieved;
    },
  };
}

/**
 * A panel the frame redraws: `sync(view)` when `active()`, at most every `every_ms` of real time
 * while the world plays (every frame when 0) and on every dirty frame when paused.
 * @typedef {{ sync(view: import("../types.d.ts").WorldView): void, active?: () => boolean,
 *   every_ms?: number }} Scheduled
 */

/**
 * The frame runner.
 * @param {{
 *   ctrl: import("./controller.js").Controller,
 *   playing: () => boolean,
 *   speed: () => number,
 *   viewOptions: () => import("../types.d.ts").ViewOptions,
 *   onSpeed: (achieved: number) => void,
 *   onLines: (lines: import("../types.d.ts").TraceLine[]) => void,
 *   onView: (view: import("../types.d.ts").WorldView) => void,
 *   idleWork: () => void,
 *   skipEvents?: () => boolean,
 *   now?: () => number,
 * }} deps
 *   skipEvents: leave the trace to someone else this frame (a sliced replay drains it)
 */
export function createFrameRunner(deps) {
  const now = deps.now ?? (() => performance.now());
  const advancer = createAdvancer();
  const meter = createSpeedMeter();
  /** @type {{ panel: Scheduled, last_ms: number }[]} */
  const schedule = [];
  let dirty = true;
  /** @type {import("../types.d.ts").WorldView | null} */
  let view = null;
  /** Real time of the last played frame: the meter counts real time, not the loop's clamped
   * steps, so frames slowed by drawing show as a slowed world too. */
  let last_ms = -1;

  /** Draws the scheduled panels that are due. @param {import("../types.d.ts").WorldView} v */
  function draw(v) {
    const t = now();
    const playing = deps.playing();
    for (const s of schedule) {
      if (s.panel.active && !s.panel.active()) continue;
      const every = s.panel.every_ms ?? 0;
      if (playing && every && t - s.last_ms < every) continue;
      s.last_ms = t;
      s.panel.sync(v);
    }
  }

  return {
    /** @param {Scheduled} panel */
    add(panel) {
      schedule.push({ panel, last_ms: Number.NEGATIVE_INFINITY });
    },
    /** Something changed: the next frame fetches a view and draws. */
    invalidate() {
      dirty = true;
    },
    /** Forces the throttled panels to draw on the next frame. */
    invalidateAll() {
      dirty = true;
      for (const s of schedule) s.last_ms = Number.NEGATIVE_INFINITY;
    },
    /** The play state changed or time jumped: no owed time, a fresh speed window. */
    reset() {
      advancer.reset();
      meter.reset();
      last_ms = -1;
    },
    get view() {
      return view;
    },
    /** @param {number} dt_ms real time since the last frame */
    frame(dt_ms) {
      const { ctrl } = deps;
      if (deps.playing()) {
        const us = advancer.plan(dt_ms, deps.speed());
        if (us > 0) {
          const t0 = now();
          ctrl.advance(us);
          advancer.record(us, now() - t0);
          dirty = true;
        }
        // Forced redraws (dt 0, between animation frames) are not part of the measure.
        if (dt_ms > 0) {
          const t = now();
          const real_ms = last_ms < 0 ? dt_ms : Math.max(dt_ms, t - last_ms);
          last_ms = t;
          const achieved = meter.add(us, real_ms);
          if (achieved !== null) deps.onSpeed(achieved);
        }
      } else last_ms = -1;
      const batch = deps.skipEvents?.() ? { lines: [] } : ctrl.events(EVENTS_OPTIONS);
      if (batch.lines.length) {
        deps.onLines(batch.lines);
        dirty = true;
      }
      if (dirty) {
        dirty = false;
        view = ctrl.view(deps.viewOptions());
        deps.onView(view);
        draw(view);
      }
      deps.idleWork();
    },
  };
}
