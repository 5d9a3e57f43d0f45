// The client history: one lane per client, a bar per operation from invoke to completion,
// coloured by outcome (unknown outcomes stay open to the right), with the checker's verdict
// drawn over it: operations that cannot be ordered, and the longest order it found. Each bar
// names the node that served it (a badge at its end, "served by n3" in its tooltip), and
// hovering or focusing it points that node out in the cluster (`onServed`).

import { t } from "../i18n.js";
import { attr, h, keyedList, svg, text } from "./dom.js";
import { formatUs } from "./geom.js";
import { lineText } from "./line.js";
import { wordsText } from "./words.js";

/**
 * @typedef {import("../types.d.ts").History} History
 * @typedef {import("../types.d.ts").HistoryOp} HistoryOp
 * @typedef {import("../types.d.ts").CheckReport} CheckReport
 * @typedef {import("../i18n.js").StringKey} StringKey
 * @typedef {import("../app/labels.js").Tr} Tr
 * @typedef {import("./timeline.js").Marker} Marker
 */

/** English labels, for a view built without the page's `tr`. @type {Tr} */
const EN = (key, vars) => t("en", key, vars);

const LANE_PX = 24;
const AXIS_PX = 18;
const LABEL_PX = 34;
/** The trace markers drawn on the chart: faults (crashes, partitions, …) and leader changes. */
const MARK_KINDS = /** @type {const} */ (["fault", "election"]);
/** Marks drawn at most (the latest in the window). */
const MARKS_DRAWN_MAX = 200;
/** Width of one legend entry (line and label). */
const LEGEND_SLOT_PX = 120;

/**
 * One-line text of an operation, e.g. `put x=1`, `get x → 1`, `cas x 1→2 ✓`.
 * @param {HistoryOp} op
 */
export function describeOp(op) {
  const k = op.key;
  let s;
  if (op.op === "put") s = `put ${k}=${op.value ?? ""}`;
  else if (op.op === "append") s = `append ${k}+=${op.value ?? ""}`;
  else if (op.op === "cas") s = `cas ${k} ${op.expected ?? "∅"}→${op.value ?? ""}`;
  else s = `get ${k}`;
  if (op.outcome === "ok" && op.op === "get") s += ` → ${op.output ?? "∅"}`;
  if (op.outcome === "ok" && op.op === "cas") s += op.output ? " ✓" : " ✗";
  return s;
}

/**
 * Who served an operation, in words: `served by n3`, or for one that has no answer (yet), the
 * node it was last sent to. Empty when the history does not say (histories from elsewhere).
 * @param {HistoryOp} op
 * @param {Tr} [tr] the labels in the page's language (English when absent)
 */
export function servedBy(op, tr = EN) {
  if (op.node === undefined) return "";
  return tr(op.outcome === "ok" ? "hist_served_by" : "hist_last_sent", { node: op.node });
}

/**
 * Builds the history view.
 * @param {{ onOp?: (op: HistoryOp) => void, onServed?: (node: number | null) => void, tr?: Tr }} handlers
 *   onOp: an operation was clicked (or Enter); onServed: the node serving the hovered or
 *   focused operation (null: none any more); tr: the labels in the page's language (English
 *   when absent)
 */
