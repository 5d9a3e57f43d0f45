// The ready scenarios: the picker (full controls, when the page has an index) and the note that
// shows the loaded scenario's description.

import { h, text } from "../../render/dom.js";
import { expectationText, observedText } from "../expectations.js";
import { btn } from "./popover.js";

/**
 * @typedef {{
 *   entries: import("../../index.d.ts").ScenarioEntry[],
 *   load(file: string): Promise<import("../../types.d.ts").Scenario>,
 * }} ScenarioIndex the ready scenarios; `load` fetches one
 */

/**
 * @param {import("../context.js").Ctx} ctx
 * @param {{ freePlay: () => Promise<void>, destroyed: () => boolean }} deps
 */
export function createScenarioPanels(ctx, deps) {
  const { labels, tr } = ctx;
  /** An entry's title and description in the page's language (English when it has none). @param {import("../../index.d.ts").ScenarioEntry} e */
  const textOf = (e) => e.text?.[ctx.ui.lang] ?? e;
  const sel = /** @type {HTMLSelectElement} */ (
    h("select", { id: `${ctx.id}-scenario` }, labels.bind(h("option", { value: "" }), "free_play"))
  );
  const picker = labels.bind(
    h(
      "div",
      { class: "pane scenpick", role: "group", hidden: true },
      h("label", { for: sel.id }, labels.bind(h("strong", {}), "scenarios")),
      sel,
    ),
    "scenarios",
    "aria-label",
  );
  const noteTitle = h("strong", {});
  const noteText = h("p", {});
  const expectList = labels.bind(h("ul", { class: "expects" }), "scen_expectations", "aria-label");
  const dismiss = btn("✕", () => (note.hidden = true), "-");
  labels.bind(dismiss, "scen_dismiss", "aria-label");
  const note = labels.bind(
    h(
      "aside",
      { class: "pane scennote", hidden: true },
      h("div", { class: "pop-head" }, noteTitle, dismiss),
      noteText,
      expectList,
    ),
    "scen_scenario",
    "aria-label",
  );
  /**
   * The loaded scenario's expectations: each with the time it is judged at (its `at_us`, else
   * the scenario's end) and its result in the run as it stands (null until computed).
   * @type {{ text: string, at_us: number, result: import("../../types.d.ts").ExpectationResult | null, li: HTMLElement }[]}
   */
  let expects = [];
  /** @type {ScenarioIndex | null} */
  let index = null;
  /** The loaded scenario's entry and file, for relabelling its note (null: none or not picked). */
  /** @type {{ entry: import("../../index.d.ts").ScenarioEntry, sc: import("../../types.d.ts").Scenario } | null} */
  let shown = null;
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
        const sc = await index.load(entry.file);
        await ctx.loadScenario(sc);
        const { title, description } = textOf(entry);
        show(title, description, sc);
        shown = { entry, sc };
        ctx.say(tr("scen_loaded", { title }));
      }
      sel.value = entry ? entry.file : "";
      ctx.setPlaying(true);
    } finally {
      picking = false;
    }
  }
  /**
   * @param {string} title
   * @param {string} description
   * @param {{ expect?: any[], duration_us?: number }} [sc] the scenario (for its expectations)
   */
  function show(title, description, sc) {
    shown = null;
    text(noteTitle, title);
    text(noteText, description);
    expects = (sc?.expect ?? []).map((e) => ({
      text: expectationText(e, tr),
      at_us: typeof e.at_us === "number" ? e.at_us : (sc?.duration_us ?? 0),
      result: null,
      li: h("li", {}),
    }));
    expectList.replaceChildren(...expects.map((x) => x.li));
    note.hidden = !description && !expects.length;
  }

  /** The picker's options and the picked scenario's note, in the page's language. */
  function relabelEntries() {
    if (!index) return;
    for (const o of sel.options) {
      const e = index.entries.find((x) => x.file === o.value);
      if (!e) continue;
      const t = textOf(e);
      o.textContent = t.title;
      o.title = t.description;
    }
    if (shown) {
      const t = textOf(shown.entry);
      text(noteTitle, t.title);
      text(noteText, t.description);
      // The expectations keep their results; their lines are rewritten on the next sync.
      const all = shown.sc.expect ?? [];
      expects.forEach((x, i) => {
        x.text = expectationText(all[i], tr);
        x.li.textContent = "";
      });
    }
  }
  labels.onChange(relabelEntries);

  return {
    picker,
    note,
    show,
    /** Whether the loaded scenario has expectations to judge. */
    get judging() {
      return expects.length > 0;
    },
    /**
     * The results of the run as it stands (the scenario with the actions so far, run to its
     * end), in the order of the expectations.
     * @param {import("../../types.d.ts").ExpectationResult[]} results
     */
    setResults(results) {
      expects.forEach((x, i) => {
        x.result = results[i] ?? null;
      });
    },
    /** Each expectation's live status: not yet (before its time), met or failed. @param {import("../../types.d.ts").WorldView} v */
    sync(v) {
      for (const x of expects) {
        const due = v.now_us >= x.at_us;
        const st = !due || !x.result ? "not-yet" : x.result.ok ? "met" : "failed";
        const label =
          st === "met"
            ? `✓ ${tr("met")}`
            : st === "failed"
              ? `✗ ${tr("scen_failed")}`
              : `… ${tr("not_yet")}`;
        const seen = due && x.result ? ` (${observedText(x.result, tr)})` : "";
        const line = `${label}: ${x.text}${seen}`;
        if (x.li.textContent !== line) {
          x.li.textContent = line;
          x.li.className = `ex-${st}`;
        }
      }
    },
    /** @param {Promise<ScenarioIndex | null>} p */
    setIndex(p) {
      p.then(
        (idx) => {
          if (!idx || deps.destroyed()) return;
          index = idx;
          for (const e of idx.entries) sel.append(h("option", { value: e.file }));
          relabelEntries();
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
