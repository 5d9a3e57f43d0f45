// The node, message and link menus: each reads what it shows through the controller and offers
// actions that are forwarded as intents. A message menu opens with time paused (or the message
// would arrive before the user can act on it) and resumes it on close.

import { nodeStatus } from "../../render/cluster.js";
import { h } from "../../render/dom.js";
import { formatUs } from "../../render/geom.js";
import { btn } from "./popover.js";

/**
 * @typedef {import("../../types.d.ts").Action} Action
 * @typedef {import("../../types.d.ts").MessageInfo} MessageInfo
 * @typedef {import("../context.js").Ctx} Ctx
 */

/** @param {Ctx} ctx */
export function createMenus(ctx) {
  const { id, pop } = ctx;
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
        ? act("Restart", () => ({ type: "restart", node: n }))
        : act("Crash", () => ({ type: "crash", node: n })),
    ];
    if (!info.crashed) {
      row1.push(
        info.paused
          ? act("Resume", () => ({ type: "resume", node: n }))
          : act("Pause", () => ({ type: "pause", node: n })),
        act("Force timeout", () => ({ type: "campaign", node: n })),
      );
    }
    /** @type {HTMLElement[]} */
    const row2 = [];
    if (leader !== null && leader !== n && !info.crashed) {
      row2.push(
        act(`Transfer leadership n${leader} → n${n}`, () => ({
          type: "transfer_leader",
          from: leader,
          to: n,
        })),
      );
    }
    row2.push(act("Isolate", () => ({ type: "isolate", node: n })));
    pop.show(`Node ${n}: ${state === "up" ? info.role : state}, term ${info.term}`, at, [
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

  /** @param {MessageInfo} m0 @param {DOMRect} at */
  function message(m0, at) {
    const m = ctx.ctrl.message(m0.id) ?? m0;
    // Pause while inspecting, or the message would arrive before the user can act on it.
    const wasPlaying = pop.open ? false : ctx.ui.playing;
    ctx.setPlaying(false);
    const delay = /** @type {HTMLInputElement} */ (
      h("input", { type: "number", min: 0, step: 1, value: 50, id: `${id}-delay` })
    );
    pop.show(`Message ${m.id} · ${m.kind.replace(/_/g, " ")}`, at, [
      h("p", { class: "summary" }, m.summary),
      h(
        "p",
        { class: "muted" },
        `sent ${formatUs(m.sent_at_us)}, arrives ${formatUs(m.deliver_at_us)}${m.state === "held" ? " (held)" : m.state === "waiting" ? " (waiting at a paused node)" : ""}`,
      ),
      h(
        "p",
        { class: "muted" },
        wasPlaying ? "Time is paused while this menu is open." : "Time is paused.",
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
      btn(type === "cut" ? "Cut both ways" : "Restore both ways", () => {
        if (ctx.apply({ type, from: a, to: b })) ctx.apply({ type, from: b, to: a });
        pop.close();
      });
    pop.show(`Link n${a} ⇄ n${b}`, at, [
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
      `${list.length} message${list.length === 1 ? "" : "s"} in flight (time paused)`,
      at,
      list.length
        ? list.map((m) =>
            btn(`${m.state === "held" ? "[held] " : ""}${m.summary}`, () => message(m, at)),
          )
        : ["None right now: press Step to process the next event, or Play and try again."],
      { list: true, returnTo: from },
    );
    if (wasPlaying) pop.resumeOnClose(true);
  }

  return { node, message, link, messages };
}
