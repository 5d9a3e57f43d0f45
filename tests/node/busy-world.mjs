// The busy world of the frame benchmarks (tests/e2e/bench-frame.mjs in Chromium,
// tests/node/bench-events-text.mjs in Node) and of the captured page fixtures
// (web/test/fixtures/capture-fixtures.mjs), declared once so their figures compare.

/**
 * Many messages in flight: slow links (100–300 ms; election timeouts 1–2 s to match), 25 ms
 * heartbeats and 12 busy clients.
 * @param {number} node_count
 */
export const busyWorld = (node_count) => ({
  node_count,
  election_timeout_us_min: 1_000_000,
  election_timeout_us_max: 2_000_000,
  heartbeat_interval_us: 25_000,
  network: { latency_us_min: 100_000, latency_us_max: 300_000 },
  clients: { count: 12, latency_us_min: 20_000, latency_us_max: 60_000 },
  workload: { enabled: true, rate_ops_per_s: 20, key_count: 5 },
});
