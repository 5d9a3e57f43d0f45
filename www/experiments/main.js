// The experiments page: pick or edit a spec, run it on a pool of Web Workers (pool.js) with
// the lab module (crates/wasm-lab), draw the charts as records arrive (plots.js), export
// them as the CLI would (records.js), and open any point's trial in the playground.
import init, { Experiment } from "../web/pkg-lab/raftlab_wasm_lab.js";
import { availabilityCharts, electionCharts } from "./plots.js";
import { startRun } from "./pool.js";
import { inRecordOrder, percentile, summarize, toCsv, toJson } from "./records.js";
import { loadArc, seriesFor } from "./reference.js";

/** The most trials the page runs at once: it keeps every record (a few hundred bytes each)
 * for the charts and the exports. Larger batches are for `raftlab experiment`. */
const PAGE_TRIALS_MAX = 1_000_000;
/** The shortest time between two redraws while records arrive, ms. */
const REDRAW_MS_MIN = 200;
/** And at least this many times the last redraw's own time: drawing takes the main thread
 * from the workers (on a 2-core machine, from one of them) only a small share. */
const REDRAW_COST_FACTOR = 8;
const WASM_URL = new URL("../web/pkg-lab/raftlab_wasm_lab_bg.wasm", import.meta.url);

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const ui = {
  pick: $("spec-pick"),
  about: $("spec-about"),
  text: $("spec-text"),
  trials: $("trials"),
  run: $("run"),
  cancel: $("cancel"),
  progress: $("progress"),
  status: $("status"),
  log: $("log"),
  logBox: $("log-box"),
  csv: $("export-csv"),
  json: $("export-json"),
  charts: $("charts"),
  summary: $("summary"),
};

/** The page's state: the current run's experiment, ranges, records and charts. */
const state = {
  /** @type {Experiment | null} */ experiment: null,
  /** @type {any} */ spec: null,
  /** @type {{ label: string, group: string, paper: any,
   *   reference: import("./reference.js").ReferenceSeries | null }[]} */ ranges: [],
  /** The published simulator reproduction of Figure 16, drawn beside election-time runs on
   * its network preset (null until loaded, or if it cannot be). */
  /** @type {import("./reference.js").Reference | null} */ arc: null,
  /** @type {any[]} */ records: [],
  /** @type {import("./plots.js").ChartSet | null} */ charts: null,
  /** @type {{ cancel: () => void } | null} */ run: null,
  redrawAt: 0,
  redrawCostMs: 0,
  redrawPending: false,
};

/** Compiles the lab module once; the main thread and every worker instantiate it. Streamed,
 * so that the browser may cache the optimized code for the next visit (a first run pays for
 * V8 optimizing the hot code while the workers run). */
const compiled = (async () => {
  const res = await fetch(WASM_URL);
  if (!res.ok) throw new Error(`${WASM_URL.pathname}: HTTP ${res.status}`);
  if (WebAssembly.compileStreaming && res.headers.get("content-type") === "application/wasm")
    return WebAssembly.compileStreaming(res);
  return WebAssembly.compile(await res.arrayBuffer());
})();
const ready = compiled.then((module) => init({ module_or_path: module }));
/** The reproduction's data, loaded once; a run waits for it (null if it cannot be loaded). */
const arcLoaded = loadArc();

function say(/** @type {string} */ text, error = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", error);
}

// ---- the spec ----

async function loadIndex() {
  const list = await (await fetch("./experiments/specs/index.json")).json();
  for (const s of list) {
    const o = document.createElement("option");
    o.value = s.file;
    o.textContent = s.name;
    o.title = s.description;
    ui.pick.append(o);
  }
  await loadSpec(ui.pick.value);
}

async function loadSpec(/** @type {string} */ file) {
  const text = await (await fetch(`./experiments/specs/${encodeURIComponent(file)}`)).text();
  ui.text.value = text;
  ui.about.textContent = JSON.parse(text).description ?? "";
}

/** The editor's spec with the trials field applied, as JSON text (the runner checks it). */
function specText() {
  let spec;
  try {
    spec = JSON.parse(ui.text.value);
  } catch (e) {
    throw new Error(`spec: not JSON: ${e instanceof Error ? e.message : e}`);
  }
  const n = ui.trials.value.trim();
  if (n !== "" && spec && typeof spec === "object" && Array.isArray(spec.ranges)) {
    const trials = Number(n);
    spec.trials = trials;
    for (const r of spec.ranges) if (r && typeof r === "object") r.trials = trials;
  }
  return JSON.stringify(spec);
}

// ---- a run ----

