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
  const { id, tr, labels } = ctx;
  const linkOut = /** @type {HTMLInputElement} */ (
    labels.bind(
      h("input", { readonly: true, class: "link", id: `${id}-link` }),
      "share_link",
      "aria-label",
    )
  );
  const shareLink = async () => {
    const base = location.href.replace(/#.*$/, "");
    return base + (await toFragment({ ...scenarioNow(ctx.ctrl, null), t_us: ctx.ctrl.now() }));
  };
  const copyBtn = btn("", () => {
    shareLink()
      .then(async (url) => {
        linkOut.value = url;
        try {
          await navigator.clipboard.writeText(url);
          ctx.say(tr("share_copied"));
        } catch {
          linkOut.select();
          ctx.say(tr("share_ready"));
        }
      })
      .catch(ctx.fail);
  });
  const exportBtn = btn("", () => {
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
    ctx.say(tr("share_exported", { file: a.download }));
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
      ctx.say(tr("share_loaded", { file: f.name }));
    } catch (e) {
      ctx.fail(e);
    }
    importIn.value = "";
  });
  labels.bind(copyBtn, "share_copy");
  labels.bind(exportBtn, "share_export");
  const el = h(
    "div",
    {},
    h(
      "div",
      { class: "pop-row" },
      copyBtn,
      exportBtn,
      h(
        "label",
        { for: importIn.id, class: "filebtn" },
        labels.bind(h("span", {}), "share_import"),
        importIn,
      ),
    ),
    linkOut,
  );
  return { el, shareLink };
}
