//! Log compaction in the simulator: nodes snapshot their KV store (sessions included) and
//! compact; a follower partitioned while the leader compacts is restored by InstallSnapshot;
//! a restarted node recovers from snapshot plus log to the same state; the safety monitors
//! raise no false alarm across compaction and still catch the bugs they exist for.

use raft::Role;
use sim::config::{ClientConfig, WorkloadConfig};
use sim::{Action, MsgKind, NodeId, SimConfig, World};
use std::path::PathBuf;

const SEED: u64 = 7;

fn seed() -> u64 {
    std::env::var("SNAPSHOT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}

/// A world with a steady workload and the given snapshot threshold, checked.
fn world(node_count: u32, threshold: u64) -> World {
    let seed = seed();
    println!("seed {seed} (replay: SNAPSHOT_SEED={seed})");
    let config = SimConfig {
        node_count,
        snapshot_threshold_entries: threshold,
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 40,
            ..WorkloadConfig::default()
        },
        clients: ClientConfig {
            count: 2,
            ..Default::default()
        },
        ..SimConfig::default()
    };
    let mut w = World::new(config, seed).unwrap();
    w.set_checked(true);
    w
}

fn leader(w: &World) -> Option<NodeId> {
    w.nodes()
        .into_iter()
        .filter(|n| n.role == Some(Role::Leader))
        .max_by_key(|n| n.term)
        .map(|n| n.id)
}

/// A hash of a node's KV map (the state machine's data).
fn kv_hash(w: &World, n: NodeId) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, v) in w.nodes()[n.0 as usize - 1].kv.iter() {
        for b in k.bytes().chain([0]).chain(v.bytes()).chain([0]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn no_violations(w: &World) {
    assert!(
        w.violations().is_empty(),
        "violations: {:?}",
        w.violations()
    );
}

/// Stops the workload and lets the cluster converge.
fn settle(w: &mut World, until_us: u64) {
    w.apply(Action::SetWorkload {
        enabled: Some(false),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    })
    .unwrap();
    w.run_until(until_us);
}

#[test]
fn healthy_runs_with_compaction_raise_no_alarm_and_agree() {
    for nodes in [3, 5] {
        let mut w = world(nodes, 8);
        w.run_until(6_000_000);
        settle(&mut w, 8_000_000);
        no_violations(&w);
        let views = w.nodes();
        let l = leader(&w).expect("a leader");
        let lv = &views[l.0 as usize - 1];
        let snap = lv.snapshot.expect("the leader compacted");
        assert!(snap.last_included_index.0 >= 8, "{snap:?}");
        assert!(lv.log_first_index > snap.last_included_index);
        assert_eq!(lv.log_len, lv.log_first_index.0 + lv.log.len() as u64 - 1);
        for v in &views {
            assert_eq!(v.commit, lv.commit, "{} converged", v.id);
            assert_eq!(
                kv_hash(&w, v.id),
                kv_hash(&w, l),
                "{} has the leader's state",
                v.id
            );
        }
    }
}

#[test]
fn a_follower_partitioned_while_the_leader_compacts_is_restored_by_install_snapshot() {
    let mut w = world(3, 10);
    w.run_until(1_000_000);
    let l = leader(&w).expect("a leader within a second");
    let f = NodeId(if l.0 == 3 { 1 } else { 3 });
    w.apply(Action::Isolate { node: f }).unwrap();
    w.run_until(5_000_000);
    let behind = w.nodes()[f.0 as usize - 1].log_len;
    let lv = w.nodes()[l.0 as usize - 1].clone();
    let snap = lv
        .snapshot
        .expect("the leader compacted during the partition");
    assert!(snap.last_included_index.0 > behind, "{snap:?} vs {behind}");
    w.apply(Action::Heal).unwrap();
    settle(&mut w, 8_000_000);
    no_violations(&w);
    let installs = w
        .trace()
        .filter(|r| {
            matches!(&r.kind, sim::trace::TraceKind::Send { kind: MsgKind::Raft(raft::MessageKind::InstallSnapshot), to, .. }
                if *to == sim::wire::Endpoint::Node(f))
        })
        .count();
    assert!(installs >= 1, "{f} got no InstallSnapshot");
    // Messages the view shows carry the snapshot only when they are InstallSnapshot.
    for m in w.messages() {
        let is_install = m.kind == MsgKind::Raft(raft::MessageKind::InstallSnapshot);
        assert_eq!(m.snapshot.is_some(), is_install, "{}", m.summary);
    }
    let fv = &w.nodes()[f.0 as usize - 1];
    assert!(fv.snapshot.is_some(), "{f} holds a snapshot");
    assert_eq!(fv.commit, w.nodes()[l.0 as usize - 1].commit);
    assert_eq!(kv_hash(&w, f), kv_hash(&w, l), "{f} has the leader's state");
}

#[test]
fn a_node_restarted_from_snapshot_plus_log_recovers_the_same_state() {
    let mut w = world(3, 6);
    w.run_until(3_000_000);
    settle(&mut w, 4_000_000);
    let n = NodeId(2);
    let before = w.nodes()[n.0 as usize - 1].clone();
    assert!(before.snapshot.is_some(), "n2 compacted");
    assert!(
        before.log_len > before.snapshot.unwrap().last_included_index.0,
        "and has a log after it"
    );
    let hash = kv_hash(&w, n);
    w.apply(Action::Crash { node: n }).unwrap();
    w.apply(Action::Restart { node: n }).unwrap();
    let after = &w.nodes()[n.0 as usize - 1];
    assert_eq!(after.snapshot, before.snapshot, "the same snapshot");
    assert_eq!(after.log_len, before.log_len, "the same log");
    w.run_until(5_000_000);
    no_violations(&w);
    assert_eq!(kv_hash(&w, n), hash, "the same state after the restart");
}

fn scenario(name: &str) -> sim::Scenario {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{name}.json"));
    sim::Scenario::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// The monitors still catch a toggle's bug when nodes compact after every entry:
/// the compacted prefix still counts.
#[test]
fn the_monitors_catch_the_toggles_bugs_with_compaction_on() {
    for name in ["toggle_figure8", "toggle_vote_without_log_check"] {
        let plain = scenario(name);
        let (without, _) = sim::run_scenario_with(&plain, true).unwrap();
        let want: Vec<_> = without.violations().iter().map(|v| v.monitor).collect();
        assert!(!want.is_empty(), "{name} trips a monitor");
        {
            let threshold = 1;
            let mut s = plain.clone();
            s.config.snapshot_threshold_entries = threshold;
            let (w, _) = sim::run_scenario_with(&s, true).unwrap();
            let got: Vec<_> = w.violations().iter().map(|v| v.monitor).collect();
            println!("{name}, threshold {threshold}: {got:?} (without compaction {want:?})");
            // The bug's root is caught as before: the leader without the committed entry.
            let root = sim::monitor::MonitorId::LeaderCompleteness;
            if want.contains(&root) {
                assert!(
                    got.contains(&root),
                    "{name}, threshold {threshold}: {got:?}"
                );
            }
            // Its consequence may show another way: a follower that compacted the entry
            // cannot truncate it, so the new leader's entry there diverges from its state
            // (State Machine Safety) instead of replacing it (committed-entry-lost).
            assert!(
                got.iter().any(|m| want.contains(m)),
                "{name}, threshold {threshold}: none of {want:?} caught; got {got:?}"
            );
            // Compaction happened before the bug was caught, or the test shows nothing.
            let first_violation_us = w.violations().iter().map(|v| v.time_us).min().unwrap();
            let compacted_before = w
                .trace()
                .filter(|r| r.time_us <= first_violation_us)
                .filter(|r| {
                    matches!(
                        &r.kind,
                        sim::trace::TraceKind::Node {
                            event: raft::Event::LogCompacted { .. },
                            ..
                        }
                    )
                })
                .count();
            assert!(
                compacted_before > 0,
                "{name}, threshold {threshold}: no compaction before the violation"
            );
        }
    }
}

#[test]
fn a_threshold_past_its_bound_is_refused_naming_the_field() {
    let mut w = world(3, 0);
    let e = w
        .apply(Action::SetSnapshotThreshold {
            snapshot_threshold_entries: sim::limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX + 1,
        })
        .unwrap_err();
    assert_eq!(e.field, "snapshot_threshold_entries");
    let c = SimConfig {
        snapshot_threshold_entries: sim::limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX + 1,
        ..SimConfig::default()
    };
    assert_eq!(
        c.validate().unwrap_err().field,
        "snapshot_threshold_entries"
    );
}

#[test]
fn set_snapshot_threshold_turns_compaction_on_in_a_running_world() {
    let mut w = world(3, 0);
    w.run_until(2_000_000);
    assert!(
        w.nodes().iter().all(|n| n.snapshot.is_none()),
        "off by default"
    );
    w.apply(Action::SetSnapshotThreshold {
        snapshot_threshold_entries: 5,
    })
    .unwrap();
    w.run_until(4_000_000);
    no_violations(&w);
    assert!(
        w.nodes().iter().all(|n| n.snapshot.is_some()),
        "every node compacted"
    );
}

/// A chain of digests for entries of the given terms (the host's digests, by hand).
fn chain(terms: &[u64]) -> raft::ChunkVec<sim::monitor::Digest> {
    let mut c = raft::ChunkVec::new();
    for (i, &t) in terms.iter().enumerate() {
        c.push(sim::monitor::Digest {
            term: sim::Term(t),
            chain: 1000 * (i as u64 + 1) + t,
        });
    }
    c
}

#[test]
fn a_snapshot_must_end_in_the_committed_entry_and_brings_the_committed_prefix() {
    use sim::monitor::{MonitorId, Monitors};
    let id = |t: u64, i: u64| raft::EntryId {
        term: sim::Term(t),
        index: sim::LogIndex(i),
    };
    let mut m = Monitors::default();
    let leader = chain(&[1, 1, 2, 2]);
    m.on_commit(0, NodeId(1), sim::Term(2), sim::LogIndex(3), &leader);
    // The leader's own compaction: its digests already end in the committed prefix.
    assert!(m
        .on_snapshot(1, NodeId(1), id(2, 3), sim::LogIndex(0), &leader)
        .is_none());
    // A follower with a stale log takes the leader's snapshot: it gets the committed prefix.
    let stale = chain(&[1, 1, 1]);
    let got = m
        .on_snapshot(2, NodeId(2), id(2, 3), sim::LogIndex(0), &stale)
        .expect("the committed prefix");
    assert_eq!(got.to_vec(), leader.to_vec_range(0, 3));
    assert!(m.violations().is_empty());
    // A snapshot through an entry that is not the committed one breaks State Machine Safety.
    m.on_snapshot(3, NodeId(3), id(1, 3), sim::LogIndex(0), &stale);
    let v = m.violations();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].monitor, MonitorId::StateMachineSafety);
    // The digests keep the compacted prefix (the host never shortens them), so a node that
    // compacted through 2 and truncates from the committed entry 3 is compared at index 3.
    let mut m = Monitors::default();
    m.on_commit(0, NodeId(1), sim::Term(2), sim::LogIndex(3), &leader);
    m.on_truncate(1, NodeId(2), sim::Term(2), false, sim::LogIndex(3), &leader);
    assert_eq!(m.violations()[0].monitor, MonitorId::CommittedEntryLost);
}

#[test]
fn an_install_snapshot_in_flight_shows_its_boundary_and_size() {
    let mut w = world(3, 10);
    w.run_until(1_000_000);
    let l = leader(&w).expect("a leader within a second");
    let f = NodeId(if l.0 == 3 { 1 } else { 3 });
    w.apply(Action::Isolate { node: f }).unwrap();
    w.run_until(4_000_000);
    w.apply(Action::HoldNext {
        from: Some(sim::Endpoint::Node(l)),
        to: Some(sim::Endpoint::Node(f)),
        kind: Some(MsgKind::Raft(raft::MessageKind::InstallSnapshot)),
        count: 1,
    })
    .unwrap();
    w.apply(Action::Heal).unwrap();
    w.run_until(5_000_000);
    let m = w
        .messages()
        .into_iter()
        .find(|m| m.kind == MsgKind::Raft(raft::MessageKind::InstallSnapshot))
        .expect("the held InstallSnapshot");
    let s = m.snapshot.expect("its snapshot in the view");
    let leader_snap = w.nodes()[l.0 as usize - 1].snapshot.unwrap();
    assert!(s.last_included_index <= leader_snap.last_included_index);
    assert!(s.last_included_index.0 >= 10 && s.size_bytes > 8, "{s:?}");
    assert!(m.summary.contains("InstallSnapshot"), "{}", m.summary);
}
