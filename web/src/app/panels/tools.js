// The cluster's tool row: the partition tool (its instructions shown beside it while active),
// Heal, the keyboard path to messages, and the seed.

import { cls, h, text } from "../../render/dom.js";
import { btn } from "./popover.js";

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ messages(from: HTMLElement): void }} menus
 */
export function createTools(ctx, menus) {
  const hint = h("span", { class: "hint", hidden: true, role: "note" });
  const partBtn = btn("Partition…", () => {
    if (ctx.ui.partitionA) finish();
    else {
      ctx.ui.partitionA = new Set();
      cls(partBtn, "on", true);
      text(partBtn, "Apply partition");
      cancelBtn.hidden = false;
      showHint();
      ctx.say("Partition: click nodes to put them in group A, then Apply partition.");
      ctx.invalidate();
    }
  });
  const cancelBtn = btn("Cancel", () => {
    ctx.ui.partitionA = null;
    reset();
    ctx.say("Partition cancelled.");
  });
  cancelBtn.hidden = true;
  const healBtn = btn("Heal", () => ctx.apply({ type: "heal" }));
  // Keyboard path to messages: tiny moving targets cannot be tab stops, so list the oldest few
  // in flight and open the same message menu from there.
  const msgsBtn = btn("Messages…", () => menus.messages(msgsBtn));
  const seedOut = h("span", { class: "seed" });
  const el = h(
    "div",
    { class: "tools" },
    partBtn,
    cancelBtn,
    healBtn,
    msgsBtn,
    seedOut,
    h("div", { class: "hint-row" }, hint),
  );

  function showHint() {
    const a = [...(ctx.ui.partitionA ?? [])].sort((x, y) => x - y);
    hint.hidden = false;
    text(
      hint,
      `Click nodes to put them in group A (the others form group B), then Apply partition. Group A: ${a.length ? a.map((n) => `n${n}`).join(", ") : "none yet"}.`,
    );
  }
  function reset() {
    cls(partBtn, "on", false);
    text(partBtn, "Partition…");
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
    else ctx.say("Partition cancelled: both groups need at least one node.");
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
      text(seedOut, `seed ${seed}`);
    },
    /** @param {import("../../types.d.ts").WorldView} _view */
    sync(_view) {},
  };
}
