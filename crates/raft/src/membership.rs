//! Cluster membership as a value: `{ incoming voters, outgoing voters, learners }`.
//!
//! A configuration is *simple* when `outgoing` is empty and *joint* (C_old,new, §6 of the
//! dissertation; chapter 4 of Ongaro's thesis) when it is not: then every quorum question
//! — an election, the commit index, a ReadIndex round, CheckQuorum — needs a majority of
//! `incoming` **and** a majority of `outgoing`. Learners receive the log and count in no
//! quorum. Callers only ask this type; the arithmetic is in [`crate::quorum`].
//!
//! Invariants ([`Configuration::validate`]): each list sorted without repeats; no learner
//! is an incoming voter (a learner may still be an outgoing voter: a voter being demoted
//! while the joint configuration is in force).

use crate::quorum::{self, VoteResult};
use crate::types::NodeId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The servers whose votes and acknowledgements count, and the learners that follow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    /// The voters of the configuration being entered (of the only one when simple).
    /// Vectors, not `BTreeSet`s: a cluster has a handful of members, and each distinct
    /// `BTreeSet` type costs kilobytes in the Wasm module.
    incoming: Vec<NodeId>,
    /// The voters of the configuration being left; empty unless joint.
    outgoing: Vec<NodeId>,
    /// Non-voting members that receive the log.
    learners: Vec<NodeId>,
}

/// Sorted, without repeats.
fn sorted(ids: impl IntoIterator<Item = NodeId>) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::new();
    for id in ids {
        if let Err(at) = out.binary_search(&id) {
            out.insert(at, id);
        }
    }
    out
}

/// The union of two sorted id lists, sorted.
fn union(a: &[NodeId], b: &[NodeId]) -> Vec<NodeId> {
    sorted(a.iter().chain(b).copied())
}

impl Configuration {
    /// A simple configuration of the given voters (repeats count once), no learners.
    pub fn new(voters: impl IntoIterator<Item = NodeId>) -> Self {
        Configuration {
            incoming: sorted(voters),
            outgoing: Vec::new(),
            learners: Vec::new(),
        }
    }

    /// A simple configuration with learners. `Err` when a learner is also a voter.
    pub fn with_learners(
        voters: impl IntoIterator<Item = NodeId>,
        learners: impl IntoIterator<Item = NodeId>,
    ) -> Result<Self, String> {
        let c = Configuration {
            incoming: sorted(voters),
            outgoing: Vec::new(),
            learners: sorted(learners),
        };
        c.validate()?;
        Ok(c)
    }

    /// The joint configuration C_old,new that leads from `self` (its incoming voters become
    /// the outgoing ones) to `target` (a simple configuration: its voters and learners).
    /// `Err` when `self` is already joint or `target` is not a valid simple configuration
    /// with at least one voter.
    pub fn enter_joint(&self, target: &Configuration) -> Result<Configuration, String> {
        if self.is_joint() {
            return Err("already in a joint configuration".into());
        }
        if target.is_joint() {
            return Err("the target must be a simple configuration".into());
        }
        if target.incoming.is_empty() {
            return Err("the target has no voters".into());
        }
        target.validate()?;
        Ok(Configuration {
            incoming: target.incoming.clone(),
            outgoing: self.incoming.clone(),
            learners: target.learners.clone(),
        })
    }

    /// The simple configuration C_new a joint configuration leaves to (itself when simple).
    pub fn leave_joint(&self) -> Configuration {
        Configuration {
            incoming: self.incoming.clone(),
            outgoing: Vec::new(),
            learners: self.learners.clone(),
        }
    }

