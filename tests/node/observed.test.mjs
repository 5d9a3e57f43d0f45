// What every ready scenario's expectations observed, worded by the page
// (app/expectations.js's observedText) from the result's case and params: in English it is
// the simulator's own text, word for word; in Chinese every hole is filled. Against the
// real Wasm (run scripts/build.sh first).
//   node --test tests/node/observed.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { observedText } from "../../web/src/app/expectations.js";
import { t } from "../../web/src/i18n.js";
import { run_scenario as runCapScenario } from "./cap-wasm.mjs";
import { Playground } from "./wasm.mjs";

const dir = new URL("../../scenarios/", import.meta.url).pathname;
const tr = (/** @type {"en" | "zh"} */ lang) => (k, v) => t(lang, k, v);

test("the page's words for what every ready scenario's expectations observed", () => {
  const cases = new Set();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    const sc = JSON.parse(readFileSync(`${dir}${f}`, "utf8"));
    const summary = sc.config?.ap ? runCapScenario(sc) : Playground.run_scenario(sc);
    for (const e of summary.expectations) {
      cases.add(e.observed_case);
      const en = observedText(e, tr("en"));
      // A violation reads as its monitor's name, its time and its own sentence.
      if (e.violation) assert.ok(en.endsWith(`: ${e.violation.description}`), `${f}: ${en}`);
      else assert.equal(en, e.observed, `${f}: ${e.expectation}`);
      const zh = observedText(e, tr("zh"));
      assert.ok(!/\{\w+\}/.test(zh), `${f}: a hole left in ${zh}`);
    }
  }
  // The ready scenarios observe leaders, commits, histories, monitors and convergence.
  for (const c of ["leaders", "linearizability", "none_fired", "violation", "applied"])
    assert.ok(cases.has(c), `no ready scenario observes ${c}`);
});