async function run() {
  if (state.run) return;
  let text;
  let experiment;
  try {
    await ready;
    state.arc = await arcLoaded;
    text = specText();
    experiment = new Experiment(text);
    if (experiment.trials_total() > PAGE_TRIALS_MAX) {
      const n = experiment.trials_total();
      experiment.free();
      throw new Error(
        `spec: ${n} trials; the page runs at most ${PAGE_TRIALS_MAX} (use raftlab experiment for more)`,
      );
    }
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), true);
    return;
  }
  state.experiment?.free();
  state.experiment = experiment;
  state.spec = experiment.spec();
  const labels = experiment.labels();
  // The reproduction ran Figure 16's set-up: shown for election time on its network only.
  const figure16 = state.spec.measurement === "election_time" && state.spec.network === "figure16";
  const arc = figure16 ? state.arc : null;
  const arcMissing =
    figure16 && !arc
      ? " The ARC reproduction's data (experiments/reference/howard-arc-2014.json) did not load: it is not drawn."
      : "";
  state.ranges = state.spec.ranges.map((/** @type {any} */ r, /** @type {number} */ i) => ({
    label: labels[i],
    group: r.group,
    paper: r.paper,
    reference: seriesFor(arc, r.timeout_ms_min, r.timeout_ms_max),
  }));
  state.records = [];
  makeCharts();
  const total = experiment.trials_total();
  ui.progress.max = total;
  ui.progress.value = 0;
  setRunning(true);
  const started = performance.now();
  const module = await compiled;
  let failed = "";
  let workerMs = 0;
  const rangeTrials = state.spec.ranges.map((/** @type {any} */ r) => r.trials);
  const r = startRun(module, text, rangeTrials, {
    onRecords: (_first, records, ms) => {
      workerMs += ms;
      for (const rec of records) state.records.push(rec);
      ui.progress.value = state.records.length;
      say(`${state.records.length} of ${total} trials…`);
      scheduleRedraw();
    },
    onError: (message) => {
      failed = message;
    },
  });
  state.run = r;
  const how = await r.done;
  state.run = null;
  setRunning(false);
  redraw();
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  const busy = (workerMs / 1000).toFixed(2);
  if (how === "done")
    say(
      `${total} trials in ${secs} s on ${r.workers} workers (${busy} s of trials in the workers).${arcMissing}`,
    );
  else if (how === "cancelled")
    say(`Cancelled after ${state.records.length} of ${total} trials (${secs} s).`);
  else say(`Stopped: ${failed}`, true);
  document.body.dataset.run = how; // for tests and scripts: the last run's end
}

function setRunning(/** @type {boolean} */ on) {
  ui.run.disabled = on;
  ui.cancel.disabled = !on;
  ui.pick.disabled = on;
  ui.csv.disabled = on || state.records.length === 0;
  ui.json.disabled = on || state.records.length === 0;
  document.body.dataset.running = String(on);
}

function makeCharts() {
  state.charts?.destroy();
  const election = state.spec.measurement === "election_time";
  ui.logBox.hidden = !election;
  state.charts = election
    ? electionCharts(ui.charts, state.ranges, {
        log: ui.log.checked,
        onPick: openTrial,
        reference: state.ranges.some((r) => r.reference) ? state.arc : null,
      })
    : availabilityCharts(ui.charts, state.ranges, state.spec.sweep ?? null, { onPick: openTrial });
  redraw();
}

function scheduleRedraw() {
  if (state.redrawPending) return;
  state.redrawPending = true;
  const gap = Math.max(REDRAW_MS_MIN, REDRAW_COST_FACTOR * state.redrawCostMs);
  const wait = Math.max(0, state.redrawAt + gap - performance.now());
  setTimeout(() => requestAnimationFrame(redraw), wait);
}

function redraw() {
  state.redrawPending = false;
  const t = performance.now();
  state.charts?.update(state.records);
  drawSummary();
  state.redrawAt = performance.now();
  state.redrawCostMs = state.redrawAt - t;
}

/** Milliseconds with one decimal (truncated, as the CLI's table) from µs, or a dash. */
const ms = (/** @type {number | null} */ us) =>
  us == null ? "–" : `${Math.floor(us / 1000)}.${Math.floor((us % 1000) / 100)}`;
/** Percent with one decimal (truncated, as the CLI's table) from ppm, or a dash. */
const pct = (/** @type {number | null} */ ppm) =>
  ppm == null ? "–" : `${Math.floor(ppm / 10_000)}.${Math.floor((ppm % 10_000) / 1000)} %`;

/** Ours over theirs (µs over ms), truncated to two decimals as the CLI's table, or empty. */
const ratio = (/** @type {number | null} */ oursUs, /** @type {number | undefined} */ theirsMs) =>
  oursUs == null || theirsMs == null
    ? ""
    : `${(Math.floor((oursUs * 100) / (theirsMs * 1000)) / 100).toFixed(2)}×`;

/** A reproduction's median with its interval, or empty without one. */
const arcMedian = (/** @type {import("./reference.js").ReferenceSeries | null} */ s) =>
  s ? `${s.cdf_ms["50"]} (${s.median_ci95_ms.join("–")})` : "";

