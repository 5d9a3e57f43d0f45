// The CAP page: Raft and the AP store side by side (crates/wasm-cap: `CapWorlds`, both
// worlds in lock step with the same config, seed, workload and actions). This file forwards
// the learner's actions, advances virtual time with real time, and renders the views, the
// report and the lag; every decision is Rust's.

import { HISTORY_TEXT } from "../history/text.js";
import { langPicker, pageWord, relabelOwn } from "../lang-picker.js";
import init, { CapWorlds } from "../web/pkg-cap/raftlab_wasm_cap.js";
import { initialLang } from "../web/src/element.js";
import { drawCluster, drawLag, drawReport } from "./draw.js";
import { CAP_TEXT } from "./text.js";

const WASM_URL = new URL("../web/pkg-cap/raftlab_wasm_cap_bg.wasm", import.meta.url);
/** The ready scenario both sides start from. */
const SCENARIO_URL = "./scenarios/cap_partition_raft.json";
/** Virtual time one frame may advance at most, µs (a slow frame does not jump ahead). */
const FRAME_US_MAX = 100_000;
/** The lag chart's points at most (about one per pixel of its width). */
const LAG_POINTS = 600;
/** How often the report (two history checks) is refreshed while playing, ms of real time. */
const REPORT_EVERY_MS = 500;

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const ui = {
  play: $("play"),
  clock: $("clock"),
  partition: $("partition"),
  heal: $("heal"),
  node: $("node"),
  crash: $("crash"),
  restart: $("restart"),
  loadOn: $("load-on"),
  loadOff: $("load-off"),
  reset: $("reset"),
  w: $("w"),
  r: $("r"),
  quorums: $("quorums"),
  status: $("status"),
  raft: $("raft-svg"),
  ap: $("ap-svg"),
  report: $("report"),
  lag: $("lag"),
  lang: $("lang"),
};

let lang = initialLang();
/**
 * A word of this page's own table (./text.js), of the history playground's (the models'
 * names), else of the shared one.
 * @param {any} key @param {Record<string, string | number>} [vars]
 */
const tr = (key, vars) => pageWord([CAP_TEXT, HISTORY_TEXT], lang, key, vars);

const state = {
  /** @type {any} */ scenario: null,
  /** @type {CapWorlds | null} */ worlds: null,
  playing: false,
  /** Whether the learner chose to go on past the script's end. */
  pastEnd: false,
  lastFrameMs: 0,
  lastReportMs: 0,
  /** @type {any} */ report: null,
};

function say(/** @type {string} */ text, error = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", error);
}

/** The AP side's quorums as chosen. */
function quorums() {
  return { write_quorum: Number(ui.w.value), read_quorum: Number(ui.r.value) };
}

/** What the AP side's quorums mean (whether they overlap is the worlds' to say). */
function showQuorums() {
  if (!state.worlds) return;
  const q = quorums();
  const key = state.worlds.ap_quorums_overlap() ? "cap_overlap" : "cap_sloppy";
  ui.quorums.textContent = tr(key, {
    w: q.write_quorum,
    r: q.read_quorum,
    n: state.scenario.config.node_count,
  });
}

/** Both worlds afresh from the scenario, the AP side with the chosen quorums. */
function start() {
  state.worlds?.free();
  const config = { ...state.scenario.config, ap: { ...state.scenario.config.ap, ...quorums() } };
  state.worlds = new CapWorlds({ ...state.scenario, config });
  state.pastEnd = false;
  showQuorums();
  refreshReport();
  render();
}

/** The report and the lag chart: twice a second while playing, and after every action. */
function refreshReport() {
  const w = state.worlds;
  if (!w) return;
  state.report = w.report();
  state.lastReportMs = performance.now();
  drawTables();
}

/** The report table and the lag chart, from the report last made. */
function drawTables() {
  const w = state.worlds;
  if (!w || !state.report) return;
  drawReport(ui.report, state.report, tr);
  drawLag(
    ui.lag,
    w.lag(LAG_POINTS),
    state.report.partitions,
    state.scenario.config.node_count,
    Math.max(w.now_us(), w.duration_us()),
    tr,
  );
}