    /// Checks the invariants in the module docs.
    pub fn validate(&self) -> Result<(), String> {
        for (name, list) in [
            ("incoming", &self.incoming),
            ("outgoing", &self.outgoing),
            ("learners", &self.learners),
        ] {
            if list.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!("{name} voters are not sorted without repeats"));
            }
        }
        if let Some(l) = self.learners.iter().find(|&&l| self.is_incoming(l)) {
            return Err(format!("{l} is both a learner and a voter"));
        }
        Ok(())
    }

    /// The incoming voters (all voters of a simple configuration), in id order.
    pub fn voters(&self) -> &[NodeId] {
        &self.incoming
    }

    /// The outgoing voters, in id order: empty unless joint.
    pub fn outgoing(&self) -> &[NodeId] {
        &self.outgoing
    }

    /// The learners, in id order.
    pub fn learners(&self) -> &[NodeId] {
        &self.learners
    }

    /// Every member (voter of either half, or learner), in id order.
    pub fn members(&self) -> Vec<NodeId> {
        if self.outgoing.is_empty() && self.learners.is_empty() {
            return self.incoming.clone();
        }
        union(&union(&self.incoming, &self.outgoing), &self.learners)
    }

    /// Whether this is a joint configuration (C_old,new).
    pub fn is_joint(&self) -> bool {
        !self.outgoing.is_empty()
    }

    fn is_incoming(&self, id: NodeId) -> bool {
        self.incoming.binary_search(&id).is_ok()
    }

    /// Whether `id` is a voter of either half.
    pub fn is_voter(&self, id: NodeId) -> bool {
        self.is_incoming(id) || self.outgoing.binary_search(&id).is_ok()
    }

    /// Whether `id` is a learner (and not an incoming voter).
    pub fn is_learner(&self, id: NodeId) -> bool {
        self.learners.binary_search(&id).is_ok()
    }

    /// Whether `id` is a voter or a learner.
    pub fn is_member(&self, id: NodeId) -> bool {
        self.is_voter(id) || self.is_learner(id)
    }

    /// Whether `id` is a voter of either half (the same as [`Configuration::is_voter`]).
    pub fn contains(&self, id: NodeId) -> bool {
        self.is_voter(id)
    }

    /// The number of incoming voters.
    pub fn len(&self) -> usize {
        self.incoming.len()
    }

    /// Whether there are no voters at all (a server that has not joined yet).
    pub fn is_empty(&self) -> bool {
        self.incoming.is_empty() && self.outgoing.is_empty()
    }

    /// The election result for these `(voter, granted)` answers; answers from non-voters
    /// and repeated answers after the first are ignored. Joint: won when both halves are
    /// won, lost when either is lost.
    pub fn vote_result(&self, votes: &[(NodeId, bool)]) -> VoteResult {
        let inc = half_vote_result(&self.incoming, votes);
        if self.outgoing.is_empty() {
            return inc;
        }
        quorum::joint_vote_result(inc, half_vote_result(&self.outgoing, votes))
    }

    /// The largest value a quorum has reached, given each voter's value (match indexes for
    /// the commit index, acknowledged heartbeat rounds for ReadIndex); joint: the smaller
    /// of the two halves' values. `scratch` is a reusable buffer. 0 with no voters.
    /// `value_of` is asked for each half's voters in id order, incoming half first.
    pub fn quorum_value(
        &self,
        scratch: &mut Vec<u64>,
        mut value_of: impl FnMut(NodeId) -> u64,
    ) -> u64 {
        scratch.clear();
        scratch.extend(self.incoming.iter().map(|&id| value_of(id)));
        let inc = quorum::quorum_value(scratch);
        if self.outgoing.is_empty() {
            return inc;
        }
        scratch.clear();
        scratch.extend(self.outgoing.iter().map(|&id| value_of(id)));
        inc.min(quorum::quorum_value(scratch))
    }

    /// Whether the voters for which `active` holds include a majority of each half
    /// (CheckQuorum).
    pub fn has_quorum(&self, mut active: impl FnMut(NodeId) -> bool) -> bool {
        let mut half = |voters: &[NodeId]| {
            let n = voters.iter().filter(|&&v| active(v)).count();
            n >= quorum::majority(voters.len())
        };
        half(&self.incoming) && (self.outgoing.is_empty() || half(&self.outgoing))
    }
}

fn half_vote_result(voters: &[NodeId], votes: &[(NodeId, bool)]) -> VoteResult {
    let (mut granted, mut rejected) = (0, 0);
    for (i, &(node, ok)) in votes.iter().enumerate() {
        if voters.binary_search(&node).is_err() || votes[..i].iter().any(|&(n, _)| n == node) {
            continue;
        }
        if ok {
            granted += 1;
        } else {
            rejected += 1;
        }
    }
    quorum::vote_result(voters.len(), granted, rejected)
}

