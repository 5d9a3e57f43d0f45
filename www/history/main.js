// The history playground: pick a ready history (the article's figures) or build one by hand,
// drag operations in time, and see the consistency-model ladder after every move. The check
// runs in Rust (its own module, crates/wasm-check: `check_history`); this file only keeps the
// history object, forwards edits and renders the report.

import { langPicker, pageWord, relabelOwn } from "../lang-picker.js";
import init, { check_history } from "../web/pkg-check/raftlab_wasm_check.js";
import { initialLang } from "../web/src/element.js";
import { drawLadder } from "./ladder.js";
import { HISTORY_TEXT } from "./text.js";
import { drawTimeline, markBlamed } from "./timeline.js";

const WASM_URL = new URL("../web/pkg-check/raftlab_wasm_check_bg.wasm", import.meta.url);
/** Operations a hand-built history may hold (the page's bound; the checker has its own). */
const PAGE_OPS_MAX = 40;
/** Length of an added operation, microseconds. */
const ADDED_OP_US = 1000;

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const ui = {
  pick: $("figure-pick"),
  about: $("figure-about"),
  timeline: $("timeline"),
  add: $("add"),
  client: $("add-client"),
  op: $("add-op"),
  key: $("add-key"),
  value: $("add-value"),
  valueLabel: $("add-value-label"),
  status: $("status"),
  ladder: $("ladder"),
  sessions: $("sessions"),
  lang: $("lang"),
};

/** The page's language (shared with the playground: remembered, else the browser's). */
let lang = initialLang();
/** A word of this page's own table (./text.js), else of the shared one. @param {any} key @param {Record<string, string | number>} [vars] */
const tr = (key, vars) => pageWord([HISTORY_TEXT], lang, key, vars);
/** @typedef {typeof tr} Tr */

/** The history being edited, its last version the checker accepted, the blamed operations. */
const state = {
  /** @type {any} */ history: null,
  /** @type {string} */ lastGood: "",
  /** @type {Set<number>} */ blamed: new Set(),
  pending: false,
  /** @type {any[]} the ready histories' list (figures/index.json) */ figures: [],
  /** @type {any} the figure loaded last (for its text in another language) */ figure: null,
};

function say(/** @type {string} */ text, error = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", error);
}

/** The operations the report blames: the causal evidence, else the linearizability stuck ops. */
function blamedBy(/** @type {any} */ report) {
  if (report.causal.verdict === "violated") return new Set(report.causal.ops);
  const ids = new Set();
  for (const p of report.linearizability.partitions)
    for (const s of p.explanation?.stuck ?? []) ids.add(s.id);
  return ids;
}

/** Checks the current history in Rust and shows the ladder; bad input shows its error. */
function recheck() {
  let report;
  try {
    report = check_history(state.history);
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), true);
    return false;
  }
  state.lastGood = JSON.stringify(state.history);
  const s = report.summary;
  const model = report.ladder.strongest;
  say(
    tr("hp_status", {
      ops: s.ops,
      clients: s.clients,
      keys: s.keys,
      model: model ? tr(/** @type {any} */ (`hp_model_${model}`)) : tr("hp_none"),
    }),
  );
  state.blamed = blamedBy(report);
  drawLadder(ui.ladder, ui.sessions, report.ladder, tr);
  return true;
}

function redraw(/** @type {number | null} */ focusId = null) {
  drawTimeline(ui.timeline, state.history, {
    blamed: state.blamed,
    focusId,
    tr,
    onMove: (id, invokeUs, done) => {
      const op = state.history.operations.find((/** @type {any} */ o) => o.id === id);
      if (!op) return;
      if (op.complete_us != null) op.complete_us += invokeUs - op.invoke_us;
      op.invoke_us = invokeUs;
      if (done) {
        // A move the checker refuses (a client's operations overlapping) is taken back; its
        // error stays on screen.
        if (!recheck()) {
          state.history = JSON.parse(state.lastGood);
          say(tr("hp_moved_back", { error: ui.status.textContent }), true);
        }
        redraw(id);
      } else if (!state.pending) {
        // One check per frame while dragging.
        state.pending = true;
        requestAnimationFrame(() => {
          state.pending = false;
          if (recheck()) markBlamed(ui.timeline, state.blamed);
        });
      }
    },
    onDelete: (id) => {
      state.history.operations = state.history.operations.filter(
        (/** @type {any} */ o) => o.id !== id,
      );
      recheck();
      redraw();
    },
  });
}

