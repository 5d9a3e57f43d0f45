//! The joint quorum arithmetic of [`raft::Configuration`] against brute-force oracles:
//! random configurations (simple and joint, ids 1..=9) and random acknowledgement sets.
//!
//! `RAFTLAB_QUORUM_SEED=N` replays a run (the seed is printed), `RAFTLAB_QUORUM_CASES=K`
//! sets the number of cases (default 20,000).

use raft::quorum::VoteResult;
use raft::{Configuration, NodeId};

const IDS_MAX: u32 = 9;

/// SplitMix64: a fixed, named algorithm, so a seed replays the same cases everywhere.
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

    /// A random subset of 1..=IDS_MAX, each id in with probability `1 / k`.
    fn subset(&mut self, k: u64) -> Vec<NodeId> {
        (1..=IDS_MAX)
            .filter(|_| self.below(k) == 0)
            .map(NodeId)
            .collect()
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}"))
    })
}

/// A random configuration: simple or joint, with learners not among the incoming voters.
fn configuration(rng: &mut Rng) -> Configuration {
    let incoming = rng.subset(2);
    let learners: Vec<NodeId> = rng
        .subset(4)
        .into_iter()
        .filter(|l| !incoming.contains(l))
        .collect();
    let target = Configuration::with_learners(incoming, learners).unwrap();
    if rng.below(3) == 0 {
        return target;
    }
    let outgoing = Configuration::new(rng.subset(2));
    match outgoing.enter_joint(&target) {
        Ok(joint) => joint,
        // An empty target: keep the simple one (its voters may be empty too).
        Err(_) => target,
    }
}

fn majority_of(voters: &[NodeId], yes: impl Fn(NodeId) -> bool) -> bool {
    2 * voters.iter().filter(|&&v| yes(v)).count() > voters.len()
}

/// Oracle: a set of nodes is a quorum when it holds a majority of each non-empty half
/// (the incoming half always counts).
fn is_quorum(c: &Configuration, yes: impl Fn(NodeId) -> bool) -> bool {
    majority_of(c.voters(), &yes) && (c.outgoing().is_empty() || majority_of(c.outgoing(), &yes))
}

/// Oracle: the largest value `v` (or 0) whose "value >= v" set is a quorum.
fn quorum_value_naive(c: &Configuration, values: &[u64]) -> u64 {
    let mut best = 0;
    for &v in values {
        if v > best && is_quorum(c, |n| values[n.0 as usize] >= v) {
            best = v;
        }
    }
    best
}

/// Oracle: try every way the voters that have not answered could answer.
fn vote_result_naive(c: &Configuration, votes: &[(NodeId, bool)]) -> VoteResult {
    let first = |n: NodeId| votes.iter().find(|&&(m, _)| m == n).map(|&(_, g)| g);
    let voters: Vec<NodeId> = (1..=IDS_MAX)
        .map(NodeId)
        .filter(|&n| c.is_voter(n))
        .collect();
    let missing: Vec<NodeId> = voters
        .iter()
        .copied()
        .filter(|&n| first(n).is_none())
        .collect();
    if is_quorum(c, |n| first(n) == Some(true)) {
        return VoteResult::Won;
    }
    let can_win = (0u32..1 << missing.len()).any(|mask| {
        is_quorum(c, |n| match first(n) {
            Some(g) => g,
            None => {
                let k = missing.iter().position(|&m| m == n).unwrap();
                mask & (1 << k) != 0
            }
        })
    });
    if can_win {
        VoteResult::Pending
    } else {
        VoteResult::Lost
    }
}

#[test]
fn joint_quorum_arithmetic_matches_brute_force() {
    let seed = env_u64("RAFTLAB_QUORUM_SEED").unwrap_or(0x5eed_0016);
    let cases = env_u64("RAFTLAB_QUORUM_CASES").unwrap_or(20_000);
    println!("joint quorum property test: RAFTLAB_QUORUM_SEED={seed} ({cases} cases)");
    let mut rng = Rng(seed);
    let mut scratch = Vec::new();
    let (mut joint_cases, mut won) = (0, 0);
    for case in 0..cases {
        let c = configuration(&mut rng);
        joint_cases += u32::from(c.is_joint());
        let ctx = || format!("seed {seed}, case {case}, configuration {c}");
        // Commit index / ReadIndex round: one value per id (non-voters' values must not
        // matter).
        let values: Vec<u64> = (0..=IDS_MAX).map(|_| rng.below(6)).collect();
        let got = c.quorum_value(&mut scratch, |n| values[n.0 as usize]);
        assert_eq!(
            got,
            quorum_value_naive(&c, &values),
            "{}: values {values:?}",
            ctx()
        );
        // CheckQuorum.
        let active: Vec<bool> = (0..=IDS_MAX).map(|_| rng.below(2) == 0).collect();
        assert_eq!(
            c.has_quorum(|n| active[n.0 as usize]),
            is_quorum(&c, |n| active[n.0 as usize]),
            "{}: active {active:?}",
            ctx()
        );
        // Votes: answers from anyone (non-voters, repeats) in any order.
        let votes: Vec<(NodeId, bool)> = (0..rng.below(12))
            .map(|_| {
                (
                    NodeId(1 + rng.below(u64::from(IDS_MAX)) as u32),
                    rng.below(3) != 0,
                )
            })
            .collect();
        let result = c.vote_result(&votes);
        won += u32::from(result == VoteResult::Won);
        assert_eq!(
            result,
            vote_result_naive(&c, &votes),
            "{}: votes {votes:?}",
            ctx()
        );
    }
    // The generator reaches the cases that matter.
    if cases >= 1_000 {
        assert!(joint_cases as u64 > cases / 3, "{joint_cases} joint cases");
        assert!(won as u64 > cases / 20, "{won} elections won");
    }
}
