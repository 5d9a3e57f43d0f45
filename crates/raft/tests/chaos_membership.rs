//! Randomized fault schedules mixed with membership changes: 5 servers, 3 of them the
//! bootstrap voters, the others joining later. After every input the nodes' invariants
//! hold (debug builds), no index is applied with two different entries, no term has two
//! leaders (every election seen, not only the live leaders), and the configurations the
//! nodes apply follow the model of allowed changes. Then the faults stop and the members
//! of the final configuration converge.
//!
//! `RAFTLAB_MEMBERSHIP_SEED=N` replays one seed (each failure names its seed).

mod common;
use common::*;
use raft::{Config, Configuration, EntryPayload, Event, MembershipChange, NodeId, ReadMode, Role};
use std::collections::BTreeMap;

const SERVERS: u32 = 5;
const STEPS: usize = 300;

/// SplitMix64, so every seed replays identically.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn server(&mut self) -> u32 {
        self.below(u64::from(SERVERS)) as u32 + 1
    }
}

/// The model of allowed configuration sequences: from a simple configuration, one voter
/// more or less (learners may change) or entering a joint configuration whose outgoing
/// half is the old voters; from a joint configuration, only its C_new.
fn allowed(prev: &Configuration, next: &Configuration) -> bool {
    if prev.is_joint() {
        return *next == prev.leave_joint();
    }
    if next.is_joint() {
        return next.outgoing() == prev.voters();
    }
    let differ = |a: &[NodeId], b: &[NodeId]| a.iter().filter(|x| !b.contains(x)).count();
    differ(prev.voters(), next.voters()) + differ(next.voters(), prev.voters()) <= 1
}

fn random_change(rng: &mut Rng) -> MembershipChange {
    let id = NodeId(rng.server());
    match rng.below(6) {
        0 => MembershipChange::AddLearner(id),
        1 => MembershipChange::AddVoter(id),
        2 => MembershipChange::PromoteLearner(id),
        3 => MembershipChange::Remove(id),
        _ => {
            let voters: Vec<NodeId> = (1..=SERVERS)
                .filter(|_| rng.below(2) == 0)
                .map(NodeId)
                .collect();
            let learners: Vec<NodeId> = (1..=SERVERS)
                .map(NodeId)
                .filter(|v| !voters.contains(v) && rng.below(3) == 0)
                .collect();
            let target = Configuration::with_learners(voters, learners).expect("disjoint");
            MembershipChange::Joint(target)
        }
    }
}

fn check_safety(c: &Cluster, seed: u64) {
    assert!(c.violations.is_empty(), "seed {seed}: {:?}", c.violations);
    let mut leader_of_term = BTreeMap::new();
    for (i, events) in c.events.iter().enumerate() {
        for e in events {
            if let Event::RoleChanged {
                to: Role::Leader,
                term,
                ..
            } = e
            {
                if let Some(other) = leader_of_term.insert(*term, i + 1) {
                    assert_eq!(other, i + 1, "seed {seed}: two leaders in {term}");
                }
            }
        }
    }
    for (i, applied) in c.applied.iter().enumerate() {
        // `None` after a configuration restored from a snapshot (its value is not kept).
        let mut conf = Some(c.configuration.clone());
        for e in applied {
            match &e.payload {
                EntryPayload::Config(next) => {
                    if let Some(prev) = &conf {
                        assert!(
                            allowed(prev, next),
                            "seed {seed}: n{} applied {prev} -> {next} at {}",
                            i + 1,
                            e.id
                        );
                    }
                    conf = Some((**next).clone());
                }
                EntryPayload::Command(RESTORED_CONFIG) => conf = None,
                _ => {}
            }
        }
    }
}

/// Runs one seed; returns how many membership changes were accepted. With `liveness`,
/// the faults then stop and the cluster must converge.
fn run(seed: u64, config: Config, liveness: bool) -> u32 {
    run_counting(seed, config, liveness).0
}

