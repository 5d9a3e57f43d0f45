// Published reproductions of Figure 16 drawn beside the page's own results: loads a reference
// data file (reference/*.json: a label, its provenance, and per range of election timeouts a few
// points of the reproduction's cumulative distribution) and finds a range's entry. The numbers
// and where each comes from are in the file; nothing here computes them.

/** The simulator reproduction of Figure 16 (Howard's ARC). */
const ARC_URL = new URL("./reference/howard-arc-2014.json", import.meta.url);

/**
 * @typedef {object} ReferenceSeries one range of a reproduction
 * @property {number} timeout_ms_min
 * @property {number} timeout_ms_max
 * @property {number} trials
 * @property {string} source which file of the reproduction's data
 * @property {string} how_read how the numbers were taken from it
 * @property {Record<string, number>} cdf_ms election time, ms, at each cumulative percent
 * @property {[number, number]} median_ci95_ms
 * @property {number} mean_ms
 */

/**
 * @typedef {object} Reference
 * @property {string} label the legend's name for it
 * @property {string} note one sentence of provenance, shown under the charts
 * @property {string} reproduction who ran what
 * @property {string} source
 * @property {string} how_read
 * @property {string[]} caveats
 * @property {ReferenceSeries[]} series
 */

/**
 * The ARC reproduction's data, or null when the file cannot be loaded (the page then shows
 * its own results and the paper's figures only, and says so).
 * @returns {Promise<Reference | null>}
 */
export async function loadArc() {
  try {
    const res = await fetch(ARC_URL);
    if (!res.ok) return null;
    return await res.json();
  } catch {
    return null;
  }
}

/**
 * The reference's series for the range `[min, max]` ms, if it has one.
 * @param {Reference | null} ref
 * @param {number} min
 * @param {number} max
 * @returns {ReferenceSeries | null}
 */
export function seriesFor(ref, min, max) {
  return ref?.series.find((s) => s.timeout_ms_min === min && s.timeout_ms_max === max) ?? null;
}

/**
 * The cumulative points of a series, in increasing percent: `[{ pct, ms }]`.
 * @param {ReferenceSeries} s
 */
export function cdfPoints(s) {
  return Object.entries(s.cdf_ms)
    .map(([pct, ms]) => ({ pct: Number(pct), ms }))
    .sort((a, b) => a.pct - b.pct);
}
