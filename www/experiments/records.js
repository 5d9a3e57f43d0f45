// Pure functions over an experiment's records (the plain objects the lab module returns):
// per-range statistics as `raftlab experiment` computes them (nearest-rank percentiles,
// integer mean), and the exports, which write what the CLI writes (`--csv`: the same bytes;
// `--json`: the same object). Run in the page and in Node (tests/node/experiment.test.mjs).

/** The value a range's statistics are over: election time (µs) or success (ppm). */
export function measuredValue(/** @type {string} */ measurement, /** @type {any} */ r) {
  return measurement === "election_time" ? r.election_us : r.ok_ppm;
}

/** The nearest-rank `p`-th percentile of sorted numbers (`p` in 1..100), or null. */
export function percentile(/** @type {number[]} */ sorted, /** @type {number} */ p) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1];
}

/**
 * One summary per range, from records in any order (fields as the CLI's `summaries`).
 * @param {string} measurement
 * @param {{ label: string, group: string }[]} ranges
 * @param {any[]} records
 */
export function summarize(measurement, ranges, records) {
  /** @type {any[][]} */
  const by = ranges.map(() => []);
  for (const r of records) by[r.range]?.push(r);
  return ranges.map((range, i) => {
    const v = by[i]
      .map((r) => measuredValue(measurement, r))
      .filter((x) => x !== null && x !== undefined)
      .sort((a, b) => a - b);
    const sum = v.reduce((a, b) => a + b, 0);
    return {
      range: i,
      label: range.label,
      group: range.group,
      trials: by[i].length,
      measured: v.length,
      min: v.length ? v[0] : null,
      p50: percentile(v, 50),
      p99: percentile(v, 99),
      max: v.length ? v[v.length - 1] : null,
      mean: v.length ? Math.floor(sum / v.length) : null,
    };
  });
}

/** A CSV field as the CLI writes it: quoted only when it holds `,`, `"` or a line break. */
function field(/** @type {unknown} */ x) {
  if (x === null || x === undefined) return "";
  const s = String(x);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The records as CSV (header, then one row per record in the order given; the records' own
 * field order is the CLI's column order). Each line ends with a line break, as the CLI prints.
 * @param {any[]} records
 */
export function toCsv(records) {
  if (records.length === 0) return "";
  const columns = Object.keys(records[0]);
  const lines = [columns.join(",")];
  for (const r of records) lines.push(columns.map((c) => field(r[c])).join(","));
  return `${lines.join("\n")}\n`;
}

/**
 * The export as the CLI's `--json` writes it: `{ name, measurement, records, summaries }`.
 * @param {{ name: string, measurement: string }} spec
 * @param {{ label: string, group: string }[]} ranges
 * @param {any[]} records in (range, trial) order
 */
export function toJson(spec, ranges, records) {
  return {
    name: spec.name,
    measurement: spec.measurement,
    records,
    summaries: summarize(spec.measurement, ranges, records),
  };
}

/** Records sorted by (range, trial): the CLI's order, whatever order the workers finished in. */
export function inRecordOrder(/** @type {any[]} */ records) {
  return [...records].sort((a, b) => a.range - b.range || a.trial - b.trial);
}
