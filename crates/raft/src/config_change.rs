//! Membership changes (chapter 4 of the dissertation): what a leader may propose, the rules
//! that guard a proposal, and what a leader does on its own once a configuration commits.
//!
//! # Proposing ([`Node::propose_membership`])
//!
//! | change | new configuration | kind |
//! | --- | --- | --- |
//! | [`MembershipChange::AddLearner`] | `+ learner` | simple: learners count in no quorum |
//! | [`MembershipChange::AddVoter`] | `+ voter` (straight in, no catch-up) | single-server |
//! | [`MembershipChange::PromoteLearner`] | learner `->` voter, once caught up (`learner.rs`) | single-server |
//! | [`MembershipChange::Remove`] | `- voter` or `- learner` | single-server |
//! | [`MembershipChange::Joint`] | C_old,new, then C_new | joint consensus (§4.3) |
//!
//! A single-server change adds or removes one voter, so any majority of the old voters
//! overlaps any majority of the new ones and the new configuration can take effect at
//! once. The guards, each an error value that leaves the node unchanged:
//!
//! - only a leader proposes, and not during a leadership transfer;
//! - **at most one change at a time**: the configuration in force must be committed (and
//!   simple: a joint configuration is left by the leader itself, below);
//! - **the leader has committed an entry of its own term** (the 2015 fix): otherwise a
//!   change from an earlier leader that this leader never saw may still commit in a
//!   configuration that does not overlap this leader's new one, and the two
//!   configurations elect two leaders in one term. The teaching toggle
//!   [`crate::TeachingToggles::change_membership_before_own_term_commit`] switches it off.
//!
//! # What the leader does on its own (after every input)
//!
//! - the configuration in force is joint and committed: propose C_new
//!   ([`crate::Event::JointLeaveProposed`]);
//! - the configuration in force is committed and the leader is not one of its voters: step
//!   down ([`crate::Event::RemovedLeaderSteppedDown`], §4.2.2). Until then it leads a
//!   cluster it is not part of, and counts itself in no majority.

use crate::core::Core;
use crate::entry::EntryPayload;
use crate::event::Event;
use crate::leader::{progress_of, LeaderState};
use crate::learner;
use crate::membership::Configuration;
use crate::node::{Node, RoleState};
use crate::progress::Progress;
use crate::types::{EntryId, LogIndex, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A membership change a leader can propose ([`Node::propose_membership`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipChange {
    /// Add a non-voting member that receives the log.
    AddLearner(NodeId),
    /// Add a voter straight away (without catching up as a learner first).
    AddVoter(NodeId),
    /// Make a caught-up learner a voter.
    PromoteLearner(NodeId),
    /// Remove a voter or a learner (the leader itself included: it steps down once the
    /// change commits).
    Remove(NodeId),
    /// Move to this simple configuration (voters and learners) by joint consensus: the
    /// leader enters C_old,new and proposes C_new once C_old,new has committed.
    Joint(Configuration),
}

/// Why a membership change was refused. The node's state is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MembershipError {
    /// Only the leader proposes changes.
    NotLeader {
        /// The leader this node knows of.
        leader_hint: Option<NodeId>,
    },
    /// A leadership transfer is under way.
    TransferInProgress,
    /// The configuration in force (at `index`) is not committed yet, or is joint: one
    /// change at a time.
    ChangeInProgress {
        /// The index of the configuration entry in force.
        index: LogIndex,
    },
    /// The leader has not committed an entry of its own term yet (the 2015 fix).
    OwnTermNotCommitted,
    /// The learner has not caught up yet (`learner.rs`).
    NotCaughtUp {
        /// The learner.
        node: NodeId,
        /// Consecutive caught-up rounds so far.
        rounds: u32,
        /// Rounds needed (`Config::learner_caught_up_rounds_min`).
        rounds_min: u32,
    },
    /// The change makes no sense for the configuration in force.
    Invalid(String),
}

impl fmt::Display for MembershipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MembershipError::NotLeader {
                leader_hint: Some(l),
            } => write!(f, "not the leader (try {l})"),
            MembershipError::NotLeader { leader_hint: None } => {
                write!(f, "not the leader (leader unknown)")
            }
            MembershipError::TransferInProgress => write!(f, "leadership transfer in progress"),
            MembershipError::ChangeInProgress { index } => {
                write!(f, "the configuration at {index} is still changing")
            }
            MembershipError::OwnTermNotCommitted => {
                write!(f, "no entry of the leader's term committed yet")
            }
            MembershipError::NotCaughtUp {
                node,
                rounds,
                rounds_min,
            } => write!(f, "{node} not caught up ({rounds}/{rounds_min} rounds)"),
            MembershipError::Invalid(problem) => f.write_str(problem),
        }
    }
}

