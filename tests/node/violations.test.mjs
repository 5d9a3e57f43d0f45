// Every monitor violation of the ready scenarios, worded by the page (render/monitors.js's
// violationText) from its case and params: in English it is the simulator's own sentence, word
// for word; in Chinese every hole is filled. Against the real Wasm (run scripts/build.sh first).
//   node --test tests/node/violations.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { t } from "../../web/src/i18n.js";
import { violationText } from "../../web/src/render/monitors.js";
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
