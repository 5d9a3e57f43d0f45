// The lying-node row of the node menu: pick how the node lies (the modes are declared once, in
// crates/sim/src/byzantine.rs, and generated into vocab.js), or make a lying node honest again.
// The simulator refuses a second liar with a message naming the field; the page shows it.

import { h } from "../../render/dom.js";
import { BYZANTINE_MODES } from "../../vocab.js";

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {number} n the node
 * @param {import("../../types.d.ts").NodeInfo} info its view
 * @param {(label: string, make: () => import("../../types.d.ts").Action) => HTMLElement} act
 *   a button applying an action and closing the menu
 */
export function byzantineRow(ctx, n, info, act) {
  const { id, tr } = ctx;
  const byz = (/** @type {string} */ m) =>
    tr(/** @type {import("../../i18n.js").StringKey} */ (`byz_${m}`));
  if (info.byzantine) {
    return h(
      "div",
      { class: "pop-row" },
      h("span", {}, tr("cl_liar", { mode: byz(info.byzantine) })),
      act(tr("menu_honest"), () => ({ type: "set_byzantine", node: n, mode: null })),
    );
  }
  const sel = /** @type {HTMLSelectElement} */ (
    h(
      "select",
      { id: `${id}-byz` },
      ...BYZANTINE_MODES.map((m) => h("option", { value: m.name }, byz(m.name))),
    )
  );
  return h(
    "div",
    { class: "pop-row" },
    h("label", { for: `${id}-byz` }, tr("menu_lie_mode")),
    sel,
    act(tr("menu_lie"), () => ({
      type: "set_byzantine",
      node: n,
      mode: /** @type {import("../../types.d.ts").ByzantineMode} */ (sel.value),
    })),
  );
}
