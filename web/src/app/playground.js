// One playground instance: the composition. It creates the controller (the only holder of the
// world handle), the panels (each `create(ctx) -> { el, sync(view) }`), the frame runner that
// redraws them, and the lifecycle (new world, scenario, seek, apply). Every control only
// forwards an intent; all protocol behaviour lives in the Wasm world. Internal module: the public
// API is index.js.

import { initialLang } from "../i18n.js";
import { createClusterView } from "../render/cluster.js";
import { h } from "../render/dom.js";
import { formatUs } from "../render/geom.js";
import { decodeShare, payloadFromFragment } from "../share.js";
import { createController } from "./controller.js";
import { addMarkers, cutMarkers, emptyMarkers, endFlights, trackFlights } from "./derive.js";
import { createFrameRunner } from "./frame.js";
import { createLabels } from "./labels.js";
import { startLoop } from "./loop.js";
import { createClientPanel, idle } from "./panels/client.js";
import { createLessonPanel } from "./panels/lesson.js";
import { createMenus } from "./panels/menus.js";
import { createNotice } from "./panels/notice.js";
import { createPopover } from "./panels/popover.js";
import { createRecordPanel } from "./panels/record.js";
import { createScenarioPanels } from "./panels/scenarios.js";
import { createSettings } from "./panels/settings.js";
import { createSharePanel, scenarioNow } from "./panels/share.js";
import { createStatus } from "./panels/status.js";
import { createTimebar } from "./panels/timebar.js";
import { createTools } from "./panels/tools.js";
import { createLogsPanel, createMonitorsPanel, createSpacetimePanel } from "./panels/views.js";
import { createReplayer } from "./replay.js";
import { createSections } from "./sections.js";
import { styleSheet } from "./style.js";
import { SPEED_DEFAULT, withVisualLatency } from "./visual-time.js";

/**
 * @typedef {import("../types.d.ts").PlaygroundHandle} PlaygroundHandle
 * @typedef {import("../types.d.ts").WorldView} WorldView
 * @typedef {import("../types.d.ts").ConfigInput} ConfigInput
 * @typedef {import("../types.d.ts").Action} Action
 * @typedef {import("../types.d.ts").Scenario} Scenario
 * @typedef {import("../types.d.ts").SharedState} SharedState
 * @typedef {import("../render/spacetime.js").Flight} Flight
 * @typedef {import("./context.js").Ctx} Ctx
 * @typedef {{
 *   create(config: ConfigInput, seed?: number): PlaygroundHandle | Promise<PlaygroundHandle>,
 *   fromScenario(s: Scenario): PlaygroundHandle | Promise<PlaygroundHandle>,
 *   run?: (s: Scenario) => import("../types.d.ts").RunSummary | Promise<import("../types.d.ts").RunSummary>,
 *   grade?: import("./panels/exercise.js").GradeFn,
 * }} HandleFactory
 *   run: runs a scenario to its end headlessly (the expectations' live status); grade: the
 *   exercise grader
 * @typedef {{
 *   config?: ConfigInput, seed?: number, scenario?: Scenario, t_us?: number,
 *   controls?: "full" | "minimal" | "none", autoplay?: boolean, speed?: number,
 *   theme?: "light" | "dark" | "auto", fragment?: boolean, height?: string, logs?: boolean,
 *   scenarioIndex?: Promise<import("./panels/scenarios.js").ScenarioIndex | null>,
 *   lessonIndex?: Promise<import("../lessons.js").LessonIndex | null>, lang?: import("../i18n.js").Lang,
 *   lesson?: string, steps?: [number, number],
 * }} MountOptions
 *   lesson, steps: a lesson embed (its player, the steps from..to, from 1)
 */

/** Log entries per node fetched every frame beyond the columns the logs grid shows. */
const LOG_TAIL_MARGIN = 8;
/** Real-time spacing of space-time diagram redraws while playing (a few Hz of detail). */
const SPACETIME_REFRESH_MS = 100;
/** Real-time spacing of log grid redraws while playing: under a workload the window slides on
 * every frame, and repainting every cell is the costliest paint of the page. */
