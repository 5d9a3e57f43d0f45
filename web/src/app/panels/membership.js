// Membership controls: the node menu's rows (promote a learner, remove a node, add a hosted
// node that is outside the configuration back) and the cluster-level popover (add the next
// server as a learner or a voter; move to a chosen configuration by joint consensus). Every
// control only forwards an action; whether the world would accept it is asked of the world
// (`refusal`), so a disabled control shows the Rust reason, and a refused click shows its
// reason in the popover, which stays open.

import { PLACE_KEY, placeOf, shownMembership } from "../../render/cluster/membership.js";
import { h, text } from "../../render/dom.js";
import { btn } from "./popover.js";

/**
 * @typedef {import("../../types.d.ts").Action} Action
 * @typedef {import("../../types.d.ts").NodeInfo} NodeInfo
 * @typedef {import("../../types.d.ts").WorldView} WorldView
 * @typedef {import("../context.js").Ctx} Ctx
 */

/** Node ids the simulator can host (crates/sim/src/config.rs NODES_MAX): the joint change
 * offers no place for an id past it. */
const NODES_MAX = 9;
/** How often an open popover re-asks whether its controls would be accepted (a learner
 * catches up while the menu is open). */
const RECHECK_MS = 250;

/** @param {Ctx} ctx */
export function createMembership(ctx) {
  const { tr, pop } = ctx;
  let lastError = "";
  ctx.ctrl.subscribe("error", (/** @type {unknown} */ e) => {
    lastError = e instanceof Error ? e.message : String(e);
  });

  /**
   * A row of buttons, each applying its action: a button is disabled while the world would
   * refuse its action, and the row's note says why (each distinct reason once); a refused
   * click writes the reason into `why` and leaves the popover open. The row re-checks while
   * it is shown (a learner catches up while its menu is open).
   * @param {[string, () => Action][]} items label and action of each button
   * @param {HTMLElement} why where a refused click's reason is written
   */
  function controlRow(items, why) {
    const note = h("p", { class: "why muted" });
    const buttons = items.map(([label, make]) => {
      const b = /** @type {HTMLButtonElement} */ (
        btn(label, () => {
          lastError = "";
          if (ctx.apply(make())) pop.close();
          else text(why, tr("mem_refused", { why: lastError }));
        })
      );
      return { b, make };
    });
    const update = () => {
      const reasons = new Set();
      for (const { b, make } of buttons) {
        const r = ctx.ctrl.refusal(make());
        b.disabled = r !== null;
        if (r !== null) reasons.add(r);
      }
      text(note, [...reasons].map((r) => tr("mem_disabled_why", { why: r })).join("\n"));
    };
    update();
    const row = h("div", { class: "pop-row mem-row" }, ...buttons.map((x) => x.b));
    const timer = setInterval(() => {
      if (row.isConnected) update();
      else clearInterval(timer);
    }, RECHECK_MS);
    return [row, note];
  }

  /**
   * The node menu's membership rows for node `n`.
   * @param {NodeInfo} info
   * @param {WorldView} v
   * @returns {HTMLElement[]}
   */
  function nodeRows(info, v) {
    const n = info.id;
    const m = shownMembership(v);
    const why = h("p", { class: "mem-why", role: "alert" });
    const learner = !!m?.learners.includes(n);
    const member = !m || learner || m.voters.includes(n) || m.outgoing.includes(n);
    /** @type {[string, () => Action][]} */
    const items = [];
    if (learner) items.push([tr("mem_promote"), () => ({ type: "promote_learner", node: n })]);
    if (member) items.push([tr("mem_remove"), () => ({ type: "remove_node", node: n })]);
    else {
      items.push(
        [tr("mem_readd_learner"), () => ({ type: "add_node", node: n, voter: false })],
        [tr("mem_readd_voter"), () => ({ type: "add_node", node: n, voter: true })],
      );
    }
    const place = tr(PLACE_KEY[placeOf(m, n)]);
    return [
      h("p", { class: "muted" }, tr("mem_section", { place })),
      ...controlRow(items, why),
      why,
    ];
  }

  /** The cluster-level popover, opened from `from`. @param {HTMLElement} from */
  function open(from) {
    const v = ctx.ui.view;
    if (!v) return;
    const m = shownMembership(v);
    const hosted = v.nodes.length;
    const next = hosted + 1;
    const why = h("p", { class: "mem-why", role: "alert" });
    /** @type {[string, () => Action][]} */
    const items = [];
    // Offered even past the last id: the world's refusal then says why.
    items.push(
      [tr("mem_add_learner", { n: next }), () => ({ type: "add_node", node: next, voter: false })],
      [tr("mem_add_voter", { n: next }), () => ({ type: "add_node", node: next, voter: true })],
    );
    // The joint change: a place for each hosted id and the next two (new servers take the
    // next ids in order; the world refuses a gap with its reason).
    const ids = Array.from({ length: Math.min(NODES_MAX, hosted + 2) }, (_, i) => i + 1);
    const selects = ids.map((id) => {
      const place = m?.voters.includes(id) ? "voter" : m?.learners.includes(id) ? "learner" : "out";
      const sel = /** @type {HTMLSelectElement} */ (
        h(
          "select",
          { id: `${ctx.id}-mem-${id}`, "data-node": id },
          h("option", { value: "voter" }, tr("mem_as_voter")),
          h("option", { value: "learner" }, tr("mem_as_learner")),
          h("option", { value: "out" }, tr("mem_as_out")),
        )
      );
      sel.value = !m && id <= hosted ? "voter" : place;
      return { id, sel };
    });
    const target = () => ({
      voters: selects.filter((s) => s.sel.value === "voter").map((s) => s.id),
      learners: selects.filter((s) => s.sel.value === "learner").map((s) => s.id),
    });
    const joint = btn(tr("mem_joint_apply"), () => {
      lastError = "";
      if (ctx.apply({ type: "change_membership", ...target() })) pop.close();
      else text(why, tr("mem_refused", { why: lastError }));
    });
    const grid = h(
      "div",
      { class: "mem-grid" },
      ...selects.map(({ id, sel }) =>
        h(
          "label",
          { for: sel.id },
          id > hosted ? tr("mem_node_new", { n: id }) : tr("mem_node", { n: id }),
          sel,
        ),
      ),
    );
    pop.show(
      tr("mem_title"),
      from.getBoundingClientRect(),
      [
        h("p", { class: "muted" }, describe(v)),
        ...controlRow(items, why),
        h("p", { class: "muted" }, tr("mem_joint_help")),
        grid,
        h("div", { class: "pop-row" }, joint),
        why,
      ],
      { returnTo: from },
    );
  }

  /** The configuration in force, in words. @param {WorldView} v */
  function describe(v) {
    const m = shownMembership(v);
    if (!m) return tr("mem_none");
    const ids = (/** @type {number[]} */ xs) => xs.join(", ");
    const now = m.joint
      ? tr("mem_now_joint", { old: ids(m.outgoing), new: ids(m.voters) })
      : tr("mem_now", { voters: ids(m.voters) });
    return m.learners.length ? `${now} ${tr("mem_now_learners", { ids: ids(m.learners) })}` : now;
  }

  return { nodeRows, open };
}
