//! The checker on histories the simulator produced: with a linearizable read path every
//! history checks out under faults; with stale reads the checker finds violations.

use sim::config::ReadPath;
use sim::{Action, NodeId, SimConfig, World};

/// Runs a 5-node world with a workload through a partition, a leader-area crash and a heal.
fn faulty_run(seed: u64, read_path: ReadPath) -> check::Report {
    let mut config = SimConfig {
        read_path,
        ..SimConfig::default()
    };
    config.clients.count = 4;
    config.workload.enabled = true;
    config.workload.rate_ops_per_s = 40;
    config.workload.key_count = 2;
    config.workload.mix = sim::config::OpMix {
        put: 2,
        get: 4,
        append: 1,
        cas: 1,
    };
    let mut w = World::new(config, seed).expect("valid config");
    let minority = (seed % 5) as u32 + 1;
    let crashed = NodeId(((seed + 2) % 5 + 1) as u32);
    w.schedule(
        600_000,
        Action::Isolate {
            node: NodeId(minority),
        },
    );
    w.schedule(
        1_000_000,
        Action::Isolate {
            node: NodeId(minority % 5 + 1),
        },
    );
    w.schedule(1_400_000, Action::Crash { node: crashed });
    w.schedule(2_000_000, Action::Heal);
    w.schedule(2_300_000, Action::Restart { node: crashed });
    w.run_until(3_500_000);
    let history = check::parse_history(&sim::history::to_json(&w.history()))
        .expect("the simulator's history parses");
    check::check_history(&history, &check::Options::default())
}

#[test]
fn histories_of_linearizable_read_paths_are_linearizable_under_faults() {
    for read_path in [ReadPath::Log, ReadPath::ReadIndex] {
        for seed in 1..=12 {
            let report = faulty_run(seed, read_path);
            assert_ne!(
                report.linearizability.verdict,
                check::Verdict::Violated,
                "seed {seed}, {read_path:?}: {}",
                report.to_text()
            );
        }
    }
}

#[test]
fn stale_reads_produce_violations_that_the_checker_finds() {
    let found: Vec<u64> = (1..=24)
        .filter(|&seed| {
            faulty_run(seed, ReadPath::Stale).linearizability.verdict == check::Verdict::Violated
        })
        .collect();
    println!("stale reads: violations found with seeds {found:?} (of 1..=24)");
    assert!(found.len() >= 3, "only {found:?}");
}
