//! The AP store hosted by the world (`SimConfig.ap`, `sim::ap`): available on both sides
//! of a partition, not linearizable while concurrent writes race across it, converged
//! after the heal; Raft's own actions refused with the field named; deterministic.

use check::{check_history, Options, Verdict};
use sim::ap::ApConfig;
use sim::{Action, NodeId, SimConfig, World};

fn ap_config(node_count: u32) -> SimConfig {
    let mut c = SimConfig {
        node_count,
        ap: Some(ApConfig::default()),
        ..SimConfig::default()
    };
    c.workload.enabled = true;
    c.workload.rate_ops_per_s = 40;
    c.workload.key_count = 2;
    c.clients.count = 4;
    c
}

fn partition(groups: &[&[u32]]) -> Action {
    Action::Partition {
        groups: groups
            .iter()
            .map(|g| g.iter().map(|&n| NodeId(n)).collect())
            .collect(),
    }
}

fn workload_off() -> Action {
    Action::SetWorkload {
        enabled: Some(false),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    }
}

#[test]
fn both_sides_answer_during_a_partition_and_the_replicas_converge_after_the_heal() {
    let mut w = World::new(ap_config(5), 7).unwrap();
    w.run_until(500_000);
    w.apply(partition(&[&[1, 2], &[3, 4, 5]])).unwrap();
    let (from_us, to_us) = (500_000, 2_500_000);
    w.run_until(to_us);
    let h = w.history();
    let during: Vec<_> = h
        .operations
        .iter()
        .filter(|o| o.invoke_us >= from_us && o.complete_us.is_some_and(|c| c <= to_us))
        .collect();
    assert!(during.len() > 40, "{} operations answered", during.len());
    let sides: std::collections::BTreeSet<bool> = during
        .iter()
        .filter_map(|o| o.node)
        .map(|n| n <= 2)
        .collect();
    assert_eq!(sides.len(), 2, "answered on both sides");
    let report = check_history(&w.history(), &Options::default());
    assert_eq!(report.linearizability.verdict, Verdict::Violated);
    assert!(!w.converged(), "the sides diverged while cut apart");
    w.apply(Action::Heal).unwrap();
    w.apply(workload_off()).unwrap();
    w.advance(3_000_000);
    assert!(
        w.converged(),
        "replicas hold the same versions after the heal"
    );
    let report = check_history(&w.history(), &Options::default());
    assert_eq!(report.convergence.verdict, Verdict::Ok);
}

#[test]
fn raft_actions_are_refused_and_faults_accepted() {
    let mut w = World::new(ap_config(3), 1).unwrap();
    let hash = w.trace_hash();
    let err = w.apply(Action::Campaign { node: NodeId(1) }).unwrap_err();
    assert_eq!(err.field, "type");
    assert_eq!(
        err.problem,
        "campaign acts on Raft, and this world runs the AP store"
    );
    assert_eq!(w.trace_hash(), hash, "unchanged");
    w.apply(Action::Crash { node: NodeId(2) }).unwrap();
    assert!(w.apply(Action::Crash { node: NodeId(2) }).is_err());
    w.advance(500_000);
    w.apply(Action::Restart { node: NodeId(2) }).unwrap();
    w.apply(Action::Pause { node: NodeId(3) }).unwrap();
    w.advance(500_000);
    w.apply(Action::Resume { node: NodeId(3) }).unwrap();
    w.apply(workload_off()).unwrap();
    w.advance(3_000_000);
    assert!(w.converged());
}

#[test]
fn same_seed_same_trace_and_seek_replays_it() {
    let run = || {
        let mut w = World::new(ap_config(5), 99).unwrap();
        w.run_until(300_000);
        w.apply(partition(&[&[1], &[2, 3, 4, 5]])).unwrap();
        w.run_until(1_200_000);
        w.apply(Action::Heal).unwrap();
        w.run_until(2_000_000);
        w
    };
    let mut a = run();
    let b = run();
    assert_eq!(a.trace_hash(), b.trace_hash());
    let hash = a.trace_hash();
    a.seek(600_000);
    a.run_until(2_000_000);
    assert_eq!(a.trace_hash(), hash, "seek and replay give the same trace");
}

#[test]
fn a_bad_ap_setting_is_refused_with_its_field() {
    let mut c = ap_config(3);
    c.ap = Some(ApConfig {
        read_quorum: 0,
        ..ApConfig::default()
    });
    let err = World::new(c, 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ap.read_quorum: must be 1..=3 (the replicas), got 0"
    );
    let json = r#"{"node_count": 3, "ap": {"write_quorum": 2, "bogus": 1}}"#;
    let err = sim::json::from_json_named::<SimConfig>("config", json).unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");
    let json = r#"{"node_count": 3, "ap": {"write_quorum": 2}}"#;
    let c = sim::json::from_json_named::<SimConfig>("config", json).unwrap();
    assert_eq!(c.ap.map(|a| a.write_quorum), Some(2));
}
