// The string table: every key in both languages, the same holes in each, and no key that no
// code asks for. Keys built from a vocabulary (`mon_${id}`) are checked against that
// vocabulary: one key per member, no key without one.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { CAP_TEXT } from "../../www/cap/text.js";
import { HISTORY_TEXT } from "../../www/history/text.js";
import { LANGS, langFromTag, STRINGS, t } from "../src/i18n.js";
import {
  ACTION_TYPES,
  BYZANTINE_MODES,
  EXPECTATION_TYPES,
  LADDER_RUNGS,
  MONITORS,
  MSG_KINDS,
  OBSERVED_CASES,
  ON_CASES,
  OP_KINDS,
  OUTCOMES,
  RAFT_TOGGLES,
  READ_PATHS,
  REASON_CODES,
  SESSION_GUARANTEES,
  TRACE_LINE_CASES,
  TRACE_MARKERS,
  VIOLATION_CASES,
  WHY_CASES,
  WORD_CASES,
} from "../src/vocab.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const TYPES = readFileSync(join(SRC, "types.d.ts"), "utf8");
const roleLine = TYPES.match(/export type Role = ([^;]+);/);
assert.ok(roleLine, "types.d.ts declares Role");
const ROLES = [...roleLine[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
const verdictLine = TYPES.match(/export type Verdict = ([^;]+);/);
assert.ok(verdictLine, "types.d.ts declares Verdict");
const VERDICTS = [...verdictLine[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);

/** Key families built in code as `${prefix}${member}`, with their members. */
const FAMILIES = {
  role_: ROLES,
  mon_: MONITORS,
  msg_: MSG_KINDS,
  toggle_: RAFT_TOGGLES.map((x) => x.name),
  byz_: BYZANTINE_MODES.map((x) => x.name),
  read_: READ_PATHS.map((x) => x.name),
  marker_: TRACE_MARKERS,
  op_: OP_KINDS,
  site_theme_: ["auto", "dark", "light"],
  reason_: REASON_CODES,
  // A scenario expectation's wording (app/expectations.js).
  expect_: EXPECTATION_TYPES,
  // The status line's name of an applied action (app/playground.js).
  action_: ACTION_TYPES,
  // A monitor violation in words (render/monitors.js), from its case and params.
  viol_: VIOLATION_CASES.map((x) => x.name),
  // Why a log entry is (not) committed (render/logs.js), from its case and params.
  why_: WHY_CASES.map((x) => x.name),
  why_on_: ON_CASES.map((x) => x.name),
  // A trace line in words (render/line.js), from its case and params.
  line_: TRACE_LINE_CASES.map((x) => x.name),
  // What a scenario expectation observed (app/expectations.js), from its case and params.
  obs_: OBSERVED_CASES.map((x) => x.name),
  // A checker explanation in words (render/words.js), from its case and params.
  plain_: WORD_CASES.map((x) => x.name),
  // The goals the exercise recorder offers (app/panels/record.js) and what their value means.
  goal_: [
    "leaders_at_once",
    "becomes_leader",
    "no_leader_until",
    "monitor_violated",
    "no_violation",
    "linearizable",
    "not_linearizable",
  ],
  rec_value_: ["count", "node", "ms", "monitor"],
  // A node's state when it is not up (render/cluster.js nodeStatus), and a log cell's state
  // (render/logs.js).
  status_: ["crashed", "paused"],
  cell_: ["applied", "committed", "uncommitted", "conflict", "compacted"],
  // The history view's words for an operation's outcome and a checker's verdict.
  hist_outcome_: OUTCOMES,
  hist_verdict_: VERDICTS,
  // The trace markers the history chart draws, and its legend (render/history.js).
  hist_mark_: ["fault", "election"],
  hist_legend_: ["fault", "election"],
};

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return jsFiles(p);
    // The tables themselves (i18n.js, i18n/*.js) do not count as asking for a key.
    return p.endsWith(".js") && !p.endsWith("i18n.js") && !p.includes("/i18n/") ? [p] : [];
  });
}
// The pages' own chrome asks for its labels too (www/site.js, `data-t` in the pages). The
// history playground and the CAP page have tables of their own (below).
const WWW = fileURLToPath(new URL("../../www/", import.meta.url));
const code = [
  ...jsFiles(SRC),
  ...jsFiles(join(WWW, "history")),
  ...["site.js", "index.html", "history.html"].map((f) => join(WWW, f)),
]
  .map((p) => readFileSync(p, "utf8"))
  .join("\n");