function load(/** @type {any} */ history) {
  state.history = {
    version: 1,
    model: "kv",
    operations: history.operations,
    ...(history.final_states ? { final_states: history.final_states } : {}),
  };
  recheck();
  redraw();
}

async function loadFigure(/** @type {string} */ file) {
  const res = await fetch(`./history/figures/${encodeURIComponent(file)}`);
  if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
  const history = await res.json();
  state.figure = state.figures.find((f) => f.file === file) ?? null;
  // The description changes with the history and its ladder, never ahead of them.
  load(history);
  showAbout();
}

/** The loaded figure's description in the page's language. */
function showAbout() {
  const f = state.figure;
  ui.about.textContent = f ? (f.text?.[lang] ?? f).description : "";
}

/** The value field's label: what a put writes or what a get returned. */
function valueLabel() {
  ui.valueLabel.textContent = tr(ui.op.value === "put" ? "hp_value_written" : "hp_value_returned");
}

/** Everything this page writes itself, in `lang`; the header's `data-t` words follow the event. */
function relabel() {
  relabelOwn("hp", tr);
  for (const o of ui.pick.options) {
    const f = state.figures.find((x) => x.file === o.value);
    if (!f) continue;
    const text = f.text?.[lang] ?? f;
    o.textContent = text.title;
    o.title = text.description;
  }
  showAbout();
  valueLabel();
  if (state.history) {
    recheck();
    redraw();
  }
}

function addOperation(/** @type {Event} */ e) {
  e.preventDefault();
  const ops = state.history.operations;
  if (ops.length >= PAGE_OPS_MAX) {
    say(tr("hp_ops_max", { n: PAGE_OPS_MAX }), true);
    return;
  }
  const client = Number(ui.client.value);
  const key = String(ui.key.value);
  const value = String(ui.value.value);
  const kind = ui.op.value;
  const mine = ops.filter((/** @type {any} */ o) => o.client === client);
  const start = Math.max(
    0,
    ...mine.map((/** @type {any} */ o) => (o.complete_us ?? o.invoke_us) + 500),
  );
  const id = Math.max(-1, ...ops.map((/** @type {any} */ o) => o.id)) + 1;
  /** @type {any} */
  const op = {
    id,
    client,
    op: kind,
    key,
    invoke_us: start,
    complete_us: start + ADDED_OP_US,
    outcome: "ok",
  };
  if (kind === "put") op.value = value;
  else op.output = value === "" || value === "nil" ? null : value;
  ops.push(op);
  // Nothing is drawn from an operation the checker refuses: it is taken back.
  if (!recheck()) {
    ops.pop();
    return;
  }
  redraw(id);
}

async function main() {
  relabelOwn("hp", tr);
  langPicker(ui.lang, lang, (l) => {
    lang = l;
    relabel();
  });
  ui.op.addEventListener("change", valueLabel);
  valueLabel();
  ui.add.addEventListener("submit", addOperation);
  await init({ module_or_path: WASM_URL });
  state.figures = await (await fetch("./history/figures/index.json")).json();
  for (const f of state.figures) {
    const o = document.createElement("option");
    o.value = f.file;
    ui.pick.append(o);
  }
  relabel();
  ui.pick.addEventListener("change", () =>
    loadFigure(ui.pick.value).catch((e) => say(String(e), true)),
  );
  await loadFigure(ui.pick.value);
  document.body.dataset.ready = "true";
}

main().catch((e) => say(e instanceof Error ? e.message : String(e), true));
