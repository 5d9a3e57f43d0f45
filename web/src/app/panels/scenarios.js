// The ready scenarios: the picker (full controls, when the page has an index) and the note that
// shows the loaded scenario's description.

import { h, text } from "../../render/dom.js";
import { btn } from "./popover.js";

/**
 * @typedef {{
 *   entries: { file: string, title: string, description: string }[],
 *   load(file: string): Promise<import("../../types.d.ts").Scenario>,
 * }} ScenarioIndex the ready scenarios; `load` fetches one
 */

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ freePlay: () => Promise<void>, destroyed: () => boolean }} deps
 */
export function createScenarioPanels(ctx, deps) {
  const sel = /** @type {HTMLSelectElement} */ (
    h("select", { id: `${ctx.id}-scenario` }, h("option", { value: "" }, "Free play"))
  );
  const picker = h(
    "div",
    { class: "pane scenpick", role: "group", "aria-label": "Scenarios", hidden: true },
    h("label", { for: sel.id }, h("strong", {}, "Scenarios")),
    sel,
  );
  const noteTitle = h("strong", {});
  const noteText = h("p", {});
  const note = h(
    "aside",
    { class: "pane scennote", "aria-label": "Scenario", hidden: true },
    h(
      "div",
      { class: "pop-head" },
      noteTitle,
      btn("✕", () => (note.hidden = true), "Dismiss the description"),
    ),
    noteText,
  );
  /** @type {ScenarioIndex | null} */
  let index = null;
  /** While the picker replaces the world (other replacements reset it to Free play). */
  let picking = false;
  sel.addEventListener("change", () => pick(sel.value).catch(ctx.fail));

  /** @param {string} file "" for Free play */
  async function pick(file) {
    const entry = index?.entries.find((e) => e.file === file);
    picking = true;
    try {
      if (!entry || !index) {
        note.hidden = true;
        await deps.freePlay();
      } else {
        await ctx.loadScenario(await index.load(entry.file));
        show(entry.title, entry.description);
        ctx.say(`Scenario: ${entry.title}.`);
      }
      sel.value = entry ? entry.file : "";
      ctx.setPlaying(true);
    } finally {
      picking = false;
    }
  }
  /** @param {string} title @param {string} description */
  function show(title, description) {
    text(noteTitle, title);
    text(noteText, description);
    note.hidden = !description;
  }

  return {
    picker,
    note,
    show,
    /** @param {Promise<ScenarioIndex | null>} p */
    setIndex(p) {
      p.then(
        (idx) => {
          if (!idx || deps.destroyed()) return;
          index = idx;
          for (const e of idx.entries) {
            const o = /** @type {HTMLOptionElement} */ (h("option", { value: e.file }, e.title));
            if (e.description) o.title = e.description;
            sel.append(o);
          }
          picker.hidden = false;
        },
        () => {}, // no index: no picker
      );
    },
    /** A new world was adopted: unless the picker chose it, it is no longer the picked one. */
    adopted() {
      if (!picking && sel.value) {
        sel.value = "";
        note.hidden = true;
      }
    },
  };
}
