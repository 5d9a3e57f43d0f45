//! InstallSnapshot catch-up: a follower cut off while the leader commits 10,000 entries
//! rejoins, once with compaction (the leader sends its snapshot, then the short log after
//! it) and once without (the leader replays every entry, `entries_per_msg_max` at a time).
//! Prints the virtual time to catch up, the wall time the simulator took for it, and the
//! messages and bytes sent to the follower:
//! `cargo run --release -p raftlab-sim --example snapshot_catch_up -- 10000 1000`
//! (entries behind, snapshot threshold).

#![allow(clippy::disallowed_methods)] // wall-clock measurement is the point of a bench

use raft::MessageKind;
use sim::config::{ClientConfig, WorkloadConfig};
use sim::trace::TraceKind;
use sim::{Action, Endpoint, MsgKind, NodeId, SimConfig, World};
use std::time::Instant;

/// The longest a phase may run, virtual µs: a catch-up that does not happen ends the run.
const PHASE_US_MAX: u64 = 120_000_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let behind: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let threshold: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000);
    for t in [threshold, 0] {
        run(behind, t);
    }
}

fn run(behind: u64, threshold: u64) {
    let config = SimConfig {
        node_count: 3,
        snapshot_threshold_entries: threshold,
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 1_000,
            key_count: 100,
            ..WorkloadConfig::default()
        },
        clients: ClientConfig {
            count: 32,
            ..Default::default()
        },
        ..SimConfig::default()
    };
    let mut w = World::new(config, 1).unwrap();
    w.set_checkpointing(false);
    w.set_trace_capacity(1 << 20);
    w.run_until(1_000_000);
    let leader = w
        .nodes()
        .into_iter()
        .find(|n| n.role == Some(raft::Role::Leader))
        .expect("a leader within a second")
        .id;
    let f = NodeId(if leader.0 == 3 { 1 } else { 3 });
    w.apply(Action::Isolate { node: f }).unwrap();
    let lag = |w: &World| {
        let p = w.progress();
        p[leader.0 as usize - 1].commit.0 - p[f.0 as usize - 1].commit.0
    };
    let start = w.now_us();
    while lag(&w) < behind && w.now_us() - start < PHASE_US_MAX {
        w.run_until(w.now_us() + 100_000);
    }
    w.apply(Action::SetWorkload {
        enabled: Some(false),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    })
    .unwrap();
    w.run_until(w.now_us() + 500_000);
    let lag_at_heal = lag(&w);
    let trace_before = w.trace_len();
    w.apply(Action::Heal).unwrap();
    let healed_us = w.now_us();
    let wall = Instant::now();
    while lag(&w) > 0 && w.now_us() - healed_us < PHASE_US_MAX {
        w.run_until(w.now_us() + 1_000);
    }
    let wall_ms = wall.elapsed().as_secs_f64() * 1e3;
    let caught_up_us = w.now_us() - healed_us;
    let (mut msgs, mut installs) = (0u64, 0u64);
    let skip = w
        .trace()
        .len()
        .saturating_sub((w.trace_len() - trace_before) as usize);
    for r in w.trace().skip(skip) {
        if let TraceKind::Send { to, kind, .. } = &r.kind {
            if *to == Endpoint::Node(f) {
                msgs += 1;
                installs += u64::from(*kind == MsgKind::Raft(MessageKind::InstallSnapshot));
            }
        }
    }
    let fv = &w.nodes()[f.0 as usize - 1];
    let snap = fv.snapshot.map_or("none".to_string(), |s| {
        format!(
            "{}/{} {} B",
            s.last_included_term.0, s.last_included_index.0, s.size_bytes
        )
    });
    println!(
        "threshold {threshold:>5}: {lag_at_heal} entries behind; caught up in {:.1} ms virtual, {wall_ms:.1} ms wall; {msgs} messages to {f} ({installs} InstallSnapshot); its snapshot {snap}; violations {}",
        caught_up_us as f64 / 1e3,
        w.violations().len()
    );
}