/** The clusters and the clock: every frame. */
function render() {
  const w = state.worlds;
  if (!w) return;
  const views = w.views();
  drawCluster(ui.raft, views.raft, tr);
  drawCluster(ui.ap, views.ap, tr);
  ui.clock.textContent = tr("cap_clock", { t: (w.now_us() / 1e6).toFixed(2) });
  ui.play.textContent = tr(state.playing ? "cap_pause" : "cap_play");
}

function frame(/** @type {number} */ ms) {
  const w = state.worlds;
  if (state.playing && w) {
    const dt = Math.min(FRAME_US_MAX, Math.round((ms - state.lastFrameMs) * 1000));
    const end = w.duration_us();
    const now = w.now_us();
    // The script's end pauses once; Play goes on past it.
    const step = !state.pastEnd && now < end ? Math.min(dt, end - now) : dt;
    if (step > 0) w.advance(step);
    if (!state.pastEnd && w.now_us() >= end) {
      state.playing = false;
      state.pastEnd = true;
      say(tr("cap_ended"));
      refreshReport();
    } else if (ms - state.lastReportMs > REPORT_EVERY_MS) refreshReport();
    render();
  }
  state.lastFrameMs = ms;
  requestAnimationFrame(frame);
}

/** Applies an action to both sides; a refusal is shown with its field. @param {any} action */
function act(action, done = "cap_done") {
  if (!state.worlds) return;
  try {
    state.worlds.apply(action);
    say(tr(/** @type {any} */ (done)));
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), true);
  }
  refreshReport();
  render();
}

/** Everything this page writes itself, in `lang`. */
function relabel() {
  const labels = {
    partition: "cap_partition",
    heal: "cap_heal",
    crash: "cap_crash",
    restart: "cap_restart",
    loadOn: "cap_load_on",
    loadOff: "cap_load_off",
    reset: "cap_reset",
  };
  relabelOwn("cap", tr);
  const buttons = /** @type {Record<string, HTMLElement>} */ (ui);
  for (const [k, key] of Object.entries(labels)) buttons[k].textContent = tr(key);
  showQuorums();
  drawTables();
  render();
}

async function main() {
  relabelOwn("cap", tr);
  langPicker(ui.lang, lang, (l) => {
    lang = l;
    relabel();
  });
  await init({ module_or_path: WASM_URL });
  const res = await fetch(SCENARIO_URL);
  if (!res.ok) throw new Error(`${SCENARIO_URL}: HTTP ${res.status}`);
  state.scenario = await res.json();
  for (let i = 1; i <= state.scenario.config.node_count; i++) {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = `n${i}`;
    ui.node.append(o);
    for (const sel of [ui.w, ui.r]) {
      const q = document.createElement("option");
      q.value = String(i);
      q.textContent = String(i);
      sel.append(q);
    }
  }
  for (const sel of [ui.w, ui.r])
    sel.addEventListener("change", () => {
      state.playing = false;
      start();
      say(tr("cap_quorums_set", quorums()));
    });
  ui.play.addEventListener("click", () => {
    state.playing = !state.playing;
    if (state.playing) say("");
    render();
  });
  const groups = [
    [1, 2],
    [3, 4, 5],
  ];
  ui.partition.addEventListener("click", () =>
    act({ type: "partition", groups }, "cap_partitioned"),
  );
  ui.heal.addEventListener("click", () => act({ type: "heal" }, "cap_healed"));
  const node = () => Number(ui.node.value);
  ui.crash.addEventListener("click", () => act({ type: "crash", node: node() }));
  ui.restart.addEventListener("click", () => act({ type: "restart", node: node() }));
  ui.loadOn.addEventListener("click", () => act({ type: "set_workload", enabled: true }));
  ui.loadOff.addEventListener("click", () => act({ type: "set_workload", enabled: false }));
  ui.reset.addEventListener("click", () => {
    state.playing = false;
    start();
    say(tr("cap_started_over"));
  });
  start();
  relabel();
  say(tr("cap_ready"));
  document.body.dataset.ready = "true";
  requestAnimationFrame(frame);
}

main().catch((e) => say(e instanceof Error ? e.message : String(e), true));