export function createHistoryView(handlers = {}) {
  const tr = handlers.tr ?? EN;
  /** A count in the page's language. @param {number} n */
  const num = (n) => n.toLocaleString(tr("hist_locale"));
  const root = h("div", { class: "history" });
  const verdict = h("p", { class: "verdict", role: "status" });
  const chart = /** @type {SVGSVGElement} */ (svg("svg", { class: "hchart" }));
  const gLanes = svg("g");
  // Faults and leader changes on the same time axis (the world's trace markers).
  const gMarks = svg("g", { class: "hmarks" });
  const legend = svg("g", { class: "hlegend" });
  const gOps = svg("g");
  const order = svg("polyline", { class: "order" });
  const axis = svg("text", { class: "axis" });
  chart.append(gLanes, gMarks, order, gOps, axis, legend);
  // The checker's explanation can run to a paragraph per key: folded under the verdict.
  const whyText = h("p", { class: "why-text" });
  const why = h(
    "details",
    { class: "why", hidden: true },
    h("summary", {}, tr("hist_why")),
    whyText,
  );
  root.append(verdict, why, chart);
  /** @type {Map<number, HistoryOp>} */
  let byId = new Map();
  /** What the chart was last drawn from. */
  /** @type {History | null | undefined} */
  let lastHistory;
  /** @type {CheckReport | null | undefined} */
  let lastReport;
  let lastWidth = 0;
  /** The time axis' end (µs); bars are placed against it. */
  let span = 1;
  let scaleVersion = 0;
  /** @type {WeakMap<Element, string>} */
  const opKeys = new WeakMap();

  const lanes = keyedList(gLanes, () => {
    const g = svg("g", { class: "lane" });
    g.append(svg("line", {}), svg("text", { x: 2 }));
    return g;
  });
  // One listener pair for every operation (delegated): operations come and go as the window
  // slides, and per-element listeners would pile up until garbage collection.
  /** @param {Event} e */
  const fire = (e) => {
    const g = /** @type {Element} */ (e.target).closest?.("[data-op]");
    const cur = g && byId.get(Number(g.getAttribute("data-op")));
    if (cur) handlers.onOp?.(cur);
  };
  gOps.addEventListener("click", fire);
  gOps.addEventListener("keydown", (e) => {
    if (/** @type {KeyboardEvent} */ (e).key === "Enter") fire(e);
  });
  /** The node pointed out last, so moving within one bar does not repeat it. */
  let served = /** @type {number | null} */ (null);
  /** @param {number | null} node */
  const serve = (node) => {
    if (node === served) return;
    served = node;
    handlers.onServed?.(node);
  };
  /** @param {Event} e */
  const point = (e) => {
    const g = /** @type {Element} */ (e.target).closest?.("[data-op]");
    serve(byId.get(Number(g?.getAttribute("data-op")))?.node ?? null);
  };
  gOps.addEventListener("pointerover", point);
  gOps.addEventListener("focusin", point);
  gOps.addEventListener("pointerleave", () => serve(null));
  gOps.addEventListener("focusout", () => serve(null));
  const ops = keyedList(gOps, (/** @type {HistoryOp} */ op) => {
    const g = svg("g", { class: "op", tabindex: 0, role: "button", "data-op": op.id });
    g.append(
      svg("title"),
      svg("rect", { height: LANE_PX - 8, rx: 3 }),
      svg("text", {}),
      svg("text", { class: "srv", "text-anchor": "end" }),
    );
    return g;
  });

  const marks = keyedList(gMarks, () => {
    const g = svg("g", {});
    g.append(svg("title"), svg("line", {}));
    return g;
  });
  legend.append(
    ...MARK_KINDS.flatMap((k, i) => [
      svg("line", { class: `hm-${k}`, x1: 0, x2: 12, y1: 0, y2: 0, "data-i": i }),
      svg("text", { class: "hl-text", "data-kind": k }),
    ]),
  );

  let lastPending = "";
  /** @type {import("../types.d.ts").LiveReport | null | undefined} */
  let lastLive;
  /** The window's start (µs): the chart spans [t0, t0 + span]. */
  let t0 = 0;
  /**
   * Draws a window of the history: only its operations are in the DOM, so the chart's size does
   * not grow with the run.
   * @param {{ operations: HistoryOp[], from_us: number } | null} history the window
   * @param {CheckReport | null} report
   * @param {number} now_us
   * @param {number} width_px
   * @param {{ checked: number, total: number }} [coverage] operations the report covers, of all
   * @param {Map<number, { target: number, attempts: number }>} [pending] per outstanding
   *   operation id, the node of its current attempt and the attempts so far (from the view):
   *   a request redirected or retried elsewhere is drawn as such
   * @param {import("../types.d.ts").LiveReport | null} [live] the live (incremental) verdict,
   *   which covers every settled operation however long the run; shown when the whole check
   *   does not cover the history
   * @param {Marker[]} [markers] the world's trace markers (oldest first): its faults and
   *   leader changes are drawn on the chart's time axis
   */
  function render(history, report, now_us, width_px, coverage, pending, live = null, markers = []) {
    const list = history?.operations ?? [];
    const from = history?.from_us ?? 0;
    const width = Math.max(200, Math.round(width_px));
    let t1 = now_us;
    for (const o of list) t1 = Math.max(t1, o.complete_us ?? o.invoke_us);
    // The chart only changes with the history, the verdict or the width; the time axis grows in
    // steps (a quarter of headroom), so a frame where none of these changed draws nothing.
    let pendingKey = "";
    for (const [id, p] of pending ?? []) pendingKey += `${id}:${p.target}:${p.attempts},`;
    if (
      history === lastHistory &&
      report === lastReport &&
      live === lastLive &&
      width === lastWidth &&
      pendingKey === lastPending &&
      t1 - t0 <= span
    ) {
      return;
    }
    lastPending = pendingKey;
    if (width !== lastWidth || from !== t0 || t1 - from > span || (t1 - from) * 2 < span) {
      t0 = from;
      span = Math.max(1, Math.ceil((t1 - t0) * 1.25));
      scaleVersion++;
    }
    lastHistory = history;
    lastReport = report;
    lastLive = live;
    lastWidth = width;
    byId = new Map(list.map((o) => [o.id, o]));
    const clients = [...new Set(list.map((o) => o.client))].sort((a, b) => a - b);
    const laneOf = new Map(clients.map((c, i) => [c, i]));
    const height = AXIS_PX + Math.max(1, clients.length) * LANE_PX;
    attr(chart, "viewBox", `0 0 ${width} ${height}`);
    attr(chart, "height", height);
    const x = (/** @type {number} */ t) =>
      LABEL_PX + ((width - LABEL_PX - 6) * Math.max(0, t - t0)) / span;
    text(axis, `${t0 ? formatUs(t0) : "0"} … ${formatUs(t0 + span)}`);
    attr(axis, "x", width - 4);
    attr(axis, "y", 12);

    lanes.update(
      clients,
      (c) => c,
      (g, c) => {
        const y = AXIS_PX + (laneOf.get(c) ?? 0) * LANE_PX + LANE_PX / 2;
        const [ln, t] = /** @type {SVGElement[]} */ ([...g.children]);
        attr(ln, "x1", LABEL_PX);
        attr(ln, "x2", width);
        attr(ln, "y1", y);
        attr(ln, "y2", y);
        attr(t, "y", y + 4);
        text(t, `c${c}`);
      },
    );

    drawMarks(markers, x, height);

    // The checker's evidence: per key that is not linearizable, the longest order it found
    // and the operations that cannot come next (plus the one whose deadline passed).
    const lin = report?.linearizability;
    const explained = (lin?.partitions ?? [])
      .filter((p) => p.verdict === "violated" && p.explanation)
      .map((p) => /** @type {import("../types.d.ts").Explanation} */ (p.explanation));
    /** @type {Set<number>} */
    const bad = new Set();
    for (const e of explained) {
      for (const st of e.stuck) bad.add(st.id);
      if (e.deadline_op !== null) bad.add(e.deadline_op);
    }
    const total = coverage?.total ?? list.length;
    const checked = coverage?.checked ?? total;
    // The live verdict speaks when the whole check does not cover every operation.
    const useLive = !!live && !!total && (!report || !lin || checked < total);
    if (useLive && live.verdict === "violated")
      for (const p of live.partitions) for (const id of p.violated_ops) bad.add(id);
    ops.update(
      list,
      (o) => o.id,
      (g, o) => {
        const lane = laneOf.get(o.client) ?? 0;
        const isBad = bad.has(o.id);
        const at = o.outcome === "unknown" ? pending?.get(o.id) : undefined;
        // Finished operations do not move until the scale changes: skip them.
        const key = `${scaleVersion}|${lane}|${o.outcome}|${o.complete_us ?? t1}|${isBad}|${at?.target}:${at?.attempts}|${o.node}`;
        if (opKeys.get(g) === key) return;
        opKeys.set(g, key);
        const y = AXIS_PX + lane * LANE_PX + 4;
        const x0 = x(o.invoke_us);
        const x1 = o.complete_us === null ? x(t1) : x(o.complete_us);
        const [title, rect, label, badge] = /** @type {SVGElement[]} */ ([...g.children]);
        attr(rect, "x", x0.toFixed(1));
        attr(rect, "y", y);
        attr(rect, "width", Math.max(3, x1 - x0).toFixed(1));
        const retried = !!at && at.attempts > 1;
        attr(g, "class", `op o-${o.outcome}${isBad ? " bad" : ""}${retried ? " retried" : ""}`);
        // An outstanding request says where it is now: a retry or redirect is not a success
        // at the node first asked.
        const desc = `${describeOp(o)}${at ? ` → n${at.target}${retried ? tr("hist_retry", { n: at.attempts }) : ""}` : ""}`;
        // The serving node as a badge at the bar's end (where the answer came from), where
        // it fits; labels only where they fit beside it, so lanes stay readable when dense.
        const node = at ? at.target : o.node;
        const badgeText = node === undefined ? "" : `n${node}`;
        const badgeFits = badgeText && x1 - x0 >= 22;
        text(badge, badgeFits ? badgeText : "");
        attr(badge, "x", (x1 - 3).toFixed(1));
        attr(badge, "y", y + 12);
        const room = x1 - x0 - (badgeFits ? 22 : 0);
        text(label, room > desc.length * 6 + 6 ? desc : "");
        attr(label, "x", x0 + 4);
        attr(label, "y", y + 12);
        const who = servedBy(o, tr);
        const full = tr("hist_op_full", {
          client: o.client,
          id: o.id,
          desc,
          outcome: tr(/** @type {StringKey} */ (`hist_outcome_${o.outcome}`)),
          who: who ? tr("hist_comma", { text: who }) : "",
          at: formatUs(o.invoke_us),
        });
        attr(g, "aria-label", tr("hist_jump", { full }));
        text(title, full);
      },
    );

    const chain = (explained[0]?.longest ?? []).map((p) => byId.get(p.id)).filter((o) => !!o);
    attr(
      order,
      "points",
      chain
        .map((o) => {
          const end = o.complete_us ?? t1;
          const cx = x((o.invoke_us + end) / 2);
          const cy = AXIS_PX + (laneOf.get(o.client) ?? 0) * LANE_PX + LANE_PX / 2;
          return `${cx.toFixed(1)},${cy}`;
        })
        .join(" "),
    );

    let v = tr("hist_empty");
    let state = "none";
    let whyMsg = "";
    if (useLive) {
      const keys = live.partitions.length;
      if (live.verdict === "ok") {
        v = tr("hist_live_ok", {
          covered: num(live.ops_covered),
          keys,
          at: formatUs(live.covered_through_us),
          open: num(live.ops_open),
          pending: num(live.ops_pending),
        });
        state = live.ops_covered ? "ok" : "none";
      } else if (live.verdict === "violated") {
        const bads = live.partitions.filter((p) => p.verdict === "violated");
        v = tr("hist_live_bad", {
          keys: bads.map((p) => p.name).join(", "),
          ids: bads.flatMap((p) => p.violated_ops.map((i) => `#${i}`)).join(", "),
        });
        state = "bad";
      } else {
        whyMsg = live.partitions
          .filter((p) => p.verdict === "unknown")
          .map((p) => tr("hist_key_text", { key: p.name, text: p.reason ?? "" }))
          .join("\n\n");
        v = tr("hist_live_undecided");
      }
    } else if (total && report && lin) {
      // Replicas behind the others (partitioned, paused, slow) are not compared yet.
      const conv = report.convergence;
      const word = (/** @type {string} */ verdict) =>
        tr(/** @type {StringKey} */ (`hist_verdict_${verdict}`));
      const others = tr("hist_others", {
        seq: word(report.sequential.verdict),
        sess: word(report.sessions.verdict),
        conv: conv.settled ? word(conv.verdict) : tr("hist_not_settled"),
      });
      if (lin.verdict === "ok" && checked < total) {
        // Never green over operations the verdict has not seen.
        v = tr("hist_stale", {
          checked: num(checked),
          total: num(total),
          newer: num(total - checked),
          others,
        });
        state = "stale";
      } else if (lin.verdict === "ok" && report.summary.ops_ok === 0) {
        v = tr("hist_none_completed", {
          unknown: report.summary.ops_unknown,
          failed: report.summary.ops_failed,
          others,
        });
        state = "none";
      } else if (lin.verdict === "ok") {
        v = tr("hist_ok", {
          ok: report.summary.ops_ok,
          unknown: report.summary.ops_unknown,
          failed: report.summary.ops_failed,
          checked: num(checked),
          total: num(total),
          others,
        });
        state = "ok";
      } else if (lin.verdict === "violated") {
        const ids = [...bad].map((i) => `#${i}`).join(", ");
        whyMsg = explained
          // The plain words; the longest order the search found is drawn on the chart.
          .map((e) => {
            const why = e.plain_words ? wordsText(e.plain_words, tr) : e.plain;
            return e.partition ? tr("hist_key_text", { key: e.partition, text: why }) : why;
          })
          .join("\n\n");
        const keys = explained.map((e) => e.partition).join(", ");
        v = tr("hist_bad", { keys, ids: ids ? tr("hist_bad_ids", { ids }) : "", others });
        state = "bad";
      } else {
        whyMsg = lin.partitions
          .filter((p) => p.verdict === "unknown")
          .map((p) => tr("hist_key_text", { key: p.name, text: p.reason ?? "" }))
          .join("\n\n");
        v = tr("hist_undecided", { others });
      }
    } else if (total) {
      v = tr("hist_unchecked", { total: num(total) });
    }
    if (state === "bad" && checked < total && !useLive)
      v += tr("hist_checked_of", { checked: num(checked), total: num(total) });
    // What the live check covers, also beside a whole check that covers everything.
    if (live && !useLive && total)
      v += ` ${tr("hist_live_covers", { covered: num(live.ops_covered), at: formatUs(live.covered_through_us), verdict: tr(/** @type {StringKey} */ (`hist_verdict_${live.verdict}`)) })}`;
    text(verdict, v.trim());
    text(whyText, whyMsg);
    why.hidden = !whyMsg;
    attr(verdict, "class", `verdict v-${state}`);
  }

  /** The language changed: the next render writes every label again. */
  /**
   * The faults and leader changes within the window, each a vertical line with the trace
   * line as its tooltip (the latest MARKS_DRAWN_MAX), and a legend when there are any.
   * @param {Marker[]} markers @param {(t: number) => number} x @param {number} height
   */
  function drawMarks(markers, x, height) {
    const shown = [];
    for (let i = markers.length - 1; i >= 0 && shown.length < MARKS_DRAWN_MAX; i--) {
      const m = markers[i];
      if (m.at_us < t0) break;
      if (m.at_us <= t0 + span && MARK_KINDS.includes(/** @type {any} */ (m.kind))) shown.push(m);
    }
    marks.update(
      shown,
      (m) => m.id,
      (g, m) => {
        const [title, ln] = /** @type {SVGElement[]} */ ([...g.children]);
        const px = x(m.at_us).toFixed(1);
        attr(g, "class", `hmark hm-${m.kind}`);
        attr(ln, "x1", px);
        attr(ln, "x2", px);
        attr(ln, "y1", AXIS_PX - 2);
        attr(ln, "y2", height);
        text(
          title,
          `${formatUs(m.at_us)} ${tr(/** @type {any} */ (`hist_mark_${m.kind}`), { text: lineText(m, tr) })}`,
        );
      },
    );
    legend.style.display = shown.length ? "" : "none";
    // Fixed slots: a label's width is not known before it is drawn.
    for (const el of legend.children) {
      const i = MARK_KINDS.indexOf(/** @type {any} */ (el.getAttribute("data-kind")));
      const slot = LABEL_PX + LEGEND_SLOT_PX * (i < 0 ? Number(el.getAttribute("data-i")) : i);
      if (el.tagName === "line") {
        attr(el, "transform", `translate(${slot} 8)`);
      } else {
        text(el, tr(/** @type {any} */ (`hist_legend_${MARK_KINDS[i]}`)));
        attr(el, "x", slot + 16);
        attr(el, "y", 12);
      }
    }
  }

  function relabel() {
    text(why.querySelector("summary"), tr("hist_why"));
    lastReport = undefined;
    lastLive = undefined;
  }

  return { el: root, render, relabel };
}