const holes = (/** @type {string} */ s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every language of `tables` has English's keys, none empty, each with English's holes. @param {any} tables */
function assertComplete(tables) {
  const keys = Object.keys(tables.en);
  for (const [lang] of LANGS) {
    const table = /** @type {Record<string, string>} */ (tables[lang]);
    assert.deepEqual(Object.keys(table).sort(), [...keys].sort(), `${lang} has the same keys`);
    for (const k of keys) {
      assert.ok(table[k]?.trim(), `${lang}.${k} is empty`);
      assert.deepEqual(holes(table[k]), holes(tables.en[k]), `${lang}.${k} has en's holes`);
    }
  }
}

test("every key has a non-empty string in every language, with the same holes", () => {
  assertComplete(STRINGS);
});

test("every family has one key per member of its vocabulary", () => {
  const keys = Object.keys(STRINGS.en);
  for (const [prefix, members] of Object.entries(FAMILIES)) {
    assert.ok(code.includes(`\`${prefix}\${`), `the code builds ${prefix}… keys`);
    for (const m of members) assert.ok(keys.includes(`${prefix}${m}`), `${prefix}${m} missing`);
  }
});

test("no key is unused", () => {
  const family = (/** @type {string} */ k) =>
    Object.entries(FAMILIES).some(
      ([p, members]) => k.startsWith(p) && members.includes(k.slice(p.length)),
    );
  const unused = Object.keys(STRINGS.en).filter((k) => !family(k) && !code.includes(`"${k}"`));
  assert.deepEqual(unused, []);
});

test("t fills holes and falls back to English; browser tags map to a language", () => {
  assert.equal(t("zh", "step_of", { n: 2, m: 5 }), "第 2 步，共 5 步");
  assert.equal(t("en", "tools_seed", { seed: 7 }), "seed 7");
  assert.equal(langFromTag("zh-CN"), "zh");
  assert.equal(langFromTag("fr"), "en");
});

test("a violation's English words are the simulator's sentence (its case's label)", () => {
  for (const { name, label } of VIOLATION_CASES)
    assert.equal(STRINGS.en[/** @type {any} */ (`viol_${name}`)], label, name);
});

test("an entry status's, a trace line's, an observation's and an explanation's English words are the simulator's and the checker's (its cases' labels)", () => {
  for (const [prefix, cases] of /** @type {const} */ ([
    ["why_", WHY_CASES],
    ["why_on_", ON_CASES],
    ["line_", TRACE_LINE_CASES],
    ["obs_", OBSERVED_CASES],
    ["plain_", WORD_CASES],
  ]))
    for (const { name, label } of cases)
      assert.equal(STRINGS.en[/** @type {any} */ (`${prefix}${name}`)], label, name);
});

test("the history playground's own table: complete, its families whole, each key used", () => {
  assertComplete(HISTORY_TEXT);
  const keys = Object.keys(HISTORY_TEXT.en);
  // The ladder (www/history/ladder.js) and the status line (main.js); the CAP page borrows
  // the models' names.
  const families = {
    hp_rung_: LADDER_RUNGS,
    hp_model_: LADDER_RUNGS,
    hp_guarantee_: SESSION_GUARANTEES,
  };
  const pageCode = [...jsFiles(join(WWW, "history")), ...jsFiles(join(WWW, "cap"))]
    .concat([join(WWW, "history.html")])
    .map((p) => readFileSync(p, "utf8"))
    .join("\n");
  for (const [prefix, members] of Object.entries(families)) {
    assert.ok(pageCode.includes(`\`${prefix}\${`), `the code builds ${prefix}… keys`);
    for (const m of members) assert.ok(keys.includes(`${prefix}${m}`), `${prefix}${m} missing`);
  }
  const inFamily = (/** @type {string} */ k) =>
    Object.entries(families).some(([p, ms]) => k.startsWith(p) && ms.includes(k.slice(p.length)));
  const unused = keys.filter((k) => !inFamily(k) && !pageCode.includes(`"${k}"`));
  assert.deepEqual(unused, []);
  for (const k of keys) assert.ok(!(k in STRINGS.en), `${k} is in both tables`);
});

test("the CAP page's own table: every key in every language, the same holes, each one used", () => {
  const keys = Object.keys(CAP_TEXT.en);
  const capCode = [...jsFiles(join(WWW, "cap")), join(WWW, "cap.html")]
    .map((p) => readFileSync(p, "utf8"))
    .join("\n");
  assertComplete(CAP_TEXT);
  const unused = keys.filter((k) => !capCode.includes(`"${k}"`));
  assert.deepEqual(unused, []);
  for (const k of keys) assert.ok(!(k in STRINGS.en), `${k} is in both tables`);
});
