//! Simulator throughput figures (not a timed test):
//! `CARGO_TARGET_DIR=target/sim cargo bench -p raftlab-sim --bench sim`.
#![allow(clippy::disallowed_methods)] // wall-clock measurement is the point of a bench

use sim::config::WorkloadConfig;
use sim::{Action, SimConfig, World};
use std::time::Instant;

/// One timed run of the steady load.
struct SteadyRun {
    wall_s: f64,
    /// Trace records: every send, delivery, drop, timer firing, role change, persist,
    /// commit, apply and client invocation and completion, the events the trace lists.
    trace_events: u64,
    /// Queue events: message deliveries and node and client timer firings (a send and its
    /// delivery are one queue event).
    queue_events: u64,
}

fn steady(nodes: u32) {
    const VIRTUAL_US: u64 = 60_000_000;
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
    let best = (0..3)
        .map(|_| {
            let mut w = World::new(config.clone(), 1).unwrap();
            w.set_checkpointing(false);
            w.set_trace_capacity(1024);
            let t = Instant::now();
            w.run_until(VIRTUAL_US);
            SteadyRun {
                wall_s: t.elapsed().as_secs_f64(),
                trace_events: w.trace_len(),
                queue_events: w.events_processed(),
            }
        })
        .min_by(|a, b| a.wall_s.total_cmp(&b.wall_s))
        .expect("three runs");
    let per_s = |n: u64| n as f64 / best.wall_s / 1e6;
    println!(
        "{nodes} nodes, 8 clients x 200 ops/s, 60 s virtual: {:>5.2} M events/s ({} trace events), {:>5.2} M queue events/s ({} deliveries and timer firings), {:>4.0} simulated s per wall s",
        per_s(best.trace_events),
        best.trace_events,
        per_s(best.queue_events),
        best.queue_events,
        VIRTUAL_US as f64 / 1e6 / best.wall_s,
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
        let leader = w.leaders().first().map(|l| l.node).expect("a leader");
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
