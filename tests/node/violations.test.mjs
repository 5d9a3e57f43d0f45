// Every monitor violation and every checker explanation of the ready scenarios, worded by the
// page (render/monitors.js's violationText, render/words.js's wordsText) from its case and
// params: in English it is the simulator's or the checker's own sentence, word for word; in
// Chinese every hole is filled. Against the real Wasm (run scripts/build.sh first).
//   node --test tests/node/violations.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { t } from "../../web/src/i18n.js";
import { violationText } from "../../web/src/render/monitors.js";
import { wordsText } from "../../web/src/render/words.js";
import { Playground } from "./wasm.mjs";

const dir = new URL("../../scenarios/", import.meta.url).pathname;
const tr = (/** @type {"en" | "zh"} */ lang) => (k, v) => t(lang, k, v);

test("the page's words for every violation of the ready scenarios", () => {
  const cases = new Set();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    const sc = JSON.parse(readFileSync(`${dir}${f}`, "utf8"));
    // The AP store's scenarios do not open in the playground's module; no monitor watches
    // the AP store.
    if (sc.config?.ap) continue;
    const p = Playground.from_scenario(sc);
    p.seek(sc.duration_us);
    for (const m of p.view().monitors) {
      const v = m.first;
      if (!v) continue;
      cases.add(v.case);
      assert.equal(violationText(v, tr("en")), v.description, `${f}: ${m.monitor}`);
      const zh = violationText(v, tr("zh"));
      assert.ok(!/[{}]/.test(zh.replace(/\{[\d,]*\}/g, "")), `${f}: a hole left in ${zh}`);
    }
    p.free?.();
  }
  // The comparison is not vacuous: the toggles' scenarios break several rules.
  assert.ok(cases.size >= 5, `cases seen: ${[...cases].join(", ")}`);
});

test("the page's words for every checker explanation of the ready scenarios", () => {
  const cases = new Set();
  /** @param {any} w */
  const collect = (w) => {
    cases.add(w.case);
    for (const p of w.params) for (const x of [p].flat()) if (typeof x === "object") collect(x);
  };
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    const sc = JSON.parse(readFileSync(`${dir}${f}`, "utf8"));
    if (sc.config?.ap) continue;
    const p = Playground.from_scenario(sc);
    p.seek(sc.duration_us);
    const r = p.check();
    const explained = [
      ...r.linearizability.partitions.map((x) => x.explanation).filter((e) => e),
      ...(r.sequential.plain_words ? [r.sequential] : []),
    ];
    for (const e of explained) {
      collect(e.plain_words);
      assert.equal(wordsText(e.plain_words, tr("en")), e.plain, f);
      const zh = wordsText(e.plain_words, tr("zh"));
      assert.ok(!/[{}]/.test(zh), `${f}: a hole left in ${zh}`);
      assert.notEqual(zh, e.plain, `${f}: worded in Chinese`);
    }
    p.free?.();
  }
  // Not vacuous: the toggles' scenarios are not linearizable, in more than one way.
  assert.ok(cases.size >= 4, `cases seen: ${[...cases].join(", ")}`);
});
