// The controller: the only module that holds the world handle. Everything else in the page
// reads through it and sends intents to it: `dispatch` (an Action), `seek`, `replace` (a new
// world) and `subscribe` (to "world", "action", "seek" and "error"). It holds no protocol logic:
// each intent is forwarded to the Wasm world, and failures become "error" notifications, never
// throws, so a bad intent cannot stop the animation loop.

/**
 * @typedef {import("../types.d.ts").PlaygroundHandle} PlaygroundHandle
 * @typedef {import("../types.d.ts").Action} Action
 * @typedef {import("../types.d.ts").ViewOptions} ViewOptions
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {import("../types.d.ts").TraceLine} TraceLine
 * @typedef {"world" | "action" | "seek" | "error"} ControllerEvent
 */

/** Trace lines drained per call are bounded; after a seek drain at most this many batches. */
export const DRAIN_BATCHES_MAX = 8;

/**
 * Creates a controller with no world yet (`replace` gives it one).
 */
export function createController() {
  /** @type {PlaygroundHandle | null} */
  let handle = null;
  /** @type {Map<string, Set<(x: any) => void>>} */
  const subs = new Map();
  /** @param {ControllerEvent} name @param {unknown} payload */
  const emit = (name, payload) => {
    for (const fn of subs.get(name) ?? []) fn(payload);
  };
  /** Where the lines drained by seeks and replays go too (the page's markers). */
  /** @type {((lines: TraceLine[]) => void) | null} */
  let drained = null;
  /** @returns {PlaygroundHandle} */
  const w = () => {
    if (!handle) throw new Error("the playground has no world yet");
    return handle;
  };

  return {
    /** The live handle (for the public API's `handle` getter and tests; panels never use it). */
    get handle() {
      return w();
    },
    get hasWorld() {
      return handle !== null;
    },
    /**
     * Adopts a new world, freeing the old one (a world left alive slows later allocations).
     * @param {PlaygroundHandle} next
     */
    replace(next) {
      const old = handle;
      handle = next;
      if (old && old !== next) old.free();
      // Copies of the world for seeking back are taken in idle time, not inside a frame.
      next.defer_checkpoints(true);
      emit("world", next);
    },
    /**
     * Applies an action; errors are reported to "error" subscribers, never thrown.
     * @param {Action} a
     * @returns {boolean} whether the world accepted it
     */
    dispatch(a) {
      try {
        w().apply(a);
      } catch (e) {
        emit("error", e);
        return false;
      }
      emit("action", a);
      return true;
    },
    /**
     * Why the world would refuse `a` now (the error `dispatch` would report), or null when it
     * would accept it; nothing changes. Null on a handle without `refusal` (an older package).
     * @param {Action} a
     * @returns {string | null}
     */
    refusal(a) {
      const h = /** @type {any} */ (w());
      if (typeof h.refusal !== "function") return null;
      try {
        return h.refusal(a) ?? null;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
    /**
     * Moves the world to `t_us` (replaying from a checkpoint when it lies in the past) and
     * drains the replayed events, which were already seen or belong to a rewritten future.
     * @param {number} t_us
     * @returns {boolean}
     */
    seek(t_us) {
      try {
        w().seek(Math.max(0, Math.round(t_us)));
      } catch (e) {
        emit("error", e);
        return false;
      }
      this.drain();
      emit("seek", t_us);
      return true;
    },
    /**
     * One slice of a long seek: moves toward `t_us` by about `events_max` events
     * (`seek_budgeted`) and drains what it replayed. Throws what the world refuses.
     * @param {number} t_us
     * @param {number} events_max
     * @returns {{ now_us: number, target_us: number, events: number, done: boolean }}
     */
    seekBudgeted(t_us, events_max) {
      const p = w().seek_budgeted(Math.max(0, Math.round(t_us)), events_max);
      if (p.done) {
        this.drain();
        emit("seek", t_us);
      }
      return p;
    },
    /**
     * Subscribes to a notification; returns the unsubscribe function.
     * @param {ControllerEvent} name
     * @param {(x: any) => void} fn
     */
    subscribe(name, fn) {
      let set = subs.get(name);
      if (!set) {
        set = new Set();
        subs.set(name, set);
      }
      set.add(fn);
      return () => set.delete(fn);
    },
    /** Plays `us` of virtual time. @param {number} us */
    advance(us) {
      w().advance(us);
    },
    /** Processes the next event; false when there is none. */
    step() {
      return w().step();
    },
    /**
     * The time of the latest event before `t_us` (the time slider's step back), or
     * undefined when there is none, the kept trace does not reach back that far, or the
     * package is older than the query.
     * @param {number} t_us
     * @returns {number | undefined}
     */
    prevEventAt(t_us) {
      const h = w();
      return typeof h.prev_event_at === "function"
        ? h.prev_event_at(Math.max(0, Math.round(t_us)))
        : undefined;
    },
    /** @param {ViewOptions} [options] @returns {WorldView} */
    view(options) {
      return w().view(options);
    },
    /** One batch of trace lines. @param {{ text?: "all" | "markers" }} [options] */
    events(options) {
      return w().events(options);
    },
    /**
     * Every trace line waiting, up to DRAIN_BATCHES_MAX batches.
     * @param {{ text?: "all" | "markers" }} [options]
     * @returns {TraceLine[]}
     */
    drain(options = { text: "markers" }) {
      /** @type {TraceLine[]} */
      let lines = [];
      for (let i = 0; i < DRAIN_BATCHES_MAX; i++) {
        const b = w().events(options);
        lines = lines.length ? lines.concat(b.lines) : b.lines;
        if (!b.more) break;
      }
      drained?.(lines);
      return lines;
    },
    /**
     * One batch of trace lines taken as part of other work (a sliced replay), passed on to
     * the `onDrained` sink like `drain`'s.
     * @param {{ text?: "all" | "markers" }} [options]
     */
    drainBatch(options = { text: "markers" }) {
      const b = w().events(options);
      drained?.(b.lines);
      return b;
    },
    /**
     * Lines that seeks, replays and `drain` take (not the frames' `events`) go to `fn` too:
     * the page keeps its markers of the time it jumped over (its faults, elections).
     * @param {(lines: TraceLine[]) => void} fn
     */
    onDrained(fn) {
      drained = fn;
    },
    /**
     * One message in flight with its summary, or null when it is no longer in flight (a menu
     * opening needs this one, not a whole view). Falls back to a view on a handle without
     * `message` (an older package).
     * @param {number} id
     * @returns {import("../types.d.ts").MessageInfo | null}
     */
    message(id) {
      const h = /** @type {any} */ (w());
      if (typeof h.message === "function") return h.message(id) ?? null;
      return (
        w()
          .view({ log_tail: 0, kv: false })
          .messages.find((m) => m.id === id) ?? null
      );
    },
    /**
     * Why entry `index` of node `node` is (not) committed; null when there is no such entry
     * (or the package has no `entry_status`).
     * @param {number} node
     * @param {number} index
     * @returns {import("../types.d.ts").EntryStatus | null}
     */
    entryStatus(node, index) {
      const h = /** @type {any} */ (w());
      return typeof h.entry_status === "function" ? (h.entry_status(node, index) ?? null) : null;
    },
    /** The messages in flight with their summaries (the per-frame view leaves them out). */
    messages() {
      return w().view({ log_tail: 0, kv: false }).messages;
    },
    /** One node's state machine contents. @param {number} n */
    kv(n) {
      return (
        w()
          .view({ log_tail: 0 })
          .nodes.find((x) => x.id === n)?.kv ?? {}
      );
    },
    history() {
      return /** @type {import("../types.d.ts").History} */ (w().history());
    },
    /**
     * The operations invoked at or after `from_us` (the latest `ops_max`) and the history's
     * counts; from the whole history on a handle without `history_window` (an older package).
     * @param {number} from_us
     * @param {number} ops_max
     * @returns {import("../types.d.ts").HistoryWindow}
     */
    historyWindow(from_us, ops_max) {
      const h = /** @type {any} */ (w());
      if (typeof h.history_window === "function") return h.history_window(from_us, ops_max);
      const all = w().history().operations;
      const ops = all.filter((o) => o.invoke_us >= from_us);
      return {
        operations_total: all.length,
        operations_completed: all.filter((o) => o.outcome !== "unknown").length,
        operations: ops.slice(Math.max(0, ops.length - ops_max)),
      };
    },
    check() {
      return /** @type {import("../types.d.ts").CheckReport} */ (w().check());
    },
    /** The live linearizability verdict (incremental; covers every settled operation). */
    checkIncremental() {
      return /** @type {import("../types.d.ts").LiveReport} */ (w().check_incremental());
    },
    /** The full config, defaults filled in. @returns {import("../types.d.ts").SimConfig} */
    config() {
      return w().config();
    },
    seed() {
      return w().seed();
    },
    now() {
      return w().now_us();
    },
    /** @param {string} [description] @returns {import("../types.d.ts").Scenario} */
    exportScenario(description) {
      return /** @type {any} */ (w()).export_scenario(description);
    },
    checkpointDue() {
      return w().checkpoint_due();
    },
    checkpoint() {
      w().checkpoint();
    },
    /** Frees the world (the playground is going away). */
    free() {
      handle?.free();
      handle = null;
    },
  };
}

/** @typedef {ReturnType<typeof createController>} Controller */