/// [`run`], also returning how many snapshots were delivered.
fn run_counting(seed: u64, config: Config, liveness: bool) -> (u32, usize) {
    let mut rng = Rng(seed);
    let mut c = Cluster::growing(SERVERS, 3, config);
    let mut drop_rng = Rng(seed ^ 0xABCD);
    c.drop_filter = Some(Box::new(move |_| drop_rng.below(10) == 0));
    let (mut next_cmd, mut next_read, mut changes) = (0, 0, 0);
    for _ in 0..STEPS {
        match rng.below(12) {
            0..=3 => c.advance(rng.below(120_000)),
            4 => {
                if let Some(l) = c.leader() {
                    next_cmd += 1;
                    let _ = c.propose(l, next_cmd);
                }
            }
            5 | 6 => {
                if let Some(l) = c.leader() {
                    changes += u32::from(c.change(l, random_change(&mut rng)).is_ok());
                }
            }
            7 => {
                let id = rng.server();
                if rng.below(2) == 0 {
                    c.isolate(id);
                } else {
                    c.heal();
                }
            }
            8 => {
                let id = rng.server();
                if c.nodes[id as usize - 1].is_some() {
                    c.crash(id);
                } else {
                    c.restart(id);
                }
            }
            9 => {
                if let Some(l) = c.leader() {
                    next_read += 1;
                    let _ = c.read(l, next_read);
                }
            }
            _ => {
                let id = rng.server();
                if c.nodes[id as usize - 1].is_some() {
                    c.campaign(id);
                }
            }
        }
        check_safety(&c, seed);
    }
    let installs = |c: &Cluster| {
        c.delivered
            .iter()
            .filter(|e| matches!(e.msg, raft::Message::InstallSnapshot(_)))
            .count()
    };
    if !liveness {
        return (changes, installs(&c));
    }
    // Liveness: heal everything; the members of the configuration in force converge.
    c.heal();
    c.drop_filter = None;
    for id in 1..=SERVERS {
        if c.nodes[id as usize - 1].is_none() {
            c.restart(id);
        }
    }
    c.advance(3_000_000);
    let Some(l) = c.leader() else {
        let state: Vec<String> = (1..=SERVERS)
            .map(|id| {
                let v = c.node(id).view();
                let confs: Vec<String> = v
                    .log
                    .iter()
                    .filter(|e| matches!(e.payload, EntryPayload::Config(_)))
                    .map(|e| e.to_string())
                    .collect();
                format!(
                    "n{id} {} {} commit={} last={} {} [{}]",
                    v.role,
                    v.term,
                    v.commit,
                    v.log.len(),
                    v.configuration,
                    confs.join(", ")
                )
            })
            .collect();
        panic!(
            "seed {seed}: no leader after healing:\n{}",
            state.join("\n")
        );
    };
    c.propose(l, 1_000_000).unwrap();
    c.advance(500_000);
    let view = c.node(l).view();
    let (commit, members) = (view.commit, view.configuration.members());
    for id in members {
        assert_eq!(
            c.node(id.0).view().commit,
            commit,
            "seed {seed}: {id} caught up"
        );
    }
    check_safety(&c, seed);
    (changes, installs(&c))
}

fn seeds(range: std::ops::Range<u64>) -> Vec<u64> {
    match std::env::var("RAFTLAB_MEMBERSHIP_SEED") {
        Ok(s) => vec![s.parse().expect("RAFTLAB_MEMBERSHIP_SEED is a number")],
        Err(_) => range.collect(),
    }
}

#[test]
fn random_faults_and_membership_changes_never_break_safety_default_config() {
    let seeds = seeds(0..60);
    let changes: u32 = seeds.iter().map(|&s| run(s, Config::default(), true)).sum();
    println!("{changes} membership changes accepted");
    assert!(
        changes > 2 * seeds.len() as u32 || seeds.len() == 1,
        "{changes} changes"
    );
}

#[test]
fn random_faults_and_membership_changes_never_break_safety_small_windows_and_lease_reads() {
    let config = Config {
        read_mode: ReadMode::Lease,
        entries_per_msg_max: 2,
        inflight_msgs_max: 2,
        learner_caught_up_rounds_min: 1,
        ..Config::default()
    };
    let seeds = seeds(200..240);
    let changes: u32 = seeds.iter().map(|&s| run(s, config.clone(), true)).sum();
    assert!(
        changes > 2 * seeds.len() as u32 || seeds.len() == 1,
        "{changes} changes"
    );
}

#[test]
fn random_faults_and_membership_changes_never_break_safety_without_pre_vote_or_check_quorum() {
    // Safety only: without PreVote and CheckQuorum, a removed server that never learned
    // of its removal disrupts the cluster with ever higher terms (§4.2.3), so the cluster
    // need not converge.
    let seeds = seeds(300..360);
    let changes: u32 = seeds.iter().map(|&s| run(s, plain_config(), false)).sum();
    assert!(
        changes > 2 * seeds.len() as u32 || seeds.len() == 1,
        "{changes} changes"
    );
}

#[test]
fn random_faults_and_membership_changes_never_break_safety_with_snapshots() {
    // Every node compacts after 5 applied entries: followers that fall behind get the
    // leader's snapshot, and restarts recover from snapshot plus log.
    let config = Config {
        snapshot_threshold_entries: 5,
        ..Config::default()
    };
    let seeds = seeds(400..460);
    let (mut changes, mut installs) = (0, 0);
    for &s in &seeds {
        let (c, i) = run_counting(s, config.clone(), true);
        changes += c;
        installs += i;
    }
    println!("{changes} membership changes accepted, {installs} snapshots delivered");
    assert!(
        changes > 2 * seeds.len() as u32 || seeds.len() == 1,
        "{changes} changes"
    );
    assert!(
        installs > seeds.len() || seeds.len() == 1,
        "{installs} snapshots"
    );
}
