//! Membership changes: add a server (as a learner or a voter), remove one, promote a
//! learner, move to a new configuration by joint consensus. Each is proposed by a leader
//! (named, or the current one); a server id one past the hosted nodes starts a new, empty
//! server first.
//!
//! The check runs the proposal on a copy of the leader (a change is rare, and the copy
//! shares the log's chunks), so a change the core would refuse is refused here with the
//! core's reason, and the world stays unchanged.

use crate::action::ActionError;
use crate::config::NODES_MAX;
use crate::world::Sim;
use raft::{Configuration, MembershipChange, MembershipError, NodeId, Role};

impl Sim {
    /// The leader that proposes: `leader`, or the current leader.
    fn proposer(&self, leader: Option<NodeId>) -> Result<NodeId, ActionError> {
        let l = match leader {
            Some(l) => {
                self.check_node("leader", l)?;
                l
            }
            None => self.current_leader().ok_or_else(|| {
                ActionError::new("leader", "no leader to propose the change (wait for one)")
            })?,
        };
        let nd = &self.nodes[l.0 as usize - 1];
        if nd.raft.is_none() {
            return Err(ActionError::new(
                "leader",
                format!("node {} is crashed", l.0),
            ));
        }
        if nd.paused {
            return Err(ActionError::new(
                "leader",
                format!("node {} is paused", l.0),
            ));
        }
        if nd.role != Role::Leader {
            return Err(ActionError::new(
                "leader",
                format!("node {} is not a leader", l.0),
            ));
        }
        Ok(l)
    }

    /// The ids past the hosted nodes in `ids`, checked to follow on from them in order of
    /// hosting (`field(k)` names a bad `ids[k]`).
    fn new_ids(
        &self,
        field: &dyn Fn(usize) -> String,
        ids: &[NodeId],
    ) -> Result<Vec<NodeId>, ActionError> {
        let hosted = self.node_count();
        let mut fresh: Vec<NodeId> = Vec::new();
        for (k, &n) in ids.iter().enumerate() {
            let f = || field(k);
            if n.0 == 0 || n.0 > NODES_MAX {
                return Err(ActionError::new(
                    f(),
                    format!("no node {} (ids are 1..{NODES_MAX})", n.0),
                ));
            }
            if ids[..k].contains(&n) {
                return Err(ActionError::new(
                    f(),
                    format!("node {} is listed twice", n.0),
                ));
            }
            if n.0 > hosted {
                fresh.push(n);
            }
        }
        util::sort::sort(&mut fresh);
        for (k, n) in fresh.iter().enumerate() {
            let next = hosted + 1 + k as u32;
            if n.0 != next {
                let at = ids.iter().position(|x| x == n).unwrap_or(0);
                return Err(ActionError::new(
                    field(at),
                    format!(
                        "node {} is not hosted; a new server takes the next id, {next}",
                        n.0
                    ),
                ));
            }
        }
        Ok(fresh)
    }

    /// Runs the proposal on a copy of `leader`: the core's refusal, named by field.
    fn check_proposal(
        &self,
        leader: NodeId,
        change: MembershipChange,
        node_field: &str,
    ) -> Result<(), ActionError> {
        let nd = &self.nodes[leader.0 as usize - 1];
        let Some(r) = nd.raft.as_ref() else {
            return Err(ActionError::new("leader", "crashed"));
        };
        let mut copy = r.clone();
        let local = nd.clock.local(self.now_us);
        copy.propose_membership(local, change)
            .map(|_| ())
            .map_err(|e| {
                let field = match e {
                    MembershipError::NotCaughtUp { .. } | MembershipError::Invalid(_) => node_field,
                    _ => "leader",
                };
                ActionError::new(field, e.to_string())
            })
    }

    /// The change an action asks for, checked (the world is unchanged on error).
    pub(super) fn check_membership(
        &self,
        change: &MembershipChange,
        leader: Option<NodeId>,
    ) -> Result<(), ActionError> {
        let field = match change {
            MembershipChange::AddLearner(n) | MembershipChange::AddVoter(n) => {
                self.new_ids(&|_| "node".to_string(), &[*n])
                    .map_err(|e| ActionError::new("node", e.problem))?;
                "node"
            }
            MembershipChange::PromoteLearner(n) | MembershipChange::Remove(n) => {
                self.check_node("node", *n)?;
                "node"
            }
            MembershipChange::Joint(target) => {
                if target.voters().is_empty() {
                    return Err(ActionError::new("voters", "at least one voter"));
                }
                "voters"
            }
        };
        let l = self.proposer(leader)?;
        self.check_proposal(l, change.clone(), field)
    }

    /// The joint target of a `change_membership` action, with its ids checked.
    pub(super) fn joint_target(
        &self,
        voters: &[NodeId],
        learners: &[NodeId],
    ) -> Result<MembershipChange, ActionError> {
        if let Some(k) = learners.iter().position(|l| voters.contains(l)) {
            return Err(ActionError::new(
                format!("learners[{k}]"),
                format!("node {} is also a voter", learners[k].0),
            ));
        }
        // New servers take the next ids across voters and learners together (voter 4 and
        // learner 5 on three hosted nodes is fine); the error names the entry at fault.
        let both: Vec<NodeId> = voters.iter().chain(learners).copied().collect();
        let field = |k: usize| {
            if k < voters.len() {
                format!("voters[{k}]")
            } else {
                format!("learners[{}]", k - voters.len())
            }
        };
        self.new_ids(&field, &both)?;
        let target = Configuration::with_learners(voters.iter().copied(), learners.iter().copied())
            .map_err(|e| ActionError::new("voters", e))?;
        Ok(MembershipChange::Joint(target))
    }

    /// Hosts the servers `change` names that are not hosted yet, then proposes it.
    pub(super) fn change_membership(&mut self, change: MembershipChange, leader: Option<NodeId>) {
        let Ok(l) = self.proposer(leader) else {
            return;
        };
        let ids: Vec<NodeId> = match &change {
            MembershipChange::AddLearner(n)
            | MembershipChange::AddVoter(n)
            | MembershipChange::PromoteLearner(n)
            | MembershipChange::Remove(n) => vec![*n],
            MembershipChange::Joint(t) => t.members(),
        };
        let mut fresh: Vec<NodeId> = ids
            .into_iter()
            .filter(|n| n.0 > self.node_count())
            .collect();
        util::sort::sort(&mut fresh);
        for n in fresh {
            self.grow_links();
            let hosted = self.host_node(n, Configuration::default());
            debug_assert!(hosted.is_ok(), "validated configuration: {hosted:?}");
            self.drive(n);
        }
        let r = self.with_node(l, |r, t| r.propose_membership(t, change));
        debug_assert!(matches!(r, Some(Ok(_))), "validated: {r:?}");
    }
}
