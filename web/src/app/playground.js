// One playground instance: owns a world handle, the animation loop, the renderers and the
// controls. Every control only forwards an intent (an Action, a seek, a new world); all protocol
// behaviour lives in the Wasm world. Internal module: the public API is index.js.

import { createClusterView, nodeStatus } from "../render/cluster.js";
import { attr, cls, h, text } from "../render/dom.js";
import { endpointNode, formatUs, sliderFromSpeed, speedFromSlider } from "../render/geom.js";
import { createHistoryView, describeOp } from "../render/history.js";
import { createLogsView } from "../render/logs.js";
import { createMonitorsView } from "../render/monitors.js";
import { createSpacetimeView } from "../render/spacetime.js";
import { createTimelineView } from "../render/timeline.js";
import { decodeShare, payloadFromFragment, toFragment } from "../share.js";
import { startLoop } from "./loop.js";
import { STYLE } from "./style.js";

/**
 * @typedef {import("../types.d.ts").PlaygroundHandle} PlaygroundHandle
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {import("../types.d.ts").SimConfig} SimConfig
 * @typedef {import("../types.d.ts").ConfigInput} ConfigInput
 * @typedef {import("../types.d.ts").Action} Action
 * @typedef {import("../types.d.ts").TraceLine} TraceLine
 * @typedef {import("../types.d.ts").MessageInfo} MessageInfo
 * @typedef {import("../types.d.ts").Scenario} Scenario
 * @typedef {import("../types.d.ts").SharedState} SharedState
 * @typedef {import("../types.d.ts").History} History
 * @typedef {import("../types.d.ts").CheckReport} CheckReport
 * @typedef {import("../render/timeline.js").Marker} Marker
 * @typedef {import("../render/spacetime.js").Flight} Flight
 * @typedef {{
 *   create(config: ConfigInput, seed?: number): PlaygroundHandle | Promise<PlaygroundHandle>,
 *   fromScenario(s: Scenario): PlaygroundHandle | Promise<PlaygroundHandle>,
 * }} HandleFactory
 * @typedef {{
 *   config?: ConfigInput, seed?: number, scenario?: Scenario, t_us?: number,
 *   controls?: "full" | "minimal" | "none", autoplay?: boolean, speed?: number,
 *   theme?: "light" | "dark" | "auto", fragment?: boolean, height?: string,
 *   scenarioIndex?: Promise<ScenarioIndex | null>,
 * }} MountOptions
 * @typedef {{
 *   entries: { file: string, title: string, description: string }[],
 *   load(file: string): Promise<Scenario>,
 * }} ScenarioIndex the ready scenarios (full controls: the picker); `load` fetches one
 */

/** Timeline markers kept (oldest dropped first). */
const MARKERS_MAX = 2000;
/** Messages remembered for the space-time diagram. */
const FLIGHTS_MAX = 600;
/** Real-time spacing of history refreshes and automatic checks. */
const HISTORY_REFRESH_MS = 250;
const CHECK_REFRESH_MS = 1000;
/** Histories above this size are only checked on request (the search can be slow). */
const AUTO_CHECK_OPS_MAX = 300;
/** Raft teaching toggles (SimConfig.toggles / the set_toggle action). */
const TOGGLES = /** @type {const} */ ([
  ["vote_without_log_check", "Grant votes without the up-to-date log check"],
  ["commit_old_terms_by_counting", "Commit old-term entries by counting replicas"],
  ["forget_vote_on_restart", "Forget the vote on restart (not persisted)"],
  ["skip_noop_on_election", "No no-op entry on election"],
]);
/** Real-time spacing of space-time diagram redraws while playing (it is a few Hz of detail). */
const SPACETIME_REFRESH_MS = 100;
/** Real-time spacing of log grid redraws while playing: under a workload the window slides on
 * every frame, and repainting every cell is the costliest paint of the page. */
const LOGS_REFRESH_MS = 200;
/** Wasm time one frame may spend advancing the world; beyond it the world runs slower than
 * requested (and says so) instead of every frame getting longer. */
const ADVANCE_BUDGET_MS = 8;
/** Real-time window over which the achieved speed is measured. */
const SPEED_WINDOW_MS = 1000;
/** Trace lines drained per call are bounded; after a seek drain at most this many batches. */
const DRAIN_BATCHES_MAX = 8;
/** Log entries per node fetched every frame beyond the columns the logs grid shows. */
const LOG_TAIL_MARGIN = 8;
/** Per frame, only the lines the timeline marks carry their text (the rest is not shown). */
const EVENTS_OPTIONS = /** @type {const} */ ({ text: "markers" });

let sheet = /** @type {CSSStyleSheet | null} */ (null);
/** One constructed stylesheet shared by every instance on the page. */
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

let uid = 0;

/**
 * Runs `fn` when the page is idle (soon anyway); returns a non-zero id.
 * @param {() => void} fn
 */
function idle(fn) {
  return typeof requestIdleCallback === "function"
    ? requestIdleCallback(fn, { timeout: 500 })
    : Number(setTimeout(fn, 50)) || 1;
}

/**
 * Mounts a playground into a shadow root.
 * @param {ShadowRoot} shadow
 * @param {HandleFactory} factory
 * @param {MountOptions} options
 */
