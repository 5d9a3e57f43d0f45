//! Membership changes in a campaign's fault schedule (`CampaignOptions::membership`):
//! random add, remove, promote and joint changes through the safety phase, and the
//! restoring change of the liveness phase.
//!
//! The schedule is drawn before the run, so it cannot know whether a change will be
//! accepted when it comes due: there may be no leader, a change in flight, a learner not
//! caught up, or a new server id that does not follow on (an earlier add was refused).
//! A refused change is skipped and leaves the world unchanged; unlike other skipped
//! actions it does not fail the seed ([`is_membership`]). New servers take ids `n+1` and
//! `n+2` at most (within `config::NODES_MAX`); the generic faults keep to the first `n`.
//!
//! At the start of the liveness phase the configuration may leave some live server out
//! (removed, or a learner), and convergence asks every live server to apply every
//! committed entry; so the phase proposes every id the schedule named as a voter, by joint
//! consensus, until one attempt is accepted (later ones are refused: nothing to change, or
//! a change in flight).

use super::draw::Draw;
use crate::action::Action;
use crate::config::NODES_MAX;
use raft::NodeId;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// New servers a campaign adds at most, beyond the initial `n`.
pub(super) const ADDED_SERVERS_MAX: u32 = 2;

/// The highest server id a campaign on `n` nodes names.
pub(super) fn id_max(n: u32) -> u32 {
    (n + ADDED_SERVERS_MAX).min(NODES_MAX)
}

/// Whether `a` is a membership change (a refused one does not fail a campaign seed).
pub fn is_membership(a: &Action) -> bool {
    matches!(
        a,
        Action::AddNode { .. }
            | Action::RemoveNode { .. }
            | Action::PromoteLearner { .. }
            | Action::ChangeMembership { .. }
    )
}

/// Pushes random membership changes from `t` until `safety_us`, one every 100–400 ms,
/// from a stream of their own (seeded from `seed`): the other draws, and so the rest of
/// each seed's schedule, stay the same.
pub(super) fn random_changes(
    seed: u64,
    n: u32,
    t: u64,
    safety_us: u64,
    push: &mut impl FnMut(u64, Action),
) {
    let mut r = Draw(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_3e3b_e25c_0003));
    let top = id_max(n);
    let ids: Vec<NodeId> = (1..=top).map(NodeId).collect();
    let mut t = t + r.range(50_000, 300_000);
    while t < safety_us {
        let a = match r.below(100) {
            0..=24 if top > n => Action::AddNode {
                node: NodeId(r.range(u64::from(n) + 1, u64::from(top)) as u32),
                voter: r.ppm(300_000),
                leader: None,
            },
            0..=44 => Action::PromoteLearner {
                node: r.pick(&ids),
                leader: None,
            },
            45..=69 => Action::RemoveNode {
                node: r.pick(&ids),
                leader: None,
            },
            _ => {
                // A random split of the named ids into voters (at least one), learners
                // and left out.
                let (mut voters, mut learners) = (Vec::new(), Vec::new());
                for &v in &ids {
                    match r.below(4) {
                        0 | 1 => voters.push(v),
                        2 => learners.push(v),
                        _ => {}
                    }
                }
                if voters.is_empty() {
                    voters.push(r.pick(&ids));
                    learners.retain(|l| !voters.contains(l));
                }
                Action::ChangeMembership {
                    voters,
                    learners,
                    leader: None,
                }
            }
        };
        push(t, a);
        t += r.range(100_000, 400_000);
    }
}

/// Pushes the liveness phase's restoring change: every id up to `top` a voter, proposed
/// every 200 ms from `t0 + 200 ms` until 1 s before `end_us`.
pub(super) fn restore(t0: u64, end_us: u64, top: u32, push: &mut impl FnMut(u64, Action)) {
    let voters: Vec<NodeId> = (1..=top).map(NodeId).collect();
    let mut t = t0 + 200_000;
    while t + 1_000_000 <= end_us {
        push(
            t,
            Action::ChangeMembership {
                voters: voters.clone(),
                learners: Vec::new(),
                leader: None,
            },
        );
        t += 200_000;
    }
}
