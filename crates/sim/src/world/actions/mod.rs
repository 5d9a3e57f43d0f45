//! User actions on the simulation: [`Sim::validate`] and [`Sim::exec`] dispatch each
//! variant to its family, where the check and the execution of one action sit together:
//! node faults (`nodes.rs`), links and partitions (`links.rs`), messages and message rules
//! (`messages.rs`), client operations and the workload (`clients.rs`), settings switched
//! at run time (`settings.rs`), membership changes (`membership.rs`), the lying node
//! (`byzantine.rs`).

mod byzantine;
mod clients;
mod links;
mod membership;
mod messages;
mod nodes;
mod settings;
mod tester;

use super::network::InFlight;
use super::Sim;
use crate::action::{Action, ActionError};
use crate::kv::KvOp;
use crate::trace::TraceKind;
use crate::wire::Endpoint;
use raft::{MembershipChange, NodeId};

/// The core's change for an `add_node` action.
fn add_change(node: NodeId, voter: bool) -> MembershipChange {
    if voter {
        MembershipChange::AddVoter(node)
    } else {
        MembershipChange::AddLearner(node)
    }
}

impl Sim {
    /// Validates an action against the current state; no change on error.
    pub fn validate(&self, a: &Action) -> Result<(), ActionError> {
        if self.is_ap() && a.is_raft_only() {
            return Err(ActionError::new(
                "type",
                format!(
                    "{} acts on Raft, and this world runs the AP store",
                    a.type_name()
                ),
            ));
        }
        match a {
            Action::Crash { node } => self.check_crash(*node),
            Action::Restart { node } => self.check_restart(*node),
            Action::Pause { node } => self.check_pause(*node),
            Action::Resume { node } => self.check_resume(*node),
            Action::SetDrift { node, drift_ppm } => self.check_set_drift(*node, *drift_ppm),
            Action::Isolate { node } | Action::Campaign { node } => self.check_node("node", *node),
            Action::TransferLeader { from, to } => self.check_transfer_leader(*from, *to),
            Action::Partition { groups } => self.check_partition(groups),
            Action::Cut { from, to } | Action::Repair { from, to } => self.check_link(*from, *to),
            Action::Heal | Action::ReleaseAll | Action::ClearRules => Ok(()),
            Action::SetLink {
                from,
                to,
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
            } => self.check_set_link(
                *from,
                *to,
                *latency_us_min,
                *latency_us_max,
                *loss_ppm,
                *duplicate_ppm,
            ),
            Action::DropMessage { id } | Action::DuplicateMessage { id } => {
                self.check_msg(*id).map(|_| ())
            }
            Action::DelayMessage { id, delay_us } => self.check_delay_message(*id, *delay_us),
            Action::HoldMessage { id } => self.check_hold_message(*id),
            Action::ReleaseMessage { id } => self.check_release_message(*id),
            Action::DropNext {
                from, to, count, ..
            }
            | Action::HoldNext {
                from, to, count, ..
            } => self.check_rule(from, to, *count),
            Action::Put { client, node, .. }
            | Action::Get { client, node, .. }
            | Action::Append { client, node, .. }
            | Action::Cas { client, node, .. } => self.check_client_op(*client, *node),
            Action::SetWorkload {
                enabled,
                rate_ops_per_s,
                key_count,
                mix,
            } => self.check_set_workload(*enabled, *rate_ops_per_s, *key_count, *mix),
            Action::SetReadPath { read_path } => self.check_set_read_path(*read_path),
            Action::SetDedup { .. } | Action::SetToggle { .. } => Ok(()),
            Action::SetSnapshotThreshold {
                snapshot_threshold_entries,
            } => settings::check_snapshot_threshold(*snapshot_threshold_entries),
            Action::SetElectionTimeout {
                election_timeout_us_min,
                election_timeout_us_max,
            } => {
                self.check_set_election_timeout(*election_timeout_us_min, *election_timeout_us_max)
            }
            Action::Start { node, .. } => self.check_node("node", *node),
            Action::SetReorder {
                from,
                to,
                reorder_ppm,
            } => self.check_set_reorder(*from, *to, *reorder_ppm),
            Action::AddNode {
                node,
                voter,
                leader,
            } => self.check_membership(&add_change(*node, *voter), *leader),
            Action::RemoveNode { node, leader } => {
                self.check_membership(&MembershipChange::Remove(*node), *leader)
            }
            Action::PromoteLearner { node, leader } => {
                self.check_membership(&MembershipChange::PromoteLearner(*node), *leader)
            }
            Action::ChangeMembership {
                voters,
                learners,
                leader,
            } => {
                let change = self.joint_target(voters, learners)?;
                self.check_membership(&change, *leader)
            }
            Action::SetByzantine { node, mode } => self.check_set_byzantine(*node, *mode),
        }
    }