function drawSummary() {
  const m = state.spec?.measurement;
  if (!m) return;
  const sums = summarize(m, state.ranges, state.records);
  const rows = [];
  if (m === "election_time") {
    rows.push([
      "group",
      "range ms",
      "trials",
      "median",
      "mean",
      "p99",
      "max",
      "paper",
      "ours / paper",
      "ARC median (95 % CI)",
      "ours / ARC",
    ]);
    for (const s of sums) {
      const p = state.ranges[s.range].paper ?? {};
      const theirs = [
        ["median", p.median_ms, s.p50],
        ["mean", p.mean_ms, s.mean],
        ["max", p.max_ms, s.max],
      ].filter(([, t]) => t != null);
      rows.push([
        s.group,
        s.label,
        String(s.trials),
        ms(s.p50),
        ms(s.mean),
        ms(s.p99),
        ms(s.max),
        theirs.map(([n, t]) => `${n} ${t}`).join(", "),
        theirs.map(([, t, o]) => (o == null ? "–" : ratio(o, Number(t)))).join(", "),
        arcMedian(state.ranges[s.range].reference),
        ratio(s.p50, state.ranges[s.range].reference?.cdf_ms["50"]),
      ]);
    }
  } else {
    rows.push([
      "group",
      "point",
      "trials",
      "ok mean",
      "ok worst",
      "p99 latency (median) ms",
      "max latency ms",
    ]);
    sums.forEach((s) => {
      const mine = state.records.filter((r) => r.range === s.range);
      const p99 = mine
        .map((r) => r.latency_us_p99)
        .filter((v) => v != null)
        .sort((a, b) => a - b);
      const max = mine.reduce((a, r) => Math.max(a, r.latency_us_max ?? 0), 0);
      const mean = mine.length
        ? Math.floor(mine.reduce((a, r) => a + (r.ok_ppm ?? 0), 0) / mine.length)
        : null;
      rows.push([
        s.group,
        s.label,
        String(s.trials),
        pct(mean),
        pct(s.min),
        ms(percentile(p99, 50)),
        ms(mine.length ? max : null),
      ]);
    });
  }
  ui.summary.replaceChildren(
    ...rows.map((cells, i) => {
      const tr = document.createElement("tr");
      for (const [k, c] of cells.entries()) {
        const td = document.createElement(i === 0 ? "th" : "td");
        td.textContent = c;
        if (k < 2 || k === 7 || k === 9) td.className = "text";
        tr.append(td);
      }
      return tr;
    }),
  );
}

// ---- exports and replay ----

function download(
  /** @type {string} */ name,
  /** @type {string} */ type,
  /** @type {string} */ body,
) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([body], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function exportCsv() {
  download(
    `${state.spec.name || "experiment"}.csv`,
    "text/csv",
    toCsv(inRecordOrder(state.records)),
  );
}

function exportJson() {
  const body = toJson(state.spec, state.ranges, inRecordOrder(state.records));
  download(`${state.spec.name || "experiment"}.json`, "application/json", JSON.stringify(body));
}

/**
 * Opens a trial in the playground (a share link: its scenario and the moment to show): at
 * the crash for election time, at the first failed operation (or the window start) for
 * availability. The playground's bundle is loaded only now, for its share-link encoder.
 * @param {any} rec
 */
async function openTrial(rec) {
  if (!state.experiment) return;
  try {
    const scenario = state.experiment.scenario(rec.range, rec.trial);
    const t_us = state.spec.measurement === "election_time" ? rec.crash_us : rec.moment_us;
    const { encodeShare } = await import("../web/src/index.js");
    const url = `index.html#s=${await encodeShare({ ...scenario, t_us })}`;
    const what = `${rec.label} trial ${rec.trial} (seed ${rec.seed})`;
    window.open(url, "_blank");
    ui.status.replaceChildren(`Opened ${what} in the playground: `);
    const a = document.createElement("a");
    a.href = url;
    a.target = "_blank";
    a.textContent = "link";
    ui.status.append(a, ".");
  } catch (e) {
    say(`could not open the trial: ${e instanceof Error ? e.message : e}`, true);
  }
}

// ---- wiring ----

ui.run.addEventListener("click", run);
ui.cancel.addEventListener("click", () => state.run?.cancel());
ui.pick.addEventListener("change", () => loadSpec(ui.pick.value));
ui.log.addEventListener("change", () => state.spec && makeCharts());
ui.csv.addEventListener("click", exportCsv);
ui.json.addEventListener("click", exportJson);
addEventListener("resize", () => state.spec && !state.run && makeCharts());
loadIndex()
  .then(() => {
    document.body.dataset.ready = "true";
  })
  .catch((e) => say(`could not load the ready specs: ${e instanceof Error ? e.message : e}`, true));
