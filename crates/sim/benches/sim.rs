//! Simulator throughput figures (not a timed test):
//! `CARGO_TARGET_DIR=target/sim cargo bench -p raftlab-sim --bench sim`.
#![allow(clippy::disallowed_methods)] // wall-clock measurement is the point of a bench

use sim::config::WorkloadConfig;
use sim::{Action, SimConfig, World};
use std::time::Instant;

/// Events are queue events (message deliveries, node and client timer firings); trace
/// records, printed beside them, also count sends, persists, commits, applies and client
/// invocations and completions (about 2.7 per queue event under this load).
fn steady(nodes: u32) {
    let config = SimConfig {
        node_count: nodes,
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 200,
            ..WorkloadConfig::default()
        },
        clients: sim::config::ClientConfig {
            count: 8,
            ..Default::default()
        },
        ..SimConfig::default()
    };
    // (queue events/s, simulated s per wall s, queue events, trace records/s)
    let mut best = (0.0f64, 0.0f64, 0u64, 0.0f64);
    for _ in 0..3 {
        let mut w = World::new(config.clone(), 1).unwrap();
        w.set_checkpointing(false);
        w.set_trace_capacity(1024);
        let virt_us = 60_000_000;
        let t = Instant::now();
        w.run_until(virt_us);
        let wall = t.elapsed().as_secs_f64();
        let eps = w.events_processed() as f64 / wall;
        if eps > best.0 {
            best = (
                eps,
                virt_us as f64 / 1e6 / wall,
                w.events_processed(),
                w.trace_len() as f64 / wall,
            );
        }
    }
    println!(
        "{nodes} nodes, 8 clients x 200 ops/s: {:>6.2} M events/s, {:>8.0} simulated s per wall s ({} events in 60 s virtual); {:.2} M trace records/s",
        best.0 / 1e6,
        best.1,
        best.2,
        best.3 / 1e6
    );
}

fn leader_crash_trials(trials: u64) {
    let t = Instant::now();
    let mut total_election_us = 0u64;
    for seed in 0..trials {
        let mut w = World::new(SimConfig::default(), seed).unwrap();
        w.set_checkpointing(false);
        w.set_trace_capacity(0);
        w.run_until(1_000_000);
        let leader = w.leaders().first().map(|l| l.0).expect("a leader");
        let crash_at = w.now_us();
        w.apply(Action::Crash { node: leader }).unwrap();
        while w.leaders().is_empty() {
            w.advance(1_000);
        }
        total_election_us += w.now_us() - crash_at;
    }
    let wall = t.elapsed().as_secs_f64();
    println!(
        "{trials} leader-crash election trials (5 nodes): {:.3} s wall, mean new-leader time {:.1} ms virtual",
        wall,
        total_election_us as f64 / trials as f64 / 1000.0
    );
}

fn main() {
    for n in [3, 5, 9] {
        steady(n);
    }
    leader_crash_trials(1_000);
}