fn write_ids(f: &mut fmt::Formatter<'_>, ids: &[NodeId]) -> fmt::Result {
    f.write_str("{")?;
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{}", id.0)?;
    }
    f.write_str("}")
}

impl fmt::Display for Configuration {
    /// `voters={1,2,3}`, joint `voters={1,2,3,4,5}&{1,2,3}`, with ` learners={4}` when
    /// there are learners.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("voters=")?;
        write_ids(f, &self.incoming)?;
        if self.is_joint() {
            f.write_str("&")?;
            write_ids(f, &self.outgoing)?;
        }
        if !self.learners.is_empty() {
            f.write_str(" learners=")?;
            write_ids(f, &self.learners)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u32]) -> Vec<NodeId> {
        v.iter().copied().map(NodeId).collect()
    }

    #[test]
    fn voters_are_sorted_and_counted_once() {
        let c = Configuration::new([3, 1, 2, 3, 1].map(NodeId));
        assert_eq!(c.voters(), &[NodeId(1), NodeId(2), NodeId(3)]);
        assert_eq!(c.len(), 3);
        assert!(c.contains(NodeId(2)) && !c.contains(NodeId(4)));
    }

    #[test]
    fn entering_and_leaving_joint_keeps_both_halves_then_the_new_one() {
        let old = Configuration::new(ids(&[1, 2, 3]));
        let new = Configuration::with_learners(ids(&[1, 2, 3, 4, 5]), ids(&[6])).unwrap();
        let joint = old.enter_joint(&new).unwrap();
        assert_eq!(joint.to_string(), "voters={1,2,3,4,5}&{1,2,3} learners={6}");
        assert!(joint.is_joint() && joint.is_voter(NodeId(4)) && joint.is_learner(NodeId(6)));
        assert_eq!(joint.members(), ids(&[1, 2, 3, 4, 5, 6]));
        assert_eq!(joint.leave_joint(), new);
        assert!(joint.enter_joint(&new).is_err(), "no joint from a joint");
    }

    #[test]
    fn a_learner_cannot_be_an_incoming_voter() {
        assert!(Configuration::with_learners(ids(&[1, 2]), ids(&[2])).is_err());
        // Demotion: a voter of the old half may be a learner of the new one.
        let old = Configuration::new(ids(&[1, 2, 3]));
        let new = Configuration::with_learners(ids(&[1, 2]), ids(&[3])).unwrap();
        let joint = old.enter_joint(&new).unwrap();
        joint.validate().unwrap();
        assert!(joint.is_voter(NodeId(3)) && joint.is_learner(NodeId(3)));
    }

    #[test]
    fn a_joint_vote_needs_both_halves() {
        let joint = Configuration::new(ids(&[1, 2, 3]))
            .enter_joint(&Configuration::new(ids(&[3, 4, 5])))
            .unwrap();
        let yes = |v: &[u32]| v.iter().map(|&i| (NodeId(i), true)).collect::<Vec<_>>();
        assert_eq!(joint.vote_result(&yes(&[1, 2, 3])), VoteResult::Pending);
        assert_eq!(joint.vote_result(&yes(&[1, 2, 4, 5])), VoteResult::Won);
        let mut v = yes(&[1]);
        v.extend([(NodeId(4), false), (NodeId(5), false)]);
        assert_eq!(joint.vote_result(&v), VoteResult::Lost);
    }

    #[test]
    fn a_joint_commit_is_the_smaller_of_the_halves() {
        let joint = Configuration::new(ids(&[1, 2, 3]))
            .enter_joint(&Configuration::new(ids(&[3, 4, 5])))
            .unwrap();
        let values = [0, 9, 9, 5, 1, 1];
        let mut scratch = Vec::new();
        assert_eq!(
            joint.quorum_value(&mut scratch, |id| values[id.0 as usize]),
            1
        );
        assert!(!joint.has_quorum(|id| id.0 <= 3));
        assert!(joint.has_quorum(|id| id.0 != 5 && id.0 != 1));
    }
}
