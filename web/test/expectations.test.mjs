// Every expectation of every ready scenario worded in both languages (app/expectations.js):
// each expectation type is used by some scenario, no hole is left unfilled, and the Chinese
// wording keeps no English word beyond names (nodes, keys, values).
//   node --test web/test/expectations.test.mjs
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { expectationText } from "../src/app/expectations.js";
import { t } from "../src/i18n.js";
import { EXPECTATION_TYPES } from "../src/vocab.js";

const dir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const expectations = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => JSON.parse(readFileSync(`${dir}${f}`, "utf8")).expect ?? []);
const tr = (/** @type {"en" | "zh"} */ lang) => (k, v) => t(lang, k, v);

test("the ready scenarios use every expectation type", () => {
  const used = new Set(expectations.map((e) => e.type));
  assert.deepEqual(
    EXPECTATION_TYPES.filter((x) => !used.has(x)),
    [],
  );
});

test("every expectation is worded in both languages with every hole filled", () => {
  for (const e of expectations)
    for (const lang of /** @type {const} */ (["en", "zh"])) {
      const s = expectationText(e, tr(lang));
      assert.ok(
        s.length > 0 && !/[{}]|undefined|null/.test(s),
        `${lang}: ${JSON.stringify(e)} → ${s}`,
      );
      if (lang === "zh") {
        // Names are kept: node ids, keys and values from the scenario.
        const names = [e.key, e.value]
          .filter((x) => typeof x === "string")
          .sort((a, b) => b.length - a.length); // longest first: a key may be inside a value
        let rest = s.replace(/\bn\d+\b/g, "");
        for (const n of names) rest = rest.replaceAll(JSON.stringify(n), "").replaceAll(n, "");
        assert.ok(!/[A-Za-z]{2}/.test(rest), `English left in ${s}`);
      }
    }
});

test("the English wording reads as intended", () => {
  const en = tr("en");
  assert.equal(
    expectationText({ type: "leaders_at", at_us: 1100000, count: 2 }, en),
    "2 nodes believe they lead at 1100 ms",
  );
  assert.equal(
    expectationText({ type: "key_value", key: "x", value: "1", nodes_min: 3 }, en),
    'x = "1" on at least 3 nodes',
  );
  assert.equal(
    expectationText({ type: "key_value", key: "x", value: null }, en),
    "x = absent on all live nodes",
  );
  assert.equal(
    expectationText({ type: "monitor_violated", monitor: "election_safety" }, en),
    "Election Safety is violated",
  );
  assert.equal(
    expectationText({ type: "leader_exists", at_us: 2500, node: 3 }, en),
    "n3 is leader at 2.5 ms",
  );
});
