// The cluster's tool row: the partition tool (its instructions shown beside it while active),
// Heal, the keyboard path to messages, the membership controls, and the seed.

import { cls, h, text } from "../../render/dom.js";
import { btn } from "./popover.js";

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ messages(from: HTMLElement): void, membership(from: HTMLElement): void }} menus
 */
export function createTools(ctx, menus) {
  const { tr } = ctx;
  const hint = h("span", { class: "hint", hidden: true, role: "note" });
  const partBtn = btn("", () => {
    if (ctx.ui.partitionA) finish();
    else {
      ctx.ui.partitionA = new Set();
      cls(partBtn, "on", true);
      text(partBtn, tr("tools_partition_apply"));
      cancelBtn.hidden = false;
      showHint();
      ctx.say(tr("tools_partition_started"));
      ctx.invalidate();
    }
  });
  const cancelBtn = btn("", () => {
    ctx.ui.partitionA = null;
    reset();
    ctx.say(tr("tools_partition_cancelled"));
  });
  cancelBtn.hidden = true;
  const healBtn = btn("", () => ctx.apply({ type: "heal" }));
  // Keyboard path to messages: tiny moving targets cannot be tab stops, so list the oldest few
  // in flight and open the same message menu from there.
  const msgsBtn = btn("", () => menus.messages(msgsBtn));
  // Adding servers and the joint change concern the whole cluster: they open from here.
  const memBtn = btn("", () => menus.membership(memBtn));
  const seedOut = h("span", { class: "seed" });
  const el = h(
    "div",
    { class: "tools" },
    partBtn,
    cancelBtn,
    healBtn,
    msgsBtn,
    memBtn,
    seedOut,
    h("div", { class: "hint-row" }, hint),
  );

  /** The seed shown (relabelled with the rest). */
  let shownSeed = /** @type {number | null} */ (null);
  ctx.labels.bind(cancelBtn, "cancel");
  ctx.labels.bind(healBtn, "tools_heal");
  ctx.labels.bind(msgsBtn, "tools_messages");
  ctx.labels.bind(memBtn, "tools_membership");
  const relabel = () => {
    text(partBtn, tr(ctx.ui.partitionA ? "tools_partition_apply" : "tools_partition"));
    if (ctx.ui.partitionA) showHint();
    if (shownSeed !== null) text(seedOut, tr("tools_seed", { seed: shownSeed }));
  };
  relabel();
  ctx.labels.onChange(relabel);

  function showHint() {
    const a = [...(ctx.ui.partitionA ?? [])].sort((x, y) => x - y);
    hint.hidden = false;
    const group = a.length ? a.map((n) => `n${n}`).join(", ") : tr("tools_group_none");
    text(hint, tr("tools_partition_hint", { group }));
  }
  function reset() {
    cls(partBtn, "on", false);
    text(partBtn, tr("tools_partition"));
    cancelBtn.hidden = true;
    hint.hidden = true;
    ctx.invalidate();
  }
  function finish() {
    const a = [...(ctx.ui.partitionA ?? [])].sort((x, y) => x - y);
    const b = (ctx.ui.view?.nodes ?? []).map((n) => n.id).filter((n) => !a.includes(n));
    ctx.ui.partitionA = null;
    reset();
    if (a.length && b.length) ctx.apply({ type: "partition", groups: [a, b] });
    else ctx.say(tr("tools_partition_empty"));
  }

  return {
    el,
    /** A node was clicked while the tool is active. @param {number} n */
    toggle(n) {
      const sel = ctx.ui.partitionA;
      if (!sel) return;
      if (sel.has(n)) sel.delete(n);
      else sel.add(n);
      showHint();
      ctx.invalidate();
    },
    /** @param {number} seed */
    setSeed(seed) {
      shownSeed = seed;
      text(seedOut, tr("tools_seed", { seed }));
    },
    /** @param {import("../../types.d.ts").WorldView} _view */
    sync(_view) {},
  };
}
