//! A fixed steady-load run for profilers (callgrind, perf):
//! `cargo run --release -p raftlab-sim --example profile_steady -- 5 10`
//! (nodes, virtual seconds).

use sim::config::{ClientConfig, WorkloadConfig};
use sim::{SimConfig, World};

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let secs: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let config = SimConfig {
        node_count: nodes,
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 200,
            ..WorkloadConfig::default()
        },
        clients: ClientConfig {
            count: 8,
            ..Default::default()
        },
        ..SimConfig::default()
    };
    let mut w = World::new(config, 1).unwrap();
    w.set_checkpointing(false);
    w.set_trace_capacity(1024);
    w.run_until(secs * 1_000_000);
    println!(
        "{} events, trace {} records, hash {}",
        w.events_processed(),
        w.trace_len(),
        w.trace_hash()
    );
}