    /// Applies a validated action.
    pub fn exec(&mut self, a: Action) {
        self.trace
            .push(self.now_us, TraceKind::Action(Box::new(a.clone())));
        self.actions_applied += 1;
        match a {
            Action::Crash { node } => self.crash(node),
            Action::Restart { node } => self.restart(node),
            Action::Pause { node } => self.nodes[node.0 as usize - 1].paused = true,
            Action::Resume { node } => self.resume(node),
            Action::SetDrift { node, drift_ppm } => self.set_drift(node, drift_ppm),
            Action::Campaign { node } => {
                self.with_node(node, |r, t| r.campaign(t));
            }
            Action::TransferLeader { from, to } => self.transfer_leader(from, to),
            Action::Partition { groups } => self.partition(groups),
            Action::Isolate { node } => self.isolate(node),
            Action::Cut { from, to } => self.set_link_up(from, to, false),
            Action::Repair { from, to } => self.set_link_up(from, to, true),
            Action::Heal => self.heal(),
            Action::SetLink {
                from,
                to,
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
            } => self.set_link(
                from,
                to,
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
            ),
            Action::DropMessage { id } => self.drop_message(id),
            Action::DelayMessage { id, delay_us } => self.delay_message(id, delay_us),
            Action::DuplicateMessage { id } => self.duplicate_message(id),
            Action::HoldMessage { id } => self.hold_message(id),
            Action::ReleaseMessage { id } => self.release_message(id),
            Action::DropNext {
                from,
                to,
                kind,
                count,
            } => self.add_rule(false, from, to, kind, count),
            Action::HoldNext {
                from,
                to,
                kind,
                count,
            } => self.add_rule(true, from, to, kind, count),
            Action::ReleaseAll => self.release_all(),
            Action::ClearRules => self.rules.clear(),
            Action::Put {
                client,
                key,
                value,
                node,
            } => self.client_op(client, KvOp::Put { key, value }, node),
            Action::Get { client, key, node } => self.client_op(client, KvOp::Get { key }, node),
            Action::Append {
                client,
                key,
                value,
                node,
            } => self.client_op(client, KvOp::Append { key, value }, node),
            Action::Cas {
                client,
                key,
                expected,
                value,
                node,
            } => self.client_op(
                client,
                KvOp::Cas {
                    key,
                    expected,
                    value,
                },
                node,
            ),
            Action::SetWorkload {
                enabled,
                rate_ops_per_s,
                key_count,
                mix,
            } => self.set_workload(enabled, rate_ops_per_s, key_count, mix),
            Action::SetReadPath { read_path } => self.set_read_path(read_path),
            Action::SetDedup { on } => self.config.kv_dedup = on,
            Action::SetSnapshotThreshold {
                snapshot_threshold_entries,
            } => self.set_snapshot_threshold(snapshot_threshold_entries),
            Action::SetToggle { toggle, on } => self.set_toggle(toggle, on),
            Action::SetElectionTimeout {
                election_timeout_us_min,
                election_timeout_us_max,
            } => {
                self.config.election_timeout_us_min = election_timeout_us_min;
                self.config.election_timeout_us_max = election_timeout_us_max;
            }
            Action::Start { node, key, value } => {
                self.start_command(node, key, value);
            }
            Action::SetReorder {
                from,
                to,
                reorder_ppm,
            } => self.set_reorder(from, to, reorder_ppm),
            Action::AddNode {
                node,
                voter,
                leader,
            } => self.change_membership(add_change(node, voter), leader),
            Action::RemoveNode { node, leader } => {
                self.change_membership(MembershipChange::Remove(node), leader)
            }
            Action::PromoteLearner { node, leader } => {
                self.change_membership(MembershipChange::PromoteLearner(node), leader)
            }
            Action::ChangeMembership {
                voters,
                learners,
                leader,
            } => {
                if let Ok(change) = self.joint_target(&voters, &learners) {
                    self.change_membership(change, leader);
                }
            }
            Action::SetByzantine { node, mode } => self.set_byzantine(node, mode),
        }
        for m in self.monitors.take_fresh() {
            self.trace
                .push(self.now_us, TraceKind::Violation { monitor: m });
        }
        self.check_after_event();
    }

    // ---- checks shared by the families ----

    fn check_node(&self, field: &str, node: NodeId) -> Result<(), ActionError> {
        if node.0 == 0 || node.0 > self.node_count() {
            return Err(ActionError::new(
                field,
                format!("no node {} (nodes are 1..{})", node.0, self.node_count()),
            ));
        }
        Ok(())
    }

    fn check_msg(&self, id: u64) -> Result<&InFlight, ActionError> {
        self.inflight
            .by_id(id)
            .ok_or_else(|| ActionError::new("id", format!("no message #{id} in flight")))
    }

    fn check_endpoint(&self, field: &str, e: &Option<Endpoint>) -> Result<(), ActionError> {
        match e {
            Some(Endpoint::Node(n)) => self.check_node(field, *n),
            Some(Endpoint::Client(c)) if *c == 0 || *c > self.config.clients.count => {
                Err(ActionError::new(field, format!("no client {c}")))
            }
            _ => Ok(()),
        }
    }
}