impl std::error::Error for MembershipError {}

/// The configuration `change` leads to from `conf` (a simple configuration).
fn apply(conf: &Configuration, change: &MembershipChange) -> Result<Configuration, String> {
    let voters = conf.voters();
    let learners = conf.learners();
    let without = |ids: &[NodeId], id: NodeId| -> Vec<NodeId> {
        ids.iter().copied().filter(|&n| n != id).collect()
    };
    let with =
        |ids: &[NodeId], id: NodeId| -> Vec<NodeId> { ids.iter().copied().chain([id]).collect() };
    match *change {
        MembershipChange::AddLearner(id) | MembershipChange::AddVoter(id) if conf.is_member(id) => {
            Err(format!("{id} is already a member"))
        }
        MembershipChange::AddLearner(id) => {
            Configuration::with_learners(voters.to_vec(), with(learners, id))
        }
        MembershipChange::AddVoter(id) => {
            Configuration::with_learners(with(voters, id), learners.to_vec())
        }
        MembershipChange::PromoteLearner(id) if !conf.is_learner(id) => {
            Err(format!("{id} is not a learner"))
        }
        MembershipChange::PromoteLearner(id) => {
            Configuration::with_learners(with(voters, id), without(learners, id))
        }
        MembershipChange::Remove(id) if conf.is_learner(id) => {
            Configuration::with_learners(voters.to_vec(), without(learners, id))
        }
        MembershipChange::Remove(id) if !conf.is_voter(id) => Err(format!("{id} is not a member")),
        MembershipChange::Remove(_) if voters.len() == 1 => {
            Err("cannot remove the last voter".into())
        }
        MembershipChange::Remove(id) => {
            Configuration::with_learners(without(voters, id), learners.to_vec())
        }
        MembershipChange::Joint(ref target) => conf.enter_joint(target),
    }
}

impl<C: Clone> Node<C> {
    /// Proposes a membership change (module docs for the kinds and the guards). On success
    /// the configuration entry is appended and **in force at once** on this leader (and on
    /// each follower as soon as it stores the entry); the returned id is where it commits
    /// if this leader stays in power. A [`MembershipChange::Joint`] returns the C_old,new
    /// entry; the leader proposes C_new by itself when that commits.
    pub fn propose_membership(
        &mut self,
        now_us: u64,
        change: MembershipChange,
    ) -> Result<EntryId, MembershipError> {
        let RoleState::Leader(ls) = &self.role else {
            return Err(MembershipError::NotLeader {
                leader_hint: self.core.leader,
            });
        };
        let c = &self.core;
        if ls.transfer.target().is_some() {
            return Err(MembershipError::TransferInProgress);
        }
        let index = c.configs.current_index();
        if index > c.commit || c.configuration().is_joint() {
            return Err(MembershipError::ChangeInProgress { index });
        }
        if !c.own_term_committed() && !c.config.toggles.change_membership_before_own_term_commit {
            return Err(MembershipError::OwnTermNotCommitted);
        }
        // The catch-up rule is for learners: promoting a voter is invalid (below), whatever
        // its progress.
        if let MembershipChange::PromoteLearner(node) = change {
            if let Some(p) =
                (progress_of(&ls.progress, node)).filter(|_| c.configuration().is_learner(node))
            {
                if !learner::is_caught_up(p, &c.config) {
                    return Err(MembershipError::NotCaughtUp {
                        node,
                        rounds: p.caught_up_rounds(),
                        rounds_min: c.config.learner_caught_up_rounds_min,
                    });
                }
            }
        }
        let next = apply(c.configuration(), &change).map_err(MembershipError::Invalid)?;
        self.advance_clock(now_us);
        let id = self.append_as_leader(EntryPayload::Config(Box::new(next)));
        self.after_input();
        Ok(id)
    }

