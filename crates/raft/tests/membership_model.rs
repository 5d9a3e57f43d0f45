//! Configuration-change sequences against a model: a fault-free cluster of 6 servers (3
//! bootstrap voters) takes random changes — valid and invalid, of every kind, the leader's
//! removal included — and after each one settles, every outcome and configuration is the
//! model's: the model is two sets (voters, learners) and the rules of a change, written
//! out here independently of `config_change.rs`. A joint change must end in its target
//! (the leader leaves C_old,new by itself), a removed leader must step down and another
//! be elected. PreVote and CheckQuorum are on (the defaults): without them a removed
//! server that still holds an old configuration bumps the terms of the servers it asks
//! for votes and deposes the leader over and over (§4.2.3); a seed found it.
//!
//! `RAFTLAB_MODEL_SEED=N` replays one seed (printed); `RAFTLAB_MODEL_SEEDS=K` runs K
//! seeds (default 40).

mod common;
use common::*;
use raft::{Configuration, MembershipChange, MembershipError, NodeId, Role};
use std::collections::BTreeSet;

const SERVERS: u32 = 6;
const STEPS: usize = 40;

/// SplitMix64, so every seed replays identically.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn server(&mut self) -> u32 {
        self.below(u64::from(SERVERS)) as u32 + 1
    }
}

/// The model: who votes and who learns.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Model {
    voters: BTreeSet<u32>,
    learners: BTreeSet<u32>,
}

impl Model {
    /// The configuration after `change`, or `None` when the change is invalid.
    fn apply(&self, change: &MembershipChange) -> Option<Model> {
        let mut m = self.clone();
        let member = |id: u32| self.voters.contains(&id) || self.learners.contains(&id);
        match *change {
            MembershipChange::AddLearner(id) if !member(id.0) => {
                m.learners.insert(id.0);
            }
            MembershipChange::AddVoter(id) if !member(id.0) => {
                m.voters.insert(id.0);
            }
            MembershipChange::PromoteLearner(id) if self.learners.contains(&id.0) => {
                m.learners.remove(&id.0);
                m.voters.insert(id.0);
            }
            MembershipChange::Remove(id) if self.learners.contains(&id.0) => {
                m.learners.remove(&id.0);
            }
            MembershipChange::Remove(id)
                if self.voters.contains(&id.0) && self.voters.len() > 1 =>
            {
                m.voters.remove(&id.0);
            }
            MembershipChange::Joint(ref target) if !target.voters().is_empty() => {
                m.voters = target.voters().iter().map(|v| v.0).collect();
                m.learners = target.learners().iter().map(|v| v.0).collect();
            }
            _ => return None,
        }
        Some(m)
    }

    fn configuration(&self) -> Configuration {
        Configuration::with_learners(
            self.voters.iter().copied().map(NodeId),
            self.learners.iter().copied().map(NodeId),
        )
        .unwrap()
    }
}

fn random_change(r: &mut Rng) -> MembershipChange {
    let id = NodeId(r.server());
    match r.below(5) {
        0 => MembershipChange::AddLearner(id),
        1 => MembershipChange::AddVoter(id),
        2 => MembershipChange::PromoteLearner(id),
        3 => MembershipChange::Remove(id),
        _ => {
            let (mut voters, mut learners) = (Vec::new(), Vec::new());
            for v in 1..=SERVERS {
                match r.below(3) {
                    0 => voters.push(NodeId(v)),
                    1 => learners.push(NodeId(v)),
                    _ => {}
                }
            }
            MembershipChange::Joint(Configuration::with_learners(voters, learners).unwrap())
        }
    }
}

/// Waits (virtual time) until some member of the model's configuration leads and has
/// committed its configuration; `None` when no leader comes.
fn settle(c: &mut Cluster) -> Option<u32> {
    for _ in 0..40 {
        c.advance(100_000);
        if let Some(l) = c.leader() {
            let v = c.node(l).view();
            if v.commit >= v.configuration_index && !v.configuration.is_joint() {
                return Some(l);
            }
        }
    }
    None
}

fn run(seed: u64) -> usize {
    let mut r = Rng(seed);
    // PreVote and CheckQuorum on: without them a removed server disrupts (§4.2.3).
    let mut c = Cluster::growing(SERVERS, 3, raft::Config::default());
    let mut model = Model {
        voters: (1..=3).collect(),
        learners: BTreeSet::new(),
    };
    c.elect(1);
    let mut applied = 0;
    for step in 0..STEPS {
        let at = format!("seed {seed} step {step}");
        let l = settle(&mut c).unwrap_or_else(|| panic!("{at}: no leader for {model:?}"));
        assert!(
            model.voters.contains(&l),
            "{at}: leader n{l} not a voter of {model:?}"
        );
        let change = random_change(&mut r);
        let next = model.apply(&change);
        match (c.change(l, change.clone()), &next) {
            (Ok(_), Some(m)) => {
                model = m.clone();
                applied += 1;
            }
            (Err(MembershipError::Invalid(_)), None) => {}
            // A learner added a moment ago may not have caught up yet: the model allows the
            // promotion, the rule of `learner.rs` defers it. Nothing changed.
            (Err(MembershipError::NotCaughtUp { .. }), Some(_))
                if matches!(change, MembershipChange::PromoteLearner(_)) => {}
            (got, want) => panic!("{at}: {change:?} on {model:?}: got {got:?}, model {want:?}"),
        }
        let l = settle(&mut c).unwrap_or_else(|| {
            let state: Vec<String> = (1..=SERVERS)
                .map(|id| {
                    let v = c.node(id).view();
                    format!(
                        "n{id} {:?} t{} {} ci={} commit={} last={:?}",
                        v.role,
                        v.term.0,
                        v.configuration,
                        v.configuration_index,
                        v.commit,
                        v.log.last().map(|e| e.id)
                    )
                })
                .collect();
            panic!("{at}: no leader after {change:?}:\n{}", state.join("\n"))
        });
        let want = model.configuration();
        // Every member (and the leader) holds the model's configuration, committed.
        for id in model.voters.iter().chain(&model.learners) {
            let v = c.node(*id).view();
            assert_eq!(v.configuration, &want, "{at}: n{id} after {change:?}");
        }
        assert!(c.node(l).view().commit >= c.node(l).view().configuration_index);
        // A server outside the configuration never leads.
        for id in 1..=SERVERS {
            if !model.voters.contains(&id) {
                assert_ne!(c.role(id), Role::Leader, "{at}: n{id} leads outside {want}");
            }
        }
    }
    applied
}

#[test]
fn configuration_change_sequences_follow_the_model() {
    let seeds: Vec<u64> = match std::env::var("RAFTLAB_MODEL_SEED") {
        Ok(s) => vec![s.parse().expect("RAFTLAB_MODEL_SEED")],
        Err(_) => {
            let n = std::env::var("RAFTLAB_MODEL_SEEDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(40);
            (0..n).collect()
        }
    };
    let mut applied = 0;
    for &seed in &seeds {
        println!("membership model: seed {seed}");
        applied += run(seed);
    }
    // Not vacuous: most steps change the configuration.
    println!("{applied} changes applied in {} steps", seeds.len() * STEPS);
    assert!(applied * 3 >= seeds.len() * STEPS, "{applied} applied");
}
