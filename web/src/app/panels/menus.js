// The node, message and link menus: each reads what it shows through the controller and offers
// actions that are forwarded as intents. A message menu opens with time paused (or the message
// would arrive before the user can act on it) and resumes it on close.

import { placeOf, shownMembership } from "../../render/cluster/membership.js";
import { nodeStatus } from "../../render/cluster.js";
import { h } from "../../render/dom.js";
import { formatUs } from "../../render/geom.js";
import { byzantineRow } from "./byzantine_menu.js";
import { createMembership } from "./membership.js";
import { btn } from "./popover.js";

/**
 * @typedef {import("../../types.d.ts").Action} Action
 * @typedef {import("../../types.d.ts").MessageInfo} MessageInfo
 * @typedef {import("../context.js").Ctx} Ctx
 */

/** @param {Ctx} ctx */
export function createMenus(ctx) {
  const { id, pop, tr } = ctx;
  const membership = createMembership(ctx);
  /** A button applying an action, then closing the popover. @param {string} label @param {() => Action} make */
  const act = (label, make) =>
    btn(label, () => {
      ctx.apply(make());
      pop.close();
    });

  /** @param {number} n @param {DOMRect} at */
  function node(n, at) {
    const v = ctx.ui.view;
    const info = v?.nodes.find((x) => x.id === n);
    if (!v || !info) return;
    const drift = /** @type {HTMLInputElement} */ (
      h("input", { type: "number", step: 100, value: info.drift_ppm, id: `${id}-drift` })
    );
    // Frames fetch views without the state machines: fetch this node's once, for the menu.
    const kv = ctx.ctrl.kv(n);
    const state = nodeStatus(info);
    const leader = v.leader ?? null;
    /** @type {HTMLElement[]} */
    const row1 = [
      info.crashed
        ? act(tr("menu_restart"), () => ({ type: "restart", node: n }))
        : act(tr("menu_crash"), () => ({ type: "crash", node: n })),
    ];
    if (!info.crashed) {
      row1.push(
        info.paused
          ? act(tr("menu_resume"), () => ({ type: "resume", node: n }))
          : act(tr("menu_pause"), () => ({ type: "pause", node: n })),
        act(tr("menu_campaign"), () => ({ type: "campaign", node: n })),
      );
    }
    /** @type {HTMLElement[]} */
    const row2 = [];
    if (leader !== null && leader !== n && !info.crashed) {
      /** @type {Action} */
      const transfer = { type: "transfer_leader", from: leader, to: n };
      const b = /** @type {HTMLButtonElement} */ (
        act(tr("menu_transfer", { from: leader, to: n }), () => transfer)
      );
      // A learner or a non-member cannot lead: the world says why, and the item says it too.
      const why = ctx.ctrl.refusal(transfer);
      if (why !== null) {
        b.disabled = true;
        b.title = tr("mem_disabled_why", { why });
      }
      row2.push(b);
    }
    row2.push(act(tr("menu_isolate"), () => ({ type: "isolate", node: n })));
    // A learner follows the leader's log but is not a follower that may vote: name it so.
    const learner = placeOf(shownMembership(v), n) === "learner";
    const what = tr(
      /** @type {import("../../i18n.js").StringKey} */ (
        state !== "up" ? `status_${state}` : learner ? "cl_learner" : `role_${info.role}`
      ),
    );
    pop.show(tr("menu_node", { n, what, term: info.term }), at, [
      h("div", { class: "pop-row" }, ...row1),
      h("div", { class: "pop-row" }, ...row2),
      h(
        "div",
        { class: "pop-row" },
        h("label", { for: `${id}-drift` }, tr("menu_drift")),
        drift,
        act(tr("menu_set"), () => ({
          type: "set_drift",
          node: n,
          drift_ppm: Math.round(Number(drift.value) || 0),
        })),
      ),
      ...membership.nodeRows(info, v),
      byzantineRow(ctx, n, info, act),
      h("p", { class: "kv" }, `kv: ${JSON.stringify(kv)}`),
    ]);
  }

  /** @param {MessageInfo} m0 @param {DOMRect} at */
  function message(m0, at) {
    const m = ctx.ctrl.message(m0.id) ?? m0;
    // Pause while inspecting, or the message would arrive before the user can act on it.
    const wasPlaying = pop.open ? false : ctx.ui.playing;
    ctx.setPlaying(false);
    const delay = /** @type {HTMLInputElement} */ (
      h("input", { type: "number", min: 0, step: 1, value: 50, id: `${id}-delay` })
    );
    const kind = tr(/** @type {import("../../i18n.js").StringKey} */ (`msg_${m.kind}`));
    pop.show(tr("menu_message", { id: m.id, kind }), at, [
      h("p", { class: "summary" }, m.summary),
      m.snapshot
        ? h(
            "p",
            { class: "snap" },
            tr("menu_snapshot", {
              index: m.snapshot.last_included_index,
              term: m.snapshot.last_included_term,
              bytes: m.snapshot.size_bytes,
            }),
          )
        : "",
      h(
        "p",
        { class: "muted" },
        tr(
          m.state === "held"
            ? "menu_sent_held"
            : m.state === "waiting"
              ? "menu_sent_waiting"
              : "menu_sent",
          { sent: formatUs(m.sent_at_us), arrives: formatUs(m.deliver_at_us) },
        ),
      ),
      h("p", { class: "muted" }, tr(wasPlaying ? "menu_paused_open" : "menu_paused")),
      h(
        "div",
        { class: "pop-row" },
        act(tr("menu_drop"), () => ({ type: "drop_message", id: m.id })),
        act(tr("menu_duplicate"), () => ({ type: "duplicate_message", id: m.id })),
        ...(m.state === "held"
          ? [act(tr("menu_release"), () => ({ type: "release_message", id: m.id }))]
          : m.state === "in_flight"
            ? [act(tr("menu_hold"), () => ({ type: "hold_message", id: m.id }))]
            : []),
      ),
      // A message waiting at a paused node has arrived: it can no longer be held or delayed.
      m.state === "waiting"
        ? ""
        : h(
            "div",
            { class: "pop-row" },
            h("label", { for: `${id}-delay` }, tr("menu_delay_by")),
            delay,
            act(tr("menu_delay"), () => ({
              type: "delay_message",
              id: m.id,
              delay_us: Math.max(0, Math.round((Number(delay.value) || 0) * 1000)),
            })),
          ),
    ]);
    if (wasPlaying) pop.resumeOnClose(true);
  }

  /** @param {number} a @param {number} b @param {DOMRect} at */
  function link(a, b, at) {
    const v = ctx.ui.view;
    if (!v) return;
    const cut = (/** @type {number} */ f, /** @type {number} */ t) =>
      v.network.links.some((l) => l.from === f && l.to === t && !l.up);
    /** Applies both one-way actions; closes the popover. @param {"cut" | "repair"} type */
    const both = (type) =>
      btn(tr(type === "cut" ? "menu_cut_both" : "menu_restore_both"), () => {
        if (ctx.apply({ type, from: a, to: b })) ctx.apply({ type, from: b, to: a });
        pop.close();
      });
    const way = (/** @type {number} */ f, /** @type {number} */ t) =>
      `${f}→${t} ${tr(cut(f, t) ? "menu_link_cut" : "menu_link_up")}`;
    pop.show(tr("menu_link", { a, b }), at, [
      h("p", { class: "muted" }, `${way(a, b)}, ${way(b, a)}`),
      h(
        "div",
        { class: "pop-row" },
        cut(a, b)
          ? act(tr("menu_restore", { from: a, to: b }), () => ({ type: "repair", from: a, to: b }))
          : act(tr("menu_cut", { from: a, to: b }), () => ({ type: "cut", from: a, to: b })),
        cut(b, a)
          ? act(tr("menu_restore", { from: b, to: a }), () => ({ type: "repair", from: b, to: a }))
          : act(tr("menu_cut", { from: b, to: a }), () => ({ type: "cut", from: b, to: a })),
      ),
      h("div", { class: "pop-row" }, both("cut"), both("repair")),
    ]);
  }

  /** The messages-in-flight list: the keyboard path to messages. @param {HTMLElement} from */
  function messages(from) {
    const wasPlaying = ctx.ui.playing;
    ctx.setPlaying(false);
    const list = ctx.ctrl
      .messages()
      .sort((a, b) => a.deliver_at_us - b.deliver_at_us)
      .slice(0, 24);
    const at = from.getBoundingClientRect();
    pop.show(
      tr(list.length === 1 ? "menu_in_flight_one" : "menu_in_flight", { n: list.length }),
      at,
      list.length
        ? list.map((m) =>
            btn(`${m.state === "held" ? tr("menu_held_tag") : ""}${m.summary}`, () =>
              message(m, at),
            ),
          )
        : [tr("menu_in_flight_none")],
      { list: true, returnTo: from },
    );
    if (wasPlaying) pop.resumeOnClose(true);
  }

  return { node, message, link, messages, membership: membership.open };
}
