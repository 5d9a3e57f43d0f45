// The ready scenarios' index (dist/scenarios/index.json), read by the playground's scenario
// picker: [{ file, title, description, text: { zh: { title, description } } }] in teaching
// order — the leader-failure cases in the order a write is replicated, split brain, client retry,
// then one demo per teaching toggle (files not named in ORDER follow, alphabetically). English
// titles come from the file names and descriptions from the files; the other languages' texts
// from scenarios/text/<lang>.json, which must have exactly one entry per scenario. Scenarios
// of the AP store (`config.ap`) are not listed: the playground runs Raft only.
//   node scripts/scenario-index.mjs <scenario dir> [out file]   (no out file: stdout)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTexts } from "./texts.mjs";

export const ORDER = [
  "leader_crash_before_request",
  "leader_crash_after_append",
  "leader_crash_after_partial_replication",
  "leader_crash_after_full_replication",
  "leader_crash_after_commit",
  "split_brain",
  "client_retry_dedup",
  "toggle_figure8",
  "toggle_vote_without_log_check",
  "toggle_forget_vote_on_restart",
  "toggle_no_dedup",
  "toggle_stale_reads",
  "toggle_lease_drift",
];

/** "toggle_figure8" → "Toggle: figure 8"; "split_brain" → "Split brain". @param {string} name */
export function titleOf(name) {
  const words = (/** @type {string} */ s) => s.replace(/_/g, " ").replace(/([a-z])(\d)/g, "$1 $2");
  const toggle = /^toggle_(.+)$/.exec(name);
  const t = toggle ? `Toggle: ${words(toggle[1])}` : words(name);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/**
 * @param {string} dir
 * @returns {{ file: string, title: string, description: string, text: Record<string, { title: string, description: string }> }[]}
 */
export function scenarioIndex(dir) {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "index.json")
    .map((f) => f.slice(0, -".json".length));
  const rank = (/** @type {string} */ n) => {
    const i = ORDER.indexOf(n);
    return i < 0 ? ORDER.length : i;
  };
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const textOf = readTexts(dir, names);
  const read = (/** @type {string} */ n) =>
    JSON.parse(readFileSync(join(dir, `${n}.json`), "utf8"));
  // A scenario of the AP store (`config.ap`) is left out: the playground's module runs Raft
  // only (the CAP page, cap.html, runs both).
  return names.flatMap((n) => {
    const sc = read(n);
    if (sc.config?.ap) return [];
    return {
      file: `${n}.json`,
      title: titleOf(n),
      description: typeof sc.description === "string" ? sc.description : "",
      text: textOf(n),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, out] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node scripts/scenario-index.mjs <scenario dir> [out file]");
    process.exit(2);
  }
  const json = `${JSON.stringify(scenarioIndex(dir), null, 2)}\n`;
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
}