const LOGS_REFRESH_MS = 200;
/** While the pointer or focus is on a message, time runs at this fraction of the speed. */
const HOVER_SLOWDOWN = 0.1;

/** Whether the reader asked for reduced motion. */
const reducedMotion = () =>
  typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

let uid = 0;

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
  const root = h("div", { class: `rl c-${controls} t-${options.theme ?? "auto"}` });
  if (options.height) root.style.setProperty("--rl-height", options.height);
  shadow.replaceChildren(root);

  // ---- public events ----
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

  const ctrl = createController();
  // What seeks and replays drain is marked too: the time bar and the history chart show the
  // faults and elections of time jumped over (lines already marked are skipped).
  ctrl.onDrained((lines) => {
    markers = addMarkers(markers, lines);
  });
  const status = createStatus();
  let destroyed = false;
  /** @type {import("./context.js").UiState} */
  const ui = {
    view: null,
    worldConfig: null,
    // Reduced motion: nothing moves until the reader presses Play.
    playing: (options.autoplay ?? true) && !reducedMotion(),
    speed: options.speed ?? SPEED_DEFAULT,
    frontier_us: 0,
    evidence: null,
    served: null,
    partitionA: null,
    theme: options.theme ?? "auto",
    spot: null,
    lang: options.lang ?? initialLang(),
  };
  const labels = createLabels(ui);
  const { tr } = labels;
  const notice = createNotice(labels);
  let markers = emptyMarkers();
  /** @type {Map<number, Flight>} */
  let flights = new Map();
  /** The loaded scenario's description and expectations (null in free play). */
  /** @type {{ description?: string, expect?: unknown[], duration_us?: number, actions?: unknown[] } | null} */
  let loaded = null;
  /** A pending judgement of the loaded scenario's expectations (0: none). */
  let judgeIdle = 0;

  /** @param {unknown} e */
  const fail = (e) => {
    const msg = e instanceof Error ? e.message : String(e);
    status.say(`⚠ ${msg}`, true);
    emit("error", e);
  };
  ctrl.subscribe("error", fail);

  /** @type {Ctx} */
  const ctx = {
    id,
    controls,
    ctrl,
    ui,
    tr,
    labels,
    pop: createPopover({
      shadow,
      anchor: () => clusterPane,
      onClose: (resume) => {
        if (resume) setPlaying(true);
      },
      tr,
    }),
    say: (m) => status.say(m),
    fail,
    apply,
    seek,
    setPlaying,
    invalidate: () => runner.invalidate(),
    dark: () =>
      ui.theme === "dark" ||
      (ui.theme === "auto" && matchMedia("(prefers-color-scheme: dark)").matches),
    newWorld,
    loadScenario,
    config: withVisualLatency({ ...(options.config ?? {}) }),
  };
  /** A message under the pointer or focus: time slows so it can be caught. */
  let hoveredMessage = /** @type {number | null} */ (null);
  let seed = options.seed;

  // ---- panels ----
  const menus = createMenus(ctx);
  const tools = createTools(ctx, menus);
  const cluster = createClusterView({
    onNode: (n, at) => (ui.partitionA ? tools.toggle(n) : menus.node(n, at)),
    onMessage: (m, at) => menus.message(m, at),
    onLink: (a, b, at) => menus.link(a, b, at),
    onHover: (id) => {
      hoveredMessage = id;
    },
    tr,
  });
  labels.onChange(cluster.relabel);
  const timebar = createTimebar(ctx, {
    markers: () => markers,
    step: () => {
      setPlaying(false);
      ctrl.step();
      runner.invalidate();
    },
  });
  /** Puts the secondary panels (full controls) into the page; null once done or if none. */
  /** @type {(() => void) | null} */
  let attachPanels = null;
  const sections = createSections(labels);
  const section = sections.section;
  let logsWidth = 600;
  let sideWidth = 600;
  const logs = createLogsPanel(ctx, { columns: () => logColumns() });
  const monitors = createMonitorsPanel(ctx);
  const spacetime = createSpacetimePanel(ctx, { flights: () => flights, width: () => sideWidth });
  const client = createClientPanel(ctx, {
    // Not during a sliced replay: fetching a growing history would be the longest task.
    active: () => controls === "full" && !attachPanels && clientSec.open && !replayer.running,
    width: () => sideWidth,
    destroyed: () => destroyed,
    markers: () => markers.list,
  });
  const settings = createSettings(ctx);
  const share = createSharePanel(ctx, { loaded: () => loaded });
  const record = createRecordPanel(ctx, { loaded: () => loaded, grade: factory.grade });
  const scen = createScenarioPanels(ctx, {
    freePlay: () => newWorld(withVisualLatency({ ...(options.config ?? {}) })),
    destroyed: () => destroyed,
  });
  if (controls === "full" && options.scenarioIndex) scen.setIndex(options.scenarioIndex);
  const lesson = createLessonPanel(ctx, {
    index: controls === "full" || options.lesson ? (options.lessonIndex ?? null) : null,
    embed: options.lesson ? { id: options.lesson, steps: options.steps } : null,
    grade: factory.grade,
    fragment: !!options.fragment,
    relabel: (lang) => {
      ctx.pop.close();
      labels.set(lang);
      root.setAttribute("lang", lang);
      runner.invalidateAll();
      emit("lang", lang);
      // The page around it (its header) relabels too: a bubbling event on the element.
      shadow.host.dispatchEvent(new CustomEvent("lang", { detail: lang, bubbles: true }));
    },
  });
  root.setAttribute("lang", ui.lang);
  const replayer = createReplayer({
    ctrl,
    ui,
    notice,
    tr,
    say: (m) => status.say(m),
    fail,
    seek,
    setPlaying,
    invalidate: () => runner.invalidate(),
    done: () => {
      flights = new Map();
      runner.invalidateAll();
    },
    destroyed: () => destroyed,
  });

  // ---- layout ----
  const clusterPane = labels.bind(
    h("section", { class: "pane cpane" }, cluster.el, ctx.pop.el, notice.el),
    "cluster",
    "aria-label",
  );
  const logsSec = section("sec_logs", true, logs.el);
  const monSec = section("sec_monitors", true, monitors.el);
  const clientSec = section("sec_clients", true, client.el);
  const stSec = section("sec_spacetime", false, spacetime.el);
  const setSec = section("sec_settings", false, settings.el);
  const shareSec = section("sec_share", false, share.el);
  const recordSec = section("sec_record", false, record.el);
  if (controls === "none") {
    root.append(clusterPane);
  } else if (controls === "minimal") {
    clusterPane.prepend(tools.el);
    root.append(timebar.el, clusterPane);
    if (options.lesson) root.append(lesson.el);
    // A post that talks about the logs shows them under its embed.
    if (options.logs) root.append(logsSec);
    root.append(status.el, status.live);
  } else {
    clusterPane.prepend(tools.el);
    const left = h("div", { class: "col" }, scen.note, clusterPane);
    const right = h("div", { class: "col" }, lesson.el, scen.picker);
    root.append(timebar.el, h("div", { class: "main" }, left, right), status.el, status.live);
    // The secondary panels join the page after the first cluster frame is painted (see the
    // start below): their layout would otherwise delay it.
    attachPanels = () => {
      left.append(stSec, monSec);
      right.append(logsSec, clientSec, setSec, shareSec, recordSec);
    };
  }

  // Widths drive the log column count and the history/space-time widths.
  const ro = new ResizeObserver(() => {
    logsWidth = logs.gridEl.clientWidth || logsWidth;
    sideWidth = client.historyEl.clientWidth || stSec.clientWidth || sideWidth;
    runner.invalidateAll();
  });
  ro.observe(logs.gridEl);
  ro.observe(client.historyEl);
  ro.observe(stSec);
  for (const d of [logsSec, monSec, clientSec, stSec])
    d.addEventListener("toggle", () => runner.invalidateAll());
  // Space plays and pauses, unless a control that uses Space itself has focus.
  const spaceTarget = (/** @type {EventTarget | null} */ t) =>
    !(t instanceof Element) ||
    !t.closest("button, input, select, textarea, summary, a, [role=button], [contenteditable]");
  root.addEventListener("keydown", (e) => {
    if (e.key !== " " || e.defaultPrevented || !spaceTarget(e.composedPath()[0] ?? null)) return;
    e.preventDefault();
    setPlaying(!ui.playing);
    status.say(tr(ui.playing ? "playing" : "paused"));
  });
  /** @param {KeyboardEvent} e */
  const onDocKey = (e) => {
    // With full controls (the one playground of a page), Space on the page body plays too.
    if (controls !== "full" || e.key !== " " || e.defaultPrevented) return;
    if (e.target !== document.body && e.target !== document.documentElement) return;
    e.preventDefault();
    setPlaying(!ui.playing);
    status.say(tr(ui.playing ? "playing" : "paused"));
  };
  document.addEventListener("keydown", onDocKey);
  root.addEventListener("pointerdown", (e) => {
    if (ctx.pop.open && !e.composedPath().includes(ctx.pop.el)) ctx.pop.close();
  });

  /** Index columns of the logs grid at its current width. */
  const logColumns = () => Math.max(4, Math.floor((logsWidth - 120) / 28));
  const full = () => controls === "full" && !attachPanels;
  /** The logs are in the page (full controls, or a minimal embed asking for them). */
  const logsShown = () => full() || (controls === "minimal" && !!options.logs);

  // ---- the frame ----
  const runner = createFrameRunner({
    ctrl,
    playing: () => ui.playing,
    speed: () => (hoveredMessage === null ? ui.speed : ui.speed * HOVER_SLOWDOWN),
    viewOptions: () => ({
      log_tail: (logsShown() ? logColumns() : 0) + LOG_TAIL_MARGIN,
      kv: false,
      summaries: false,
    }),
    onSpeed: (achieved) =>
      timebar.showAchieved(achieved, hoveredMessage === null ? ui.speed : Number.NaN),
    onLines: (lines) => {
      markers = addMarkers(markers, lines);
      flights = endFlights(flights, lines);
      emit("events", lines);
    },
    onView: (v) => {
      ui.view = v;
      if (v.now_us > ui.frontier_us) ui.frontier_us = v.now_us;
      flights = trackFlights(flights, v);
      emit("frame", v);
    },
    skipEvents: () => replayer.running,
    idleWork: () => {
      if (replayer.running) return; // checkpoints wait until the replay is over
      scheduleCheckpoint();
      client.idleWork();
    },
  });
  runner.add({
    sync: (v) =>
      cluster.render(v, {
        evidence: ui.evidence?.nodes,
        served: ui.served,
        selected: ui.partitionA ?? undefined,
        network: ui.worldConfig?.network,
        theme: `${ctx.dark()}`,
        spot: ui.spot?.nodes,
        spotKinds: ui.spot?.kinds,
      }),
  });
  runner.add({ sync: (v) => lesson.sync(v), active: () => lesson.active });
  runner.add({ sync: (v) => timebar.sync(v), active: () => controls !== "none" });
  runner.add({ ...logs, active: () => logsShown() && logsSec.open, every_ms: LOGS_REFRESH_MS });
  runner.add({ ...monitors, active: () => full() && monSec.open });
  runner.add({ sync: (v) => client.sync(v), active: () => full() && clientSec.open });
  runner.add({ sync: (v) => scen.sync(v), active: () => full() && !scen.note.hidden });
  runner.add({
    ...spacetime,
    active: () => full() && stSec.open,
    every_ms: SPACETIME_REFRESH_MS,
  });

  /** Pending idle callback that takes a due checkpoint. */
  let checkpointIdle = 0;
  /** Takes the checkpoint that is due in idle time (a copy of the world, milliseconds when
   * it is big: inside a frame it would be a dropped frame). */
  function scheduleCheckpoint() {
    if (checkpointIdle || !ctrl.checkpointDue()) return;
    checkpointIdle = idle(() => {
      checkpointIdle = 0;
      if (!destroyed) ctrl.checkpoint();
    });
  }

  // ---- intents ----
  /** @param {boolean} on */
  function setPlaying(on) {
    ui.playing = on;
    runner.reset();
    timebar.showPlaying();
  }
  /**
   * Applies an action; errors are shown, never thrown.
   * @param {Action} a
   * @returns {boolean} whether the world accepted it
   */
  function apply(a) {
    if (!ctrl.dispatch(a)) return false;
    // An action in the past rewrites the future: forget what we had seen beyond now.
    const now = ctrl.now();
    if (now < ui.frontier_us) {
      ui.frontier_us = now;
      markers = cutMarkers(markers, now);
    }
    // Live settings (timeouts, links, read path, toggles, workload) change the config.
    ui.worldConfig = ctrl.config();
    if (a.type !== "set_workload")
      status.say(
        tr("applied", {
          action: tr(/** @type {import("../i18n.js").StringKey} */ (`action_${a.type}`)),
          at: formatUs(now),
        }),
      );
    client.touch();
    judge();
    runner.invalidate();
    emit("action", a);
    return true;
  }
  /**
   * Judges the loaded scenario's expectations in idle time: the scenario with the actions so
   * far, run to its end by the world itself (the grader's call), gives each one's result; the
   * note shows "not yet" until its time comes.
   */
  function judge() {
    if (judgeIdle || !loaded?.expect?.length || !factory.run || controls !== "full") return;
    judgeIdle = idle(async () => {
      judgeIdle = 0;
      if (destroyed || !loaded) return;
      try {
        const sc = scenarioNow(ctrl, loaded);
        sc.duration_us = Math.max(loaded.duration_us ?? 1, sc.duration_us);
        const summary = await /** @type {NonNullable<HandleFactory["run"]>} */ (factory.run)(sc);
        scen.setResults(summary.expectations);
        runner.invalidate();
      } catch (e) {
        fail(e);
      }
    });
  }
  /** @param {number} t_us */
  function seek(t_us) {
    replayer.cancel();
    if (!ctrl.seek(t_us)) return;
    ui.worldConfig = ctrl.config(); // live settings applied later are undone
    runner.reset();
    flights = new Map();
    client.touch();
    runner.invalidateAll();
    ctx.pop.close();
  }
  /** @param {PlaygroundHandle} next */
  function adopt(next) {
    replayer.cancel();
    notice.hide();
    ctrl.replace(next);
    runner.reset();
    markers = emptyMarkers();
    flights = new Map();
    ui.evidence = null;
    client.reset();
    // The full config with every default filled in, as the world itself reports it.
    ui.worldConfig = ctrl.config();
    ctrl.drain();
    ui.frontier_us = ctrl.now();
    tools.setSeed(ctrl.seed());
    settings.fill(ui.worldConfig, ctrl.seed());
    client.fill(ui.worldConfig);
    scen.adopted();
    runner.invalidateAll();
    emit("world", next);
  }
  /** @param {ConfigInput} c @param {number} [s] */
  async function newWorld(c, s) {
    ctx.config = { ...c };
    seed = s;
    loaded = null;
    adopt(await factory.create(c, s));
    status.say(tr("new_world", { seed: ctrl.seed() }));
  }
  /** @param {Scenario} sc @param {number} [t_us] */
  async function loadScenario(sc, t_us) {
    // The moment to show travels next to the scenario (share links, exports), not inside it.
    const { t_us: _moment, ...scenario } = /** @type {SharedState} */ (sc);
    adopt(await factory.fromScenario(scenario));
    loaded = {
      description: scenario.description,
      expect: scenario.expect,
      duration_us: scenario.duration_us,
      actions: scenario.actions,
    };
    // Its description and each expectation with a live status (the picker names it after).
    if (controls === "full") scen.show(tr("scen_scenario"), scenario.description ?? "", scenario);
    judge();
    ctx.config = { ...ui.worldConfig };
    if (t_us !== undefined) replayer.to(t_us);
  }
  // ---- start: first frame as soon as the world exists ----
  setPlaying(ui.playing);
  timebar.showSpeed();
  let started = false;
  /** Why the page's share link could not be opened (null: there was none, or it opened). */
  let linkError = /** @type {unknown} */ (null);
  if (options.fragment) {
    const payload = payloadFromFragment(location.hash);
    if (payload) {
      try {
        const st = await decodeShare(payload);
        setPlaying(false);
        await loadScenario(st, st.t_us);
        started = true;
        if (!replayer.running)
          status.say(tr("link_replayed", { seed: st.seed, to: formatUs(st.t_us ?? 0) }));
      } catch (e) {
        linkError = e;
      }
    }
  }
  if (!started) started = await lesson.first();
  if (!started) {
    if (options.scenario) await loadScenario(options.scenario, options.t_us);
    else adopt(await factory.create(ctx.config, seed));
  }
  if (linkError) {
    // Never a silent swap: the default world waits, paused, behind the reason.
    setPlaying(false);
    const why = linkError instanceof Error ? linkError.message : String(linkError);
    fail(linkError);
    notice.show(tr("link_failed", { why }), [
      {
        label: tr("link_default"),
        run: () => {
          notice.hide();
          setPlaying(true);
          status.say(tr("link_default_started"));
        },
      },
    ]);
  } else if ((options.autoplay ?? true) && reducedMotion()) status.say(tr("reduced_motion"));
  runner.frame(0);
  const loop = startLoop(root, (dt) => runner.frame(dt));
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
    runner.invalidateAll();
    runner.frame(0);
  }

  /** The controller returned to the embedding code. */
  return {
    /** The live world handle (replaced when a new world is created). */
    get handle() {
      return ctrl.handle;
    },
    /** The view drawn last. */
    view: () => ui.view,
    /**
     * Where message `id` is drawn, in client coordinates; null when it is not drawn.
     * @param {number} id
     */
    messageRect: (id) => cluster.messageRect(id),
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    get playing() {
      return ui.playing;
    },
    /** A sliced replay (opening a link, a long jump forward) is running. */
    get replaying() {
      return replayer.running;
    },
    /** The requested speed (virtual/real time). */
    get speed() {
      return ui.speed;
    },
    /** @param {number} s virtual/real time ratio, 0.01–100 */
    setSpeed(s) {
      ui.speed = Math.min(100, Math.max(0.01, s));
      timebar.showSpeed();
    },
    /** @param {number} t_us */
    seek(t_us) {
      seek(t_us);
      runner.frame(0);
    },
    /** @param {Action} a */
    apply(a) {
      const ok = apply(a);
      runner.frame(0);
      return ok;
    },
    newWorld,
    loadScenario,
    /** @param {"light" | "dark" | "auto"} t */
    setTheme(t) {
      root.classList.replace(`t-${ui.theme}`, `t-${t}`);
      ui.theme = t;
      runner.invalidateAll();
    },
    shareLink: share.shareLink,
    /** The lesson player: open(id, step), close(), at, exercise (tests and pages). */
    lesson,
    /** The scenario an export would write now. */
    exportScenario: () => scenarioNow(ctrl, loaded),
    /** Draws a frame now (tests; the loop does this by itself). */
    redraw() {
      runner.invalidateAll();
      runner.frame(0);
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
      document.removeEventListener("keydown", onDocKey);
      loop.destroy();
      ro.disconnect();
      ctrl.free();
      shadow.replaceChildren();
    },
  };
}
