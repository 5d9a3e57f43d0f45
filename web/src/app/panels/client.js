// The client panel: the operation form, the workload, and the history with the checker's
// verdict. The history and the check are fetched in idle time, never inside a frame.

import { h, text } from "../../render/dom.js";
import { formatUs } from "../../render/geom.js";
import { createHistoryView, describeOp, servedBy } from "../../render/history.js";
import { OP_KINDS } from "../../vocab.js";
import { historySignature } from "../derive.js";
import { btn } from "./popover.js";

/** Real-time spacing of history refreshes and automatic checks. */
const HISTORY_REFRESH_MS = 250;
const CHECK_REFRESH_MS = 1000;
/** Histories up to this size get every checker (with explanations) in idle time whenever they
 * grow; above it only on request (the search can take long). The live linearizability verdict
 * (`check_incremental`, cost about the new operations) runs at every size and says what it
 * covers. */
export const AUTO_CHECK_OPS_MAX = 2000;
/** The history chart draws the latest this many operations: its DOM stays bounded however
 * long the run (the whole history when it is shorter); the verdict covers them all. */
export const HISTORY_DRAWN_MAX = 300;

/**
 * Runs `fn` when the page is idle (soon anyway); returns a non-zero id.
 * @param {() => void} fn
 */
export function idle(fn) {
  return typeof requestIdleCallback === "function"
    ? requestIdleCallback(fn, { timeout: 500 })
    : Number(setTimeout(fn, 50)) || 1;
}

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ active: () => boolean, width: () => number, destroyed: () => boolean,
 *   markers: () => import("../../render/timeline.js").Marker[] }} deps
 *   markers: the world's trace markers, whose faults and leader changes the history draws
 *   active: the panel is in the page and open
 */