export async function mountPlayground(shadow, factory, options = {}) {
  const id = `rl${++uid}`;
  const controls = options.controls ?? "full";
  shadow.adoptedStyleSheets = [styleSheet()];
  let theme = options.theme ?? "auto";
  const root = h("div", { class: `rl c-${controls} t-${theme}` });
  if (options.height) root.style.setProperty("--rl-height", options.height);
  shadow.replaceChildren(root);
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });

  /** @type {Map<string, Set<(x: any) => void>>} */
  const listeners = new Map();
  /** @param {string} name @param {unknown} payload */
  const emit = (name, payload) => {
    for (const fn of listeners.get(name) ?? []) {
      try {
        fn(payload);
      } catch (e) {
        // A listener's bug must not stop the animation; report it without throwing.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  };

  // ---- world state (all owned by the handle; these are caches for drawing) ----
  /** @type {PlaygroundHandle} */
  let handle;
  /** @type {WorldView} */
  let view;
  /** What the next world is created with (the settings form and `newWorld`). */
  /** @type {ConfigInput} */
  let config = { ...(options.config ?? {}) };
  /** The live world's full config, as the world reports it (defaults filled in). */
  /** @type {SimConfig} */
  let worldConfig;
  let seed = options.seed;
  let playing = options.autoplay ?? true;
  let speed = options.speed ?? 0.1;
  let acc_us = 0;
  let frontier_us = 0;
  /** @type {Marker[]} */
  let markers = [];
  let markerSeq = 0;
  /** @type {Map<number, Flight>} */
  let flights = new Map();
  /** @type {History | null} */
  let history = null;
  /** @type {CheckReport | null} */
  let report = null;
  let historyDirty = true;
  let checkDirty = true;
  let lastHistoryMs = 0;
  let lastCheckMs = 0;
  /** The clients' invocations and completions in the last view: the history changes with it. */
  let historySig = "";
  /** A history refresh waiting for idle time (0: none). */
  let historyIdle = 0;
  /** Pending idle callback that takes a due checkpoint. */
  let checkpointIdle = 0;
  let destroyed = false;
  let lastSpacetimeMs = Number.NEGATIVE_INFINITY;
  let lastLogsMs = Number.NEGATIVE_INFINITY;
  /** Most virtual time one frame may advance (adapted to what the Wasm manages in budget). */
  let advanceCap_us = Number.POSITIVE_INFINITY;
  /** Virtual and real time played in the current speed window. */
  let windowVirtual_us = 0;
  let windowReal_ms = 0;
  let dirty = true;
  /** @type {{ nodes: Set<number>, indexes: Set<number> } | null} */
  let evidence = null;
  /** @type {Set<number> | null} group A while the partition tool is active */
  let partitionA = null;
  const dark = () =>
    theme === "dark" || (theme === "auto" && matchMedia("(prefers-color-scheme: dark)").matches);

  // ---- renderers ----
  const cluster = createClusterView({
    onNode: (n, at) => (partitionA ? togglePartition(n) : openNodeMenu(n, at)),
    onMessage: (m, at) => openMessageMenu(m, at),
    onLink: (a, b, at) => openLinkMenu(a, b, at),
  });
  const logs = createLogsView();
  const monitors = createMonitorsView({
    onViolation: (m) => {
      const v = m.first;
      if (!v) return;
      setPlaying(false);
      seek(v.time_us);
      evidence = { nodes: new Set(v.nodes), indexes: new Set(v.indexes) };
      say(`${m.monitor.replace(/_/g, " ")} violated at ${formatUs(v.time_us)}: ${v.description}`);
    },
  });
  const historyView = createHistoryView({
    onOp: (op) => {
      setPlaying(false);
      seek(op.invoke_us);
      say(`c${op.client} #${op.id} ${describeOp(op)} invoked at ${formatUs(op.invoke_us)}`);
    },
  });
  const timeline = createTimelineView({
    onSeek: (t) => {
      setPlaying(false);
      seek(t);
    },
  });
  const spacetime = createSpacetimeView();

  // ---- popover (node, message and link menus) ----
  const pop = h("div", { class: "pop", role: "dialog", hidden: true });
  /** @type {HTMLElement | SVGElement | null} */
  let popReturn = null;
  let resumeAfterPop = false;
  const closePop = () => {
    if (pop.hidden) return;
    pop.hidden = true;
    pop.classList.remove("list");
    pop.replaceChildren();
    if (resumeAfterPop) setPlaying(true);
    resumeAfterPop = false;
    if (popReturn && "focus" in popReturn) popReturn.focus();
    popReturn = null;
  };
  /**
   * @param {string} title
   * @param {DOMRect} at
   * @param {(HTMLElement | string)[]} body
   */
  const openPop = (title, at, body) => {
    popReturn = /** @type {HTMLElement | null} */ (shadow.activeElement);
    pop.classList.remove("list");
    pop.replaceChildren(
      h("div", { class: "pop-head" }, h("strong", {}, title), btn("✕", closePop, "Close")),
      ...body,
    );
    pop.setAttribute("aria-label", title);
    pop.hidden = false;
    const box = clusterPane.getBoundingClientRect();
    const pw = Math.min(280, box.width - 8);
    let left = at.left - box.left + at.width / 2 - pw / 2;
    left = Math.max(4, Math.min(box.width - pw - 4, left));
    const below = at.bottom - box.top + 6;
    const top = below + 180 > box.height ? Math.max(4, at.top - box.top - 186) : below;
    pop.style.left = `${left}px`;
    pop.style.top = `${top}px`;
    pop.style.width = `${pw}px`;
    /** @type {HTMLElement | null} */ (pop.querySelector("button:not(.x), input"))?.focus();
  };
  pop.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closePop();
  });

  /**
   * A button that runs `fn`.
   * @param {string} label
   * @param {() => void} fn
   * @param {string} [aria]
   */
  function btn(label, fn, aria) {
    const b = h("button", { type: "button" }, label);
    if (aria) {
      b.setAttribute("aria-label", aria);
      b.className = "x";
    }
    b.addEventListener("click", fn);
    return b;
  }
  /** A button applying an action, then closing the popover. @param {string} label @param {() => Action} make */
  const act = (label, make) =>
    btn(label, () => {
      apply(make());
      closePop();
    });

  /** @param {number} n @param {DOMRect} at */
  function openNodeMenu(n, at) {
    const node = view.nodes.find((x) => x.id === n);
    if (!node) return;
    const drift = /** @type {HTMLInputElement} */ (
      h("input", { type: "number", step: 100, value: node.drift_ppm, id: `${id}-drift` })
    );
    // Frames fetch views without the state machines: fetch this node's once, for the menu.
    const kv = handle.view({ log_tail: 0 }).nodes.find((x) => x.id === n)?.kv ?? {};
    const state = nodeStatus(node);
    const leader = view.leader ?? null;
    /** @type {HTMLElement[]} */
    const row1 = [
      node.crashed
        ? act("Restart", () => ({ type: "restart", node: n }))
        : act("Crash", () => ({ type: "crash", node: n })),
    ];
    if (!node.crashed) {
      row1.push(
        node.paused
          ? act("Resume", () => ({ type: "resume", node: n }))
          : act("Pause", () => ({ type: "pause", node: n })),
        act("Force timeout", () => ({ type: "campaign", node: n })),
      );
    }
    /** @type {HTMLElement[]} */
    const row2 = [];
    if (leader !== null && leader !== n && !node.crashed) {
      row2.push(
        act(`Transfer leadership n${leader} → n${n}`, () => ({
          type: "transfer_leader",
          from: leader,
          to: n,
        })),
      );
    }
    row2.push(act("Isolate", () => ({ type: "isolate", node: n })));
    openPop(`Node ${n}: ${state === "up" ? node.role : state}, term ${node.term}`, at, [
      h("div", { class: "pop-row" }, ...row1),
      h("div", { class: "pop-row" }, ...row2),
      h(
        "div",
        { class: "pop-row" },
        h("label", { for: `${id}-drift` }, "Clock drift (ppm)"),
        drift,
        act("Set", () => ({
          type: "set_drift",
          node: n,
          drift_ppm: Math.round(Number(drift.value) || 0),
        })),
      ),
      h("p", { class: "kv" }, `kv: ${JSON.stringify(kv)}`),
    ]);
  }

  /** The messages in flight with their summaries (the per-frame view leaves them out). */
  const messagesWithSummaries = () => handle.view({ log_tail: 0, kv: false }).messages;

  /** @param {MessageInfo} m @param {DOMRect} at */
  function openMessageMenu(m, at) {
    m = messagesWithSummaries().find((x) => x.id === m.id) ?? m;
    // Pause while inspecting, or the message would arrive before the user can act on it.
    const wasPlaying = playing;
    setPlaying(false);
    const delay = /** @type {HTMLInputElement} */ (
      h("input", { type: "number", min: 0, step: 1, value: 50, id: `${id}-delay` })
    );
    openPop(`Message ${m.id} · ${m.kind.replace(/_/g, " ")}`, at, [
      h("p", { class: "summary" }, m.summary),
      h(
        "p",
        { class: "muted" },
        `sent ${formatUs(m.sent_at_us)}, arrives ${formatUs(m.deliver_at_us)}${m.state === "held" ? " (held)" : m.state === "waiting" ? " (waiting at a paused node)" : ""}`,
      ),
      h(
        "div",
        { class: "pop-row" },
        act("Drop", () => ({ type: "drop_message", id: m.id })),
        act("Duplicate", () => ({ type: "duplicate_message", id: m.id })),
        ...(m.state === "held"
          ? [act("Release", () => ({ type: "release_message", id: m.id }))]
          : m.state === "in_flight"
            ? [act("Hold", () => ({ type: "hold_message", id: m.id }))]
            : []),
      ),
      // A message waiting at a paused node has arrived: it can no longer be held or delayed.
      m.state === "waiting"
        ? ""
        : h(
            "div",
            { class: "pop-row" },
            h("label", { for: `${id}-delay` }, "Delay by (ms)"),
            delay,
            act("Delay", () => ({
              type: "delay_message",
              id: m.id,
              delay_us: Math.max(0, Math.round((Number(delay.value) || 0) * 1000)),
            })),
          ),
    ]);
    resumeAfterPop = wasPlaying;
  }

  /** @param {number} a @param {number} b @param {DOMRect} at */
  function openLinkMenu(a, b, at) {
    const cut = (/** @type {number} */ f, /** @type {number} */ t) =>
      view.network.links.some((l) => l.from === f && l.to === t && !l.up);
    /** Applies both one-way actions; closes the popover. @param {"cut" | "repair"} type */
    const both = (type) =>
      btn(type === "cut" ? "Cut both ways" : "Restore both ways", () => {
        if (apply({ type, from: a, to: b })) apply({ type, from: b, to: a });
        closePop();
      });
    openPop(`Link n${a} ⇄ n${b}`, at, [
      h(
        "p",
        { class: "muted" },
        `${a}→${b} ${cut(a, b) ? "cut" : "up"}, ${b}→${a} ${cut(b, a) ? "cut" : "up"}`,
      ),
      h(
        "div",
        { class: "pop-row" },
        cut(a, b)
          ? act(`Restore ${a}→${b}`, () => ({ type: "repair", from: a, to: b }))
          : act(`Cut ${a}→${b}`, () => ({ type: "cut", from: a, to: b })),
        cut(b, a)
          ? act(`Restore ${b}→${a}`, () => ({ type: "repair", from: b, to: a }))
          : act(`Cut ${b}→${a}`, () => ({ type: "cut", from: b, to: a })),
      ),
      h("div", { class: "pop-row" }, both("cut"), both("repair")),
    ]);
  }

  // ---- partition tool ----
  const partBtn = btn("Partition…", () => {
    if (partitionA) finishPartition();
    else {
      partitionA = new Set();
      cls(partBtn, "on", true);
      text(partBtn, "Apply partition");
      say("Partition: click nodes to put them in group A (the rest form group B), then Apply.");
      dirty = true;
    }
  });
  const healBtn = btn("Heal", () => apply({ type: "heal" }));
  // Keyboard path to messages: tiny moving targets cannot be tab stops, so list the oldest few
  // in flight and open the same message menu from there.
  const msgsBtn = btn("Messages…", () => {
    setPlaying(false);
    const list = messagesWithSummaries()
      .sort((a, b) => a.deliver_at_us - b.deliver_at_us)
      .slice(0, 24);
    const at = msgsBtn.getBoundingClientRect();
    openPop(
      `${view.messages.length} messages in flight`,
      at,
      list.length
        ? list.map((m) =>
            btn(`${m.state === "held" ? "[held] " : ""}${m.summary}`, () => openMessageMenu(m, at)),
          )
        : ["None right now."],
    );
    pop.classList.add("list");
  });
  /** @param {number} n */
  function togglePartition(n) {
    if (!partitionA) return;
    if (partitionA.has(n)) partitionA.delete(n);
    else partitionA.add(n);
    say(`Group A: ${[...partitionA].sort((x, y) => x - y).join(", ") || "(empty)"}`);
    dirty = true;
  }
  function finishPartition() {
    const a = [...(partitionA ?? [])].sort((x, y) => x - y);
    const b = view.nodes.map((n) => n.id).filter((n) => !a.includes(n));
    partitionA = null;
    cls(partBtn, "on", false);
    text(partBtn, "Partition…");
    dirty = true;
    if (a.length && b.length) apply({ type: "partition", groups: [a, b] });
    else say("Partition cancelled: both groups need at least one node.");
  }

  // ---- time controls ----
  const playBtn = btn("", () => setPlaying(!playing));
  const stepBtn = btn("Step", () => {
    setPlaying(false);
    handle.step();
    dirty = true;
  });
  stepBtn.title = "Process the next event";
  const speedIn = /** @type {HTMLInputElement} */ (
    h("input", { type: "range", min: 0, max: 1000, id: `${id}-speed`, "aria-label": "Speed" })
  );
  const speedOut = h("output", { for: `${id}-speed`, class: "speed" });
  // Shown only when the world cannot keep up with the requested speed.
  const slowOut = h("output", { class: "slow", hidden: true });
  speedIn.value = String(Math.round(sliderFromSpeed(speed) * 1000));
  speedIn.addEventListener("input", () => {
    speed = speedFromSlider(Number(speedIn.value) / 1000);
    showSpeed();
  });
  const showSpeed = () =>
    text(speedOut, `${speed < 1 ? speed.toFixed(2) : speed.toFixed(speed < 10 ? 1 : 0)}×`);
  showSpeed();
  /** @param {boolean} on */
  function setPlaying(on) {
    playing = on;
    acc_us = 0;
    windowVirtual_us = windowReal_ms = 0;
    if (!on) slowOut.hidden = true;
    text(playBtn, on ? "❚❚ Pause" : "▶ Play");
    attr(playBtn, "aria-pressed", on ? "true" : "false");
  }

  // ---- client panel ----
  const cOp = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-op` },
      ...["put", "get", "append", "cas"].map((o) => h("option", {}, o)),
    )
  );
  const cKey = /** @type {HTMLInputElement} */ (
    h("input", { id: `${id}-key`, value: "x", size: 4 })
  );
  const cVal = /** @type {HTMLInputElement} */ (
    h("input", { id: `${id}-val`, value: "1", size: 4 })
  );
  const cExp = /** @type {HTMLInputElement} */ (
    h("input", { id: `${id}-exp`, size: 4, placeholder: "∅ absent" })
  );
  const cTarget = /** @type {HTMLSelectElement} */ (h("select", { id: `${id}-target` }));
  const cClient = /** @type {HTMLSelectElement} */ (h("select", { id: `${id}-client` }));
  const sendBtn = btn("Send", () => {
    const op = /** @type {"put" | "get" | "append" | "cas"} */ (cOp.value);
    // "Any idle": the first client with nothing outstanding (else the first; it queues).
    const client = cClient.value
      ? Number(cClient.value)
      : (view.clients.find((c) => !c.pending && !c.queued) ?? view.clients[0])?.id;
    if (client === undefined) {
      say("This world has no clients (config clients.count is 0).");
      return;
    }
    const node = cTarget.value ? Number(cTarget.value) : null;
    const key = cKey.value;
    const value = cVal.value;
    /** @type {Action} */
    const a =
      op === "get"
        ? { type: "get", client, key, node }
        : op === "cas"
          ? {
              type: "cas",
              client,
              key,
              expected: cExp.value === "" ? null : cExp.value,
              value,
              node,
            }
          : { type: op, client, key, value, node };
    apply(a);
  });
  const wlRate = /** @type {HTMLInputElement} */ (
    h("input", { type: "range", min: 0, max: 20, value: 0, id: `${id}-wl` })
  );
  const wlOut = h("output", { for: `${id}-wl` }, "off");
  const wlKeys = /** @type {HTMLSelectElement} */ (
    h("select", { id: `${id}-wlk` }, ...[1, 2, 3, 5].map((k) => h("option", {}, String(k))))
  );
  const setWorkload = () => {
    const rate = Number(wlRate.value);
    text(wlOut, rate ? `${rate} ops/s per client` : "off");
    apply(
      rate
        ? {
            type: "set_workload",
            enabled: true,
            rate_ops_per_s: rate,
            key_count: Number(wlKeys.value),
          }
        : { type: "set_workload", enabled: false },
    );
  };
  wlRate.addEventListener("change", setWorkload);
  wlKeys.addEventListener("change", setWorkload);
  const checkBtn = btn("Check now", () => {
    historyDirty = true;
    refreshHistory(performance.now(), true);
  });
  let optionsKey = "";
  function refreshClientOptions() {
    const key = `${view.nodes.length}|${view.clients.length}`;
    if (key === optionsKey) return;
    optionsKey = key;
    cTarget.replaceChildren(
      h("option", { value: "" }, "the leader"),
      ...view.nodes.map((n) => h("option", { value: n.id }, `node ${n.id}`)),
    );
    cClient.replaceChildren(
      h("option", { value: "" }, "any idle"),
      ...view.clients.map((c) => h("option", { value: c.id }, `client ${c.id}`)),
    );
  }

  // ---- settings ----
  /** @param {string} label @param {string} key @param {Record<string, string | number>} at */
  const field = (label, key, at) => {
    const input = /** @type {HTMLInputElement} */ (
      h("input", { id: `${id}-${key}`, name: key, ...at })
    );
    return { input, row: h("label", { for: `${id}-${key}` }, h("span", {}, label), input) };
  };
  const fNodes = field("Nodes", "nodes", { type: "number", min: 1, max: 9 });
  const fEmin = field("Election timeout min (ms)", "emin", { type: "number", min: 1 });
  const fEmax = field("Election timeout max (ms)", "emax", { type: "number", min: 1 });
  const fHb = field("Heartbeat (ms)", "hb", { type: "number", min: 1 });
  const fClients = field("Clients", "clients", { type: "number", min: 0, max: 64 });
  const fPre = field("PreVote", "prevote", { type: "checkbox" });
  const fCq = field("CheckQuorum", "cq", { type: "checkbox" });
  const fSeed = field("Seed", "seed", { type: "number", min: 0, step: 1 });
  const fLmin = field("Latency min (ms)", "lmin", { type: "number", min: 0, step: "any" });
  const fLmax = field("Latency max (ms)", "lmax", { type: "number", min: 0, step: "any" });
  const fLoss = field("Loss (%)", "loss", { type: "number", min: 0, max: 100, step: "any" });
  const fDup = field("Duplication (%)", "dup", { type: "number", min: 0, max: 100, step: "any" });
  const fRead = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-read` },
      ...[
        ["log", "through the log"],
        ["read_index", "ReadIndex"],
        ["lease", "leader lease"],
        ["stale", "any replica (stale)"],
      ].map(([v, l]) => h("option", { value: v }, l)),
    )
  );
  fRead.addEventListener("change", () => {
    const read_path = /** @type {import("../types.d.ts").ReadPath} */ (fRead.value);
    if (apply({ type: "set_read_path", read_path })) config.read_path = read_path;
    else fRead.value = worldConfig.read_path;
  });
  const toggleInputs = TOGGLES.map(([name, label]) => {
    const input = /** @type {HTMLInputElement} */ (
      h("input", { type: "checkbox", id: `${id}-t-${name}` })
    );
    input.addEventListener("change", () => {
      if (apply({ type: "set_toggle", toggle: name, on: input.checked })) {
        config.toggles = { ...(config.toggles ?? {}), [name]: input.checked };
        say(
          `${label}: ${input.checked ? "on" : "off"}. It reaches each node at its next (re)start.`,
        );
      } else input.checked = !input.checked;
    });
    return {
      name,
      input,
      row: h("label", { for: `${id}-t-${name}`, class: "check" }, input, label),
    };
  });
  // Client de-duplication is a state-machine setting (kv_dedup / set_dedup), shown with the
  // toggles as "rule switched off" like the others.
  const fNoDedup = /** @type {HTMLInputElement} */ (
    h("input", { type: "checkbox", id: `${id}-t-nodedup` })
  );
  fNoDedup.addEventListener("change", () => {
    if (apply({ type: "set_dedup", on: !fNoDedup.checked })) config.kv_dedup = !fNoDedup.checked;
    else fNoDedup.checked = !fNoDedup.checked;
  });
  const noDedupRow = h(
    "label",
    { for: fNoDedup.id, class: "check" },
    fNoDedup,
    "No de-duplication of client retries",
  );
  const netForm = () => ({
    latency_us_min: Math.round(Number(fLmin.input.value) * 1000),
    latency_us_max: Math.round(Number(fLmax.input.value) * 1000),
    loss_ppm: Math.round(Number(fLoss.input.value) * 10_000),
    duplicate_ppm: Math.round(Number(fDup.input.value) * 10_000),
  });
  const netBtn = btn("Apply to every link", () => {
    const net = netForm();
    if (apply({ type: "set_link", ...net })) config.network = { ...(config.network ?? {}), ...net };
  });
  const newWorldBtn = btn("New world with these settings", () => {
    /** @type {ConfigInput} */
    const next = {
      ...config,
      node_count: Number(fNodes.input.value),
      election_timeout_us_min: Math.round(Number(fEmin.input.value) * 1000),
      election_timeout_us_max: Math.round(Number(fEmax.input.value) * 1000),
      heartbeat_interval_us: Math.round(Number(fHb.input.value) * 1000),
      pre_vote: fPre.input.checked,
      check_quorum: fCq.input.checked,
      read_path: /** @type {import("../types.d.ts").ReadPath} */ (fRead.value),
      network: { ...(config.network ?? {}), ...netForm() },
      clients: { ...(config.clients ?? {}), count: Number(fClients.input.value) },
      toggles: Object.fromEntries(toggleInputs.map((t) => [t.name, t.input.checked])),
      kv_dedup: !fNoDedup.checked,
    };
    const s = fSeed.input.value === "" ? undefined : Number(fSeed.input.value);
    newWorld(next, s).catch(fail);
  });
  const randomSeedBtn = btn("Random seed", () => {
    fSeed.input.value = String(Math.floor(Math.random() * 2 ** 32));
  });
  function fillSettings() {
    const c = worldConfig;
    fNodes.input.value = String(c.node_count);
    fEmin.input.value = String(c.election_timeout_us_min / 1000);
    fEmax.input.value = String(c.election_timeout_us_max / 1000);
    fHb.input.value = String(c.heartbeat_interval_us / 1000);
    fClients.input.value = String(c.clients.count);
    fPre.input.checked = c.pre_vote;
    fCq.input.checked = c.check_quorum;
    fLmin.input.value = String(c.network.latency_us_min / 1000);
    fLmax.input.value = String(c.network.latency_us_max / 1000);
    fLoss.input.value = String(c.network.loss_ppm / 10_000);
    fDup.input.value = String(c.network.duplicate_ppm / 10_000);
    fRead.value = c.read_path;
    for (const t of toggleInputs) t.input.checked = c.toggles[t.name];
    fNoDedup.checked = !c.kv_dedup;
    wlRate.value = String(c.workload.enabled ? Math.min(20, c.workload.rate_ops_per_s) : 0);
    text(wlOut, c.workload.enabled ? `${c.workload.rate_ops_per_s} ops/s per client` : "off");
    fSeed.input.value = String(handle.seed());
  }

  // ---- share ----
  const linkOut = /** @type {HTMLInputElement} */ (
    h("input", { readonly: true, class: "link", "aria-label": "Share link", id: `${id}-link` })
  );
  const copyBtn = btn("Copy link", () => {
    shareLink()
      .then(async (url) => {
        linkOut.value = url;
        try {
          await navigator.clipboard.writeText(url);
          say("Link copied: it replays this world to this moment.");
        } catch {
          linkOut.select();
          say("Link ready below: copy it with Ctrl+C.");
        }
      })
      .catch(fail);
  });
  const exportBtn = btn("Export JSON", () => {
    // A plain scenario file (loads with `raftlab run` and `from_scenario`); it runs to now.
    const data = JSON.stringify(scenarioNow(), null, 2);
    const a = /** @type {HTMLAnchorElement} */ (
      h("a", {
        href: URL.createObjectURL(new Blob([data], { type: "application/json" })),
        download: `raftlab-seed-${handle.seed()}.json`,
      })
    );
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  const importIn = /** @type {HTMLInputElement} */ (
    h("input", { type: "file", accept: ".json,application/json", id: `${id}-import` })
  );
  importIn.addEventListener("change", async () => {
    const f = importIn.files?.[0];
    if (!f) return;
    try {
      const sc = JSON.parse(await f.text());
      await loadScenario(sc, sc.t_us);
      say(`Loaded ${f.name}.`);
    } catch (e) {
      fail(e);
    }
    importIn.value = "";
  });

  // ---- ready scenarios (full controls, when the page has an index) ----
  const scenSel = /** @type {HTMLSelectElement} */ (
    h("select", { id: `${id}-scenario` }, h("option", { value: "" }, "Free play"))
  );
  const scenPane = h(
    "div",
    { class: "pane scenpick", role: "group", "aria-label": "Scenarios", hidden: true },
    h("label", { for: scenSel.id }, h("strong", {}, "Scenarios")),
    scenSel,
  );
  const noteTitle = h("strong", {});
  const noteText = h("p", {});
  const scenNote = h(
    "aside",
    { class: "pane scennote", "aria-label": "Scenario", hidden: true },
    h(
      "div",
      { class: "pop-head" },
      noteTitle,
      btn("✕", () => (scenNote.hidden = true), "Dismiss the description"),
    ),
    noteText,
  );
  /** @type {ScenarioIndex | null} */
  let scenIndex = null;
  /** While the picker replaces the world (other replacements reset it to Free play). */
  let picking = false;
  scenSel.addEventListener("change", () => pickScenario(scenSel.value).catch(fail));
  /** @param {string} file "" for Free play */
  async function pickScenario(file) {
    const entry = scenIndex?.entries.find((e) => e.file === file);
    picking = true;
    try {
      if (!entry || !scenIndex) {
        scenNote.hidden = true;
        await newWorld({ ...(options.config ?? {}) });
      } else {
        await loadScenario(await scenIndex.load(entry.file));
        text(noteTitle, entry.title);
        text(noteText, entry.description);
        scenNote.hidden = !entry.description;
        say(`Scenario: ${entry.title}.`);
      }
      scenSel.value = entry ? entry.file : "";
      setPlaying(true);
    } finally {
      picking = false;
    }
  }
  if (controls === "full" && options.scenarioIndex) {
    options.scenarioIndex.then(
      (idx) => {
        if (!idx || destroyed) return;
        scenIndex = idx;
        for (const e of idx.entries) {
          const o = /** @type {HTMLOptionElement} */ (h("option", { value: e.file }, e.title));
          if (e.description) o.title = e.description;
          scenSel.append(o);
        }
        scenPane.hidden = false;
      },
      () => {}, // no index: no picker
    );
  }

  // ---- layout ----
  /** Puts the secondary panels (full controls) into the page; null once done or if none. */
  /** @type {(() => void) | null} */
  let attachPanels = null;
  const clusterPane = h(
    "section",
    { class: "pane cpane", "aria-label": "Cluster" },
    cluster.el,
    pop,
  );
  const section = (
    /** @type {string} */ title,
    /** @type {boolean} */ open,
    /** @type {(Node|string)[]} */ ...body
  ) => h("details", { class: "pane", open }, h("summary", {}, title), ...body);
  const logsSec = section("Logs", true, logs.el);
  const monSec = section("Safety monitors", true, monitors.el);
  /** A label and its control, kept together when the row wraps. @param {string} label @param {HTMLElement[]} els */
  const pair = (label, ...els) =>
    h("span", { class: "pair" }, h("label", { for: els[0].id }, label), ...els);
  const clientSec = section(
    "Clients and history",
    true,
    h(
      "div",
      { class: "form-row" },
      pair("Op", cOp),
      pair("Key", cKey),
      pair("Value", cVal),
      pair("Expected (cas)", cExp),
      pair("To", cTarget),
      pair("Client", cClient),
      sendBtn,
    ),
    h(
      "div",
      { class: "form-row" },
      pair("Workload", wlRate, wlOut),
      pair("keys", wlKeys),
      checkBtn,
    ),
    historyView.el,
  );
  const stSec = section("Space-time diagram", false, spacetime.el);
  const setSec = section(
    "Settings",
    false,
    h(
      "div",
      { class: "settings" },
      h(
        "fieldset",
        {},
        h("legend", {}, "New world"),
        fNodes.row,
        fEmin.row,
        fEmax.row,
        fHb.row,
        fClients.row,
        fPre.row,
        fCq.row,
        fSeed.row,
        h("div", { class: "pop-row" }, randomSeedBtn, newWorldBtn),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, "Network (live)"),
        fLmin.row,
        fLmax.row,
        fLoss.row,
        fDup.row,
        netBtn,
        h("label", { for: fRead.id }, h("span", {}, "Read path"), fRead),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, "Teaching toggles (live)"),
        ...toggleInputs.map((t) => t.row),
        noDedupRow,
      ),
    ),
  );
  const shareSec = section(
    "Share",
    false,
    h(
      "div",
      { class: "pop-row" },
      copyBtn,
      exportBtn,
      h("label", { for: importIn.id, class: "filebtn" }, "Import JSON", importIn),
    ),
    linkOut,
  );
  const seedOut = h("span", { class: "seed" });
  const timeBar = h(
    "div",
    { class: "bar" },
    playBtn,
    stepBtn,
    h("span", { class: "speedbox" }, speedIn, speedOut, slowOut),
    timeline.el,
  );
  const tools = h("div", { class: "tools" }, partBtn, healBtn, msgsBtn, seedOut);
  if (controls === "none") {
    root.append(clusterPane);
  } else if (controls === "minimal") {
    clusterPane.prepend(tools);
    root.append(timeBar, clusterPane, status);
  } else {
    clusterPane.prepend(tools);
    const left = h("div", { class: "col" }, scenNote, clusterPane);
    const right = h("div", { class: "col" }, scenPane);
    root.append(timeBar, h("div", { class: "main" }, left, right), status);
    // The secondary panels join the page after the first cluster frame is painted (see the
    // start below): their layout would otherwise delay it.
    attachPanels = () => {
      left.append(stSec, monSec);
      right.append(logsSec, clientSec, setSec, shareSec);
    };
  }

  // Widths drive the log column count and the history/space-time widths.
  let logsWidth = 600;
  let sideWidth = 600;
  const ro = new ResizeObserver(() => {
    logsWidth = logs.el.clientWidth || logsWidth;
    sideWidth = historyView.el.clientWidth || stSec.clientWidth || sideWidth;
    dirty = true;
  });
  ro.observe(logs.el);
  ro.observe(historyView.el);
  ro.observe(stSec);
  for (const d of [logsSec, monSec, clientSec, stSec])
    d.addEventListener("toggle", () => (dirty = true));
  root.addEventListener("pointerdown", (e) => {
    if (!pop.hidden && !e.composedPath().includes(pop)) closePop();
  });

  // ---- world lifecycle ----
  /** @param {string} msg */
  function say(msg) {
    text(status, msg);
  }
  /** @param {unknown} e */
  function fail(e) {
    const msg = e instanceof Error ? e.message : String(e);
    say(`⚠ ${msg}`);
    emit("error", e);
  }
  function resetCaches() {
    acc_us = 0;
    frontier_us = 0;
    markers = [];
    flights = new Map();
    history = null;
    report = null;
    historyDirty = checkDirty = true;
    evidence = null;
    optionsKey = "";
  }
  /** @param {PlaygroundHandle} next */
  function adopt(next) {
    const old = handle;
    handle = next;
    if (old && old !== next) old.free();
    // Copies of the world for seeking back are taken in idle time, not inside a frame.
    next.defer_checkpoints(true);
    resetCaches();
    // The full config with every default filled in, as the world itself reports it.
    worldConfig = handle.config();
    view = handle.view(frameViewOptions());
    drainEvents();
    frontier_us = view.now_us;
    text(seedOut, `seed ${handle.seed()}`);
    fillSettings();
    if (!picking && scenSel.value) {
      scenSel.value = "";
      scenNote.hidden = true;
    }
    dirty = true;
    emit("world", handle);
  }
  /** @param {ConfigInput} c @param {number} [s] */
  async function newWorld(c, s) {
    config = { ...c };
    seed = s;
    adopt(await factory.create(c, s));
    say(`New world, seed ${handle.seed()}.`);
  }
  /** @param {Scenario} sc @param {number} [t_us] */
  async function loadScenario(sc, t_us) {
    // The moment to show travels next to the scenario (share links, exports), not inside it.
    const { t_us: _moment, ...scenario } = /** @type {SharedState} */ (sc);
    adopt(await factory.fromScenario(scenario));
    config = { ...worldConfig };
    if (t_us !== undefined) {
      seek(t_us);
      frontier_us = Math.max(frontier_us, t_us);
    }
  }
  /** @returns {Scenario} */
  function scenarioNow() {
    const sc = /** @type {Scenario} */ (handle.export_scenario());
    // A scenario must run for at least 1 µs.
    sc.duration_us = Math.max(1, sc.duration_us);
    return sc;
  }
  /**
   * Drains every trace line waiting (after a seek the replay may leave several batches).
   * @returns {TraceLine[]}
   */
  function drainEvents() {
    /** @type {TraceLine[]} */
    let lines = [];
    for (let i = 0; i < DRAIN_BATCHES_MAX; i++) {
      const b = handle.events(EVENTS_OPTIONS);
      lines = lines.length ? lines.concat(b.lines) : b.lines;
      if (!b.more) break;
    }
    return lines;
  }
  async function shareLink() {
    const base = location.href.replace(/#.*$/, "");
    return base + (await toFragment({ ...scenarioNow(), t_us: handle.now_us() }));
  }

  /**
   * Applies an action; errors are shown, never thrown.
   * @param {Action} a
   * @returns {boolean} whether the world accepted it
   */
  function apply(a) {
    try {
      handle.apply(a);
    } catch (e) {
      fail(e);
      return false;
    }
    // An action in the past rewrites the future: forget what we had seen beyond now.
    const now = handle.now_us();
    if (now < frontier_us) {
      frontier_us = now;
      markers = markers.filter((m) => m.at_us <= now);
    }
    // Live settings (timeouts, links, read path, toggles, workload) change the config.
    worldConfig = handle.config();
    if (a.type !== "set_workload") say(`Applied ${a.type.replace(/_/g, " ")} at ${formatUs(now)}.`);
    historyDirty = true;
    dirty = true;
    emit("action", a);
    return true;
  }
  /** @param {number} t_us */
  function seek(t_us) {
    try {
      handle.seek(Math.max(0, Math.round(t_us)));
    } catch (e) {
      fail(e);
      return;
    }
    drainEvents(); // replayed events were already seen (or belong to a rewritten future)
    worldConfig = handle.config(); // live settings applied later are undone
    acc_us = 0;
    flights = new Map();
    historyDirty = checkDirty = true;
    dirty = true;
    closePop();
  }

  // ---- per-frame work ----
  /** @param {TraceLine[]} lines */
  function ingest(lines) {
    for (const e of lines) {
      if (e.marker)
        markers.push({ id: ++markerSeq, at_us: e.time_us, kind: e.marker, text: e.text });
      if ((e.category === "deliver" || e.category === "drop") && e.message !== null) {
        const f = flights.get(e.message);
        if (f) {
          f.fate = e.category === "drop" ? "dropped" : "delivered";
          f.end_us = e.time_us;
        }
      }
    }
    if (markers.length > MARKERS_MAX) markers = markers.slice(markers.length - MARKERS_MAX);
  }
  function trackFlights() {
    const inView = new Set();
    for (const m of view.messages) {
      inView.add(m.id);
      const from = endpointNode(m.from);
      const to = endpointNode(m.to);
      if (from === null || to === null) continue;
      const f = flights.get(m.id);
      if (!f) {
        flights.set(m.id, {
          id: m.id,
          from,
          to,
          kind: m.kind,
          sent_at_us: m.sent_at_us,
          deliver_at_us: m.deliver_at_us,
          fate: "flight",
          end_us: m.deliver_at_us,
        });
      } else if (f.fate === "flight") {
        f.deliver_at_us = m.deliver_at_us;
      }
    }
    for (const f of flights.values()) {
      // Gone without an event (a batch was missed): assume delivered on time.
      if (f.fate === "flight" && !inView.has(f.id)) {
        f.fate = "delivered";
        f.end_us = Math.min(view.now_us, f.deliver_at_us);
      }
    }
    if (flights.size > FLIGHTS_MAX) {
      const drop = flights.size - FLIGHTS_MAX;
      let i = 0;
      for (const [k, f] of flights) {
        if (i >= drop) break;
        if (f.fate !== "flight") {
          flights.delete(k);
          i++;
        }
      }
    }
  }
  /**
   * What changes exactly when the client history does: per client, the operations completed
   * and the one outstanding.
   * @param {WorldView} v
   */
  function historySignature(v) {
    let sig = "";
    for (const c of v.clients) {
      sig += `${c.done_ok + c.done_failed + c.done_unknown}:${c.pending?.op ?? ""}:${c.queued},`;
    }
    return sig;
  }
  /** Takes the checkpoint that is due in idle time (a copy of the world, milliseconds when
   * it is big: inside a frame it would be a dropped frame). */
  function scheduleCheckpoint() {
    if (checkpointIdle || !handle.checkpoint_due()) return;
    checkpointIdle = idle(() => {
      checkpointIdle = 0;
      if (!destroyed) handle.checkpoint();
    });
  }
  /**
   * Fetches the history (and runs the checker) in idle time, not inside a frame, when it
   * changed and the last fetch is old enough; the history panel draws it on the next frame.
   * @param {number} nowMs
   */
  function scheduleHistory(nowMs) {
    if (historyIdle || controls !== "full" || attachPanels || !clientSec.open) return;
    const n = history?.operations?.length ?? 0;
    const historyDue = historyDirty && nowMs - lastHistoryMs > HISTORY_REFRESH_MS;
    const checkDue =
      checkDirty && n > 0 && n <= AUTO_CHECK_OPS_MAX && nowMs - lastCheckMs > CHECK_REFRESH_MS;
    if (!historyDue && !checkDue) return;
    historyIdle = idle(() => {
      historyIdle = 0;
      if (!destroyed) refreshHistory(performance.now());
    });
  }
  /** @param {number} nowMs @param {boolean} [force] */
  function refreshHistory(nowMs, force = false) {
    if (controls !== "full" || attachPanels || (!force && !clientSec.open)) return;
    if (historyDirty && (force || nowMs - lastHistoryMs > HISTORY_REFRESH_MS)) {
      lastHistoryMs = nowMs;
      historyDirty = false;
      try {
        history = /** @type {History} */ (handle.history());
        checkDirty = true;
      } catch (e) {
        fail(e);
      }
      dirty = true;
    }
    const n = history?.operations?.length ?? 0;
    if (
      checkDirty &&
      n &&
      (force || (n <= AUTO_CHECK_OPS_MAX && nowMs - lastCheckMs > CHECK_REFRESH_MS))
    ) {
      lastCheckMs = nowMs;
      checkDirty = false;
      try {
        report = /** @type {CheckReport} */ (handle.check());
      } catch (e) {
        fail(e);
      }
      dirty = true;
    }
  }

  /** The space-time diagram's time span (kept while within 25% of its target). */
  let stWindow_us = 0;
  /**
   * The space-time diagram shows two election timeouts, or less when the messages remembered
   * (FLIGHTS_MAX) cover less: busy worlds would otherwise crowd them at the bottom.
   */
  function spacetimeWindow() {
    let oldest = view.now_us;
    for (const f of flights.values()) if (f.sent_at_us < oldest) oldest = f.sent_at_us;
    const covered = Math.max(4 * worldConfig.network.latency_us_max, view.now_us - oldest);
    const target = Math.max(1000, Math.min(2 * worldConfig.election_timeout_us_max, covered));
    if (!stWindow_us || Math.abs(target - stWindow_us) > stWindow_us / 4) stWindow_us = target;
    return stWindow_us;
  }
  /**
   * What a frame's view includes: the log tails the grid can show (plus a margin) and no
   * state machines (the node menu fetches them when it opens).
   * @returns {import("../types.d.ts").ViewOptions}
   */
  function frameViewOptions() {
    const columns = controls === "full" ? logColumns() : 0;
    return { log_tail: columns + LOG_TAIL_MARGIN, kv: false, summaries: false };
  }
  /** Index columns of the logs grid at its current width. */
  const logColumns = () => Math.max(4, Math.floor((logsWidth - 90) / 28));

  /** @param {number} dt_ms */
  function frame(dt_ms) {
    if (playing) {
      acc_us += dt_ms * 1000 * speed;
      let us = Math.floor(acc_us);
      if (us > advanceCap_us) {
        // Too much for one frame: play less and let the rest go (no backlog to catch up on).
        us = Math.floor(advanceCap_us);
        acc_us = 0;
      } else acc_us -= us;
      if (us > 0) {
        const t0 = performance.now();
        handle.advance(us);
        const cost = performance.now() - t0;
        // Multiplicative decrease when over budget, gentle growth when well under it.
        if (cost > ADVANCE_BUDGET_MS)
          advanceCap_us = Math.max(1000, (us * ADVANCE_BUDGET_MS) / cost);
        else if (cost < ADVANCE_BUDGET_MS / 2 && Number.isFinite(advanceCap_us)) {
          advanceCap_us *= 1.25;
          if (advanceCap_us > 2_000_000) advanceCap_us = Number.POSITIVE_INFINITY;
        }
        dirty = true;
      }
      trackSpeed(us, dt_ms);
    }
    scheduleCheckpoint();
    const batch = handle.events(EVENTS_OPTIONS);
    if (batch.lines.length) {
      ingest(batch.lines);
      emit("events", batch.lines);
      dirty = true;
    }
    if (!dirty) {
      scheduleHistory(performance.now());
      return;
    }
    dirty = false;
    view = handle.view(frameViewOptions());
    if (view.now_us > frontier_us) frontier_us = view.now_us;
    const sig = historySignature(view);
    if (sig !== historySig) {
      historySig = sig;
      historyDirty = true;
    }
    scheduleHistory(performance.now());
    trackFlights();
    draw();
    emit("frame", view);
  }

  /**
   * Measures the speed actually achieved; shows it when it falls short of the request.
   * @param {number} us virtual time played this frame
   * @param {number} dt_ms real time it stood for
   */
  function trackSpeed(us, dt_ms) {
    windowVirtual_us += us;
    windowReal_ms += dt_ms;
    if (windowReal_ms < SPEED_WINDOW_MS) return;
    const achieved = windowVirtual_us / 1000 / windowReal_ms;
    windowVirtual_us = windowReal_ms = 0;
    const short = achieved < speed * 0.9;
    slowOut.hidden = !short;
    if (short) {
      const f = (/** @type {number} */ x) => (x < 1 ? x.toFixed(2) : x.toFixed(x < 10 ? 1 : 0));
      text(slowOut, `running at ${f(achieved)}× (requested ${f(speed)}×)`);
    }
  }

  function draw() {
    const isDark = dark();
    cluster.render(view, {
      evidence: evidence?.nodes,
      selected: partitionA ?? undefined,
      network: worldConfig.network,
      theme: `${isDark}`,
    });
    if (controls === "none") return;
    timeline.render(view.now_us, frontier_us, markers);
    if (controls !== "full" || attachPanels) return;
    refreshClientOptions();
    const nowMs = performance.now();
    // The grid changes with every commit under a workload: a few updates a second are enough.
    if (logsSec.open && (!playing || nowMs - lastLogsMs >= LOGS_REFRESH_MS)) {
      lastLogsMs = nowMs;
      logs.render(view, {
        dark: isDark,
        columns: logColumns(),
        evidenceNodes: evidence?.nodes,
        evidenceIndexes: evidence?.indexes,
      });
    }
    if (monSec.open) monitors.render(view.monitors);
    if (clientSec.open) historyView.render(history, report, view.now_us, sideWidth);
    if (stSec.open && (!playing || nowMs - lastSpacetimeMs >= SPACETIME_REFRESH_MS)) {
      lastSpacetimeMs = nowMs;
      const window_us = spacetimeWindow();
      spacetime.render(
        view.nodes.map((n) => n.id),
        [...flights.values()],
        view.now_us,
        window_us,
        sideWidth,
        `${isDark}`,
      );
    }
  }

  // ---- start: first frame as soon as the world exists ----
  setPlaying(playing);
  let started = false;
  if (options.fragment) {
    const payload = payloadFromFragment(location.hash);
    if (payload) {
      try {
        const st = await decodeShare(payload);
        await loadScenario(st, st.t_us);
        started = true;
        setPlaying(false);
        say(`Replayed a shared world (seed ${st.seed}) to ${formatUs(st.t_us ?? 0)}.`);
      } catch (e) {
        fail(e);
      }
    }
  }
  if (!started) {
    if (options.scenario) await loadScenario(options.scenario, options.t_us);
    else adopt(await factory.create(config, seed));
  }
  frame(0);
  const loop = startLoop(root, frame);
  if (attachPanels) {
    // After the first frame is painted (a task after the next animation frame), or soon anyway
    // when animation frames do not run (a hidden tab).
    await new Promise((resolve) => {
      requestAnimationFrame(() => setTimeout(resolve, 0));
      setTimeout(resolve, 300);
    });
    attachPanels();
    attachPanels = null;
    performance.mark?.("raftlab:panels");
    dirty = true;
    frame(0);
  }

  /** The controller returned to the embedding code. */
  return {
    /** The live world handle (replaced when a new world is created). */
    get handle() {
      return handle;
    },
    /** The view drawn last. */
    view: () => view,
    /**
     * Where message `id` is drawn, in client coordinates; null when it is not drawn.
     * @param {number} id
     */
    messageRect: (id) => cluster.messageRect(id),
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    get playing() {
      return playing;
    },
    /** @param {number} s virtual/real time ratio, 0.01–100 */
    setSpeed(s) {
      speed = Math.min(100, Math.max(0.01, s));
      speedIn.value = String(Math.round(sliderFromSpeed(speed) * 1000));
      showSpeed();
    },
    /** @param {number} t_us */
    seek(t_us) {
      seek(t_us);
      frame(0);
    },
    /** @param {Action} a */
    apply(a) {
      const ok = apply(a);
      frame(0);
      return ok;
    },
    newWorld,
    loadScenario,
    /** @param {"light" | "dark" | "auto"} t */
    setTheme(t) {
      root.classList.replace(`t-${theme}`, `t-${t}`);
      theme = t;
      dirty = true;
    },
    shareLink,
    /** Draws a frame now (tests; the loop does this by itself). */
    redraw() {
      dirty = true;
      frame(0);
    },
    /**
     * Subscribes to "frame" | "events" | "action" | "world" | "error".
     * @param {string} name
     * @param {(x: any) => void} fn
     */
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(fn);
      return () => set.delete(fn);
    },
    destroy() {
      destroyed = true;
      loop.destroy();
      ro.disconnect();
      handle.free();
      shadow.replaceChildren();
    },
  };
}
