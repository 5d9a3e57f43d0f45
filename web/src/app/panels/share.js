// Share: copy a link that replays this world to this moment, export it as a scenario file (the
// loaded scenario's description and expectations kept), import one.

import { h } from "../../render/dom.js";
import { toFragment } from "../../share.js";
import { btn } from "./popover.js";

/**
 * The world as a scenario running to now, with the loaded scenario's description and
 * expectations (the world's own export knows neither).
 * @param {import("../controller.js").Controller} ctrl
 * @param {{ description?: string, expect?: unknown[] } | null} loaded
 * @returns {import("../../types.d.ts").Scenario}
 */
export function scenarioNow(ctrl, loaded) {
  const sc = ctrl.exportScenario(loaded?.description || undefined);
  // A scenario must run for at least 1 µs.
  sc.duration_us = Math.max(1, sc.duration_us);
  if (loaded?.expect?.length) sc.expect = /** @type {any} */ (structuredClone(loaded.expect));
  return sc;
}

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ loaded: () => { description?: string, expect?: unknown[] } | null }} deps
 */
export function createSharePanel(ctx, deps) {
  const { id } = ctx;
  const linkOut = /** @type {HTMLInputElement} */ (
    h("input", { readonly: true, class: "link", "aria-label": "Share link", id: `${id}-link` })
  );
  const shareLink = async () => {
    const base = location.href.replace(/#.*$/, "");
    return base + (await toFragment({ ...scenarioNow(ctx.ctrl, null), t_us: ctx.ctrl.now() }));
  };
  const copyBtn = btn("Copy link", () => {
    shareLink()
      .then(async (url) => {
        linkOut.value = url;
        try {
          await navigator.clipboard.writeText(url);
          ctx.say("Link copied: it replays this world to this moment.");
        } catch {
          linkOut.select();
          ctx.say("Link ready below: copy it with Ctrl+C.");
        }
      })
      .catch(ctx.fail);
  });
  const exportBtn = btn("Export JSON", () => {
    // A plain scenario file (loads with `raftlab run` and `from_scenario`); it runs to now.
    const data = JSON.stringify(scenarioNow(ctx.ctrl, deps.loaded()), null, 2);
    const a = /** @type {HTMLAnchorElement} */ (
      h("a", {
        href: URL.createObjectURL(new Blob([data], { type: "application/json" })),
        download: `raftlab-seed-${ctx.ctrl.seed()}.json`,
      })
    );
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    ctx.say(`Exported ${a.download}.`);
  });
  const importIn = /** @type {HTMLInputElement} */ (
    h("input", { type: "file", accept: ".json,application/json", id: `${id}-import` })
  );
  importIn.addEventListener("change", async () => {
    const f = importIn.files?.[0];
    if (!f) return;
    try {
      const sc = JSON.parse(await f.text());
      await ctx.loadScenario(sc, sc.t_us);
      ctx.say(`Loaded ${f.name}.`);
    } catch (e) {
      ctx.fail(e);
    }
    importIn.value = "";
  });
  const el = h(
    "div",
    {},
    h(
      "div",
      { class: "pop-row" },
      copyBtn,
      exportBtn,
      h("label", { for: importIn.id, class: "filebtn" }, "Import JSON", importIn),
    ),
    linkOut,
  );
  return { el, shareLink };
}