    /// On a leader: whether `node`'s progress satisfies the caught-up rule (`learner.rs`);
    /// `None` when this node does not lead or `node` is not one of its followers.
    pub fn is_caught_up(&self, node: NodeId) -> Option<bool> {
        let RoleState::Leader(ls) = &self.role else {
            return None;
        };
        progress_of(&ls.progress, node).map(|p| learner::is_caught_up(p, &self.core.config))
    }

    /// A leader's own follow-ups once the configuration in force commits (module docs).
    pub(crate) fn membership_follow_up(&mut self) {
        if !matches!(self.role, RoleState::Leader(_)) {
            return;
        }
        let c = &self.core;
        if c.configs.current_index() > c.commit {
            return;
        }
        if c.configuration().is_joint() {
            let next = c.configuration().leave_joint();
            let index = c.log.last_index().next();
            self.core.event(Event::JointLeaveProposed { index });
            self.append_as_leader(EntryPayload::Config(Box::new(next)));
        }
        let c = &self.core;
        if c.configs.current_index() <= c.commit && !c.configuration().is_voter(c.id) {
            let term = c.term;
            self.core.event(Event::RemovedLeaderSteppedDown { term });
            self.become_follower(term, None);
        }
    }
}

impl LeaderState {
    /// The configuration in force changed (the leader appended a configuration entry):
    /// one progress per peer again, keeping what is known of the followers that stay; a
    /// new member is probed from just after the leader's last entry.
    /// A transfer to a server that is no longer a voter is aborted.
    pub(crate) fn sync_progress<C: Clone>(&mut self, core: &mut Core<C>) {
        if let Some(t) = self.transfer.target() {
            if !core.configuration().is_voter(t) {
                self.transfer.abort(&mut core.ready.events);
            }
        }
        let next = core.log.last_index().next();
        let max = core.config.inflight_msgs_max;
        let mut old = std::mem::take(&mut self.progress).into_iter().peekable();
        for &peer in &core.peers {
            while old.next_if(|p| p.node < peer).is_some() {}
            let p = old
                .next_if(|p| p.node == peer)
                .unwrap_or_else(|| Progress::new(peer, next, max));
            self.progress.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u32]) -> Vec<NodeId> {
        v.iter().copied().map(NodeId).collect()
    }

    #[test]
    fn each_change_leads_to_its_configuration_or_says_why_not() {
        let c = Configuration::with_learners(ids(&[1, 2, 3]), ids(&[4])).unwrap();
        let ok = |ch| apply(&c, &ch).unwrap().to_string();
        assert_eq!(
            ok(MembershipChange::AddLearner(NodeId(5))),
            "voters={1,2,3} learners={4,5}"
        );
        assert_eq!(
            ok(MembershipChange::AddVoter(NodeId(5))),
            "voters={1,2,3,5} learners={4}"
        );
        assert_eq!(
            ok(MembershipChange::PromoteLearner(NodeId(4))),
            "voters={1,2,3,4}"
        );
        assert_eq!(ok(MembershipChange::Remove(NodeId(4))), "voters={1,2,3}");
        assert_eq!(
            ok(MembershipChange::Remove(NodeId(1))),
            "voters={2,3} learners={4}"
        );
        let target = Configuration::new(ids(&[3, 5, 6]));
        assert_eq!(
            ok(MembershipChange::Joint(target)),
            "voters={3,5,6}&{1,2,3}"
        );
        for bad in [
            MembershipChange::AddVoter(NodeId(4)),
            MembershipChange::AddLearner(NodeId(1)),
            MembershipChange::PromoteLearner(NodeId(2)),
            MembershipChange::Remove(NodeId(9)),
        ] {
            assert!(apply(&c, &bad).is_err(), "{bad:?}");
        }
        let single = Configuration::new(ids(&[1]));
        assert!(apply(&single, &MembershipChange::Remove(NodeId(1))).is_err());
    }
}