export function createClientPanel(ctx, deps) {
  const { id, tr, labels } = ctx;
  const cOp = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-op` },
      ...OP_KINDS.map((o) =>
        labels.bind(
          h("option", { value: o }),
          /** @type {import("../../i18n.js").StringKey} */ (`op_${o}`),
        ),
      ),
    )
  );
  const cKey = /** @type {HTMLInputElement} */ (
    h("input", { id: `${id}-key`, value: "x", size: 4 })
  );
  const cVal = /** @type {HTMLInputElement} */ (
    h("input", { id: `${id}-val`, value: "1", size: 4 })
  );
  const cExp = /** @type {HTMLInputElement} */ (
    labels.bind(h("input", { id: `${id}-exp`, size: 4 }), "client_absent", "placeholder")
  );
  const cTarget = /** @type {HTMLSelectElement} */ (h("select", { id: `${id}-target` }));
  const cClient = /** @type {HTMLSelectElement} */ (h("select", { id: `${id}-client` }));
  const sendBtn = btn("", () => {
    const v = ctx.ui.view;
    if (!v) return;
    const op = /** @type {"put" | "get" | "append" | "cas"} */ (cOp.value);
    // "Any idle": the first client with nothing outstanding (else the first; it queues).
    const client = cClient.value
      ? Number(cClient.value)
      : (v.clients.find((c) => !c.pending && !c.queued) ?? v.clients[0])?.id;
    if (client === undefined) {
      ctx.say(tr("client_none"));
      return;
    }
    const node = cTarget.value ? Number(cTarget.value) : null;
    const key = cKey.value;
    const value = cVal.value;
    /** @type {import("../../types.d.ts").Action} */
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
    ctx.apply(a);
  });
  const wlRate = /** @type {HTMLInputElement} */ (
    h("input", { type: "range", min: 0, max: 20, value: 0, id: `${id}-wl` })
  );
  const wlOut = h("output", { for: `${id}-wl` });
  const wlKeys = /** @type {HTMLSelectElement} */ (
    h("select", { id: `${id}-wlk` }, ...[1, 2, 3, 5].map((k) => h("option", {}, String(k))))
  );
  const setWorkload = () => {
    const rate = Number(wlRate.value);
    showRate(rate);
    ctx.apply(
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
  const checkBtn = btn("", () => {
    historyDirty = true;
    refresh(performance.now(), true);
  });
  const historyView = createHistoryView({
    tr,
    onOp: (op) => {
      ctx.setPlaying(false);
      ctx.seek(op.invoke_us);
      const who = servedBy(op, tr);
      ctx.say(
        tr("client_op_invoked", {
          op: `c${op.client} #${op.id} ${describeOp(op)}`,
          at: formatUs(op.invoke_us),
        }) + (who ? `, ${who}` : ""),
      );
    },
    // The serving node is pointed out in the cluster while its operation is hovered.
    onServed: (node) => {
      ctx.ui.served = node;
      ctx.invalidate();
    },
  });
  /** A label and its control, kept together when the row wraps. @param {string} label @param {HTMLElement[]} els */
  const pair = (/** @type {import("../../i18n.js").StringKey} */ label, ...els) =>
    h("span", { class: "pair" }, labels.bind(h("label", { for: els[0].id }), label), ...els);
  labels.bind(sendBtn, "client_send");
  labels.bind(checkBtn, "client_check");
  /** The workload rate shown (ops/s per client, 0: off). */
  let rateShown = 0;
  const showRate = (/** @type {number} */ rate) => {
    rateShown = rate;
    text(wlOut, rate ? tr("client_rate", { rate }) : tr("client_off"));
  };
  showRate(0);
  labels.onChange(() => {
    showRate(rateShown);
    optionsKey = "";
    historyView.relabel();
  });
  const el = h(
    "div",
    {},
    h(
      "div",
      { class: "form-row" },
      pair("client_op", cOp),
      pair("client_key", cKey),
      pair("client_value", cVal),
      pair("client_expected", cExp),
      pair("client_to", cTarget),
      pair("client_client", cClient),
      sendBtn,
    ),
    h(
      "div",
      { class: "form-row" },
      pair("client_workload", wlRate, wlOut),
      pair("client_keys", wlKeys),
      checkBtn,
    ),
    historyView.el,
  );

  /** The window drawn: its operations and where it starts. */
  /** @type {{ operations: import("../../types.d.ts").HistoryOp[], from_us: number } | null} */
  let history = null;
  /** Operations in the whole history at the last fetch. */
  let totalOps = 0;
  /** @type {import("../../types.d.ts").CheckReport | null} */
  let report = null;
  /** Operations in the history the shown report was computed over. */
  let checkedOps = 0;
  /** The live verdict. @type {import("../../types.d.ts").LiveReport | null} */
  let live = null;
  let liveDirty = true;
  let historyDirty = true;
  let checkDirty = true;
  let lastHistoryMs = 0;
  let lastCheckMs = 0;
  let lastLiveMs = 0;
  let historySig = "";
  let historyIdle = 0;
  let optionsKey = "";

  /** @param {import("../../types.d.ts").WorldView} v */
  function refreshOptions(v) {
    const key = `${v.nodes.length}|${v.clients.length}`;
    if (key === optionsKey) return;
    optionsKey = key;
    const target = cTarget.value;
    const client = cClient.value;
    cTarget.replaceChildren(
      h("option", { value: "" }, tr("client_the_leader")),
      ...v.nodes.map((n) => h("option", { value: n.id }, tr("client_node", { n: n.id }))),
    );
    cClient.replaceChildren(
      h("option", { value: "" }, tr("client_any_idle")),
      ...v.clients.map((c) => h("option", { value: c.id }, tr("client_n", { n: c.id }))),
    );
    // A relabel keeps the choices made (a new world with fewer nodes may not have them).
    cTarget.value = target;
    if (cTarget.selectedIndex < 0) cTarget.value = "";
    cClient.value = client;
    if (cClient.selectedIndex < 0) cClient.value = "";
  }

  /** @param {number} nowMs @param {boolean} [force] */
  function refresh(nowMs, force = false) {
    if (!force && !deps.active()) return;
    if (historyDirty && (force || nowMs - lastHistoryMs > HISTORY_REFRESH_MS)) {
      lastHistoryMs = nowMs;
      historyDirty = false;
      try {
        const win = ctx.ctrl.historyWindow(0, HISTORY_DRAWN_MAX);
        // The chart starts at 0 while it holds the whole history, else at its first operation.
        const whole = win.operations.length === win.operations_total;
        const from_us = whole ? 0 : (win.operations[0]?.invoke_us ?? 0);
        history = { operations: win.operations, from_us };
        checkDirty = true;
        liveDirty = true;
        totalOps = win.operations_total;
      } catch (e) {
        ctx.fail(e);
      }
      ctx.invalidate();
    }
    const n = totalOps;
    if (liveDirty && n && (force || nowMs - lastLiveMs > CHECK_REFRESH_MS)) {
      lastLiveMs = nowMs;
      liveDirty = false;
      try {
        live = ctx.ctrl.checkIncremental();
      } catch (e) {
        ctx.fail(e);
      }
      ctx.invalidate();
    }
    if (
      checkDirty &&
      n &&
      (force || (n <= AUTO_CHECK_OPS_MAX && nowMs - lastCheckMs > CHECK_REFRESH_MS))
    ) {
      lastCheckMs = nowMs;
      checkDirty = false;
      try {
        report = ctx.ctrl.check();
        checkedOps = n;
        if (n > AUTO_CHECK_OPS_MAX)
          ctx.say(tr("client_checked_all", { n: n.toLocaleString("en") }));
      } catch (e) {
        ctx.fail(e);
      }
      ctx.invalidate();
    }
  }

  return {
    el,
    /** A new world or a jump in time: nothing fetched is current. */
    reset() {
      history = null;
      report = null;
      live = null;
      liveDirty = true;
      checkedOps = 0;
      totalOps = 0;
      historyDirty = checkDirty = true;
      optionsKey = "";
    },
    /** Something that may change the history happened (an action). */
    touch() {
      historyDirty = true;
    },
    /** @param {import("../../types.d.ts").WorldView} v */
    sync(v) {
      refreshOptions(v);
      /** @type {Map<number, { target: number, attempts: number }>} */
      const pending = new Map();
      for (const c of v.clients)
        if (c.pending)
          pending.set(c.pending.op, { target: c.pending.target, attempts: c.pending.attempts });
      historyView.render(
        history,
        report,
        v.now_us,
        deps.width(),
        { checked: checkedOps, total: totalOps },
        pending,
        live,
        deps.markers(),
      );
    },
    /** Per frame, after the view: schedules the history fetch and the check in idle time. */
    idleWork() {
      const v = ctx.ui.view;
      if (v) {
        const sig = historySignature(v);
        if (sig !== historySig) {
          historySig = sig;
          historyDirty = true;
        }
      }
      if (historyIdle || !deps.active()) return;
      const nowMs = performance.now();
      const n = totalOps;
      const historyDue = historyDirty && nowMs - lastHistoryMs > HISTORY_REFRESH_MS;
      const checkDue =
        n > 0 &&
        ((checkDirty && n <= AUTO_CHECK_OPS_MAX && nowMs - lastCheckMs > CHECK_REFRESH_MS) ||
          (liveDirty && nowMs - lastLiveMs > CHECK_REFRESH_MS));
      if (!historyDue && !checkDue) return;
      historyIdle = idle(() => {
        historyIdle = 0;
        if (!deps.destroyed()) refresh(performance.now());
      });
    },
    /** Fills the workload controls from the world's config. @param {import("../../types.d.ts").SimConfig} c */
    fill(c) {
      wlRate.value = String(c.workload.enabled ? Math.min(20, c.workload.rate_ops_per_s) : 0);
      showRate(c.workload.enabled ? c.workload.rate_ops_per_s : 0);
    },
    /** The element the history's width is measured on. */
    historyEl: historyView.el,
  };
}
