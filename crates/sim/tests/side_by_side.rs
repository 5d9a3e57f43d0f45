//! Raft and the AP store in lock step under one partition (`sim::side_by_side`): the AP
//! store answers on both sides and is not linearizable; Raft answers only where a
//! majority is and stays linearizable; after the heal both converge. Actions only Raft
//! has are refused for both sides.

use sim::ap::ApConfig;
use sim::side_by_side::SideBySide;
use sim::{Action, NodeId, SimConfig};

fn pair(seed: u64) -> SideBySide {
    let mut c = SimConfig::default();
    c.workload.enabled = true;
    c.workload.rate_ops_per_s = 20;
    c.workload.key_count = 2;
    c.clients.count = 5;
    c.clients.home_side_only = true;
    SideBySide::new(c, ApConfig::default(), seed).unwrap()
}

#[test]
fn under_one_partition_ap_answers_everywhere_and_raft_only_on_the_majority_side() {
    let mut s = pair(3);
    s.run_until(1_000_000);
    let groups = vec![
        vec![NodeId(1), NodeId(2)],
        vec![NodeId(3), NodeId(4), NodeId(5)],
    ];
    s.apply(Action::Partition { groups }).unwrap();
    s.run_until(4_000_000);
    let during = s.report(&check::Options::default());
    println!("{during:?}");
    let (raft, ap) = (&during.raft, &during.ap);
    assert!(ap.ops_in_partitions > 50, "{ap:?}");
    assert_eq!(
        ap.ops_ok_in_partitions, ap.ops_in_partitions,
        "AP: every one answered"
    );
    assert_eq!(
        raft.clients_unanswered, 2,
        "Raft: the minority side's clients (c1, c2, at home on n1, n2) get no answer: {raft:?}"
    );
    assert_eq!(ap.clients_unanswered, 0);
    assert!(
        raft.ops_ok_in_partitions > 0,
        "Raft: the majority side answers"
    );
    assert_eq!(raft.linearizability, "ok");
    assert_eq!(ap.linearizability, "violated");
    assert!(ap.stale_replicas > 0, "the AP sides diverged");
    s.apply(Action::Heal).unwrap();
    let off = Action::SetWorkload {
        enabled: Some(false),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    };
    s.apply(off).unwrap();
    s.run_until(7_000_000);
    let after = s.report(&check::Options::default());
    assert!(after.raft.converged && after.ap.converged, "{after:?}");
    assert_eq!(after.ap.stale_replicas, 0);
    // The lag: sampled throughout, AP's above zero while cut apart, zero at the end.
    let lag = s.lag();
    assert!(lag
        .iter()
        .any(|l| l.at_us > 1_000_000 && l.at_us < 4_000_000 && l.ap > 0));
    assert_eq!(lag.last().map(|l| l.ap), Some(0));
}

#[test]
fn an_action_only_raft_has_is_refused_for_both_and_changes_neither() {
    let mut s = pair(1);
    s.run_until(500_000);
    let (a, b) = (s.raft().trace_hash(), s.ap().trace_hash());
    let err = s.apply(Action::Campaign { node: NodeId(1) }).unwrap_err();
    assert_eq!(err.field, "type");
    assert_eq!((s.raft().trace_hash(), s.ap().trace_hash()), (a, b));
}

#[test]
fn seeking_back_replays_both_sides_to_the_same_traces() {
    let mut s = pair(9);
    s.run_until(500_000);
    s.apply(Action::Isolate { node: NodeId(1) }).unwrap();
    s.run_until(2_000_000);
    let hashes = (s.raft().trace_hash(), s.ap().trace_hash());
    let samples = s.lag().len();
    s.seek(800_000);
    s.run_until(2_000_000);
    assert_eq!((s.raft().trace_hash(), s.ap().trace_hash()), hashes);
    assert_eq!(s.lag().len(), samples);
}

#[test]
fn lag_buckets_keep_every_excursion_within_the_points_asked_for() {
    let mut s = pair(3);
    s.run_until(500_000);
    s.apply(Action::Isolate { node: NodeId(1) }).unwrap();
    s.run_until(3_000_000);
    let all = s.lag();
    for points in [1, 7, 64, all.len(), all.len() * 2] {
        let b = s.lag_buckets(points);
        assert!(b.len() <= points.max(1), "{} buckets for {points}", b.len());
        assert_eq!(b[0].at_us, all[0].at_us);
        let most = |f: fn(&sim::side_by_side::LagSample) -> u32,
                    v: &[sim::side_by_side::LagSample]| {
            v.iter().map(f).max()
        };
        assert_eq!(most(|x| x.ap, &b), most(|x| x.ap, all));
        assert_eq!(most(|x| x.raft, &b), most(|x| x.raft, all));
    }
    assert_eq!(s.lag_buckets(all.len()), all.to_vec());
}
