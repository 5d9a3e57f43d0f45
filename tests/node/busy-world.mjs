// The busy world the frame benchmarks run (tests/e2e/bench-frame.mjs in Chromium,
// tests/node/bench-events-text.mjs in Node), declared once so their figures compare.

/** 9 nodes with ~150 messages in flight: 100–300 ms links, 25 ms heartbeats, 12 busy clients. */
export const BUSY_9_NODES = {
  node_count: 9,
  election_timeout_us_min: 1_000_000,
  election_timeout_us_max: 2_000_000,
  heartbeat_interval_us: 25_000,
  network: { latency_us_min: 100_000, latency_us_max: 300_000 },
  clients: { count: 12, latency_us_min: 20_000, latency_us_max: 60_000 },
  workload: { enabled: true, rate_ops_per_s: 20, key_count: 5 },
};
