//! Everything a user (or a scenario, or a campaign) can do to a world, as one serde enum.

pub use crate::byzantine::ByzantineMode;
pub use crate::config::RaftToggle;
use crate::config::{OpMix, ReadPath};
use crate::vocab::tagged_reader;
use crate::wire::{Endpoint, MsgKind};
use raft::NodeId;
use serde::Serialize;
use std::fmt;

mod text;

/// One user action. Serialized with a `type` tag, e.g.
/// `{"type": "partition", "groups": [[1, 2], [3, 4, 5]]}`.
///
/// Every action takes effect at once: node faults, links, messages, teaching toggles and the
/// read path (switched on every live node), and simulator-level settings (de-dup, election
/// timeout range, workload). A new election timeout range applies from each node's next
/// timer reset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Crash a node: its volatile state (role, commit, state machine, pending client work)
    /// is lost; its disk survives; messages to it are lost.
    Crash {
        /// Node.
        node: NodeId,
    },
    /// Restart a crashed node from its disk.
    Restart {
        /// Node.
        node: NodeId,
    },
    /// Stop-the-world pause: timers and arriving messages wait until `resume`.
    Pause {
        /// Node.
        node: NodeId,
    },
    /// End a pause: overdue timers fire and held messages arrive, in order.
    Resume {
        /// Node.
        node: NodeId,
    },
    /// Set a node's clock drift rate (its clock runs `1 + drift_ppm/10^6` times real time).
    SetDrift {
        /// Node.
        node: NodeId,
        /// Parts per million, within ±500000.
        drift_ppm: i32,
    },
    /// Partition the nodes into groups; links between groups go down, links within go up.
    /// Nodes not listed form one more group.
    Partition {
        /// The groups.
        groups: Vec<Vec<NodeId>>,
    },
    /// Cut every link to and from a node.
    Isolate {
        /// Node.
        node: NodeId,
    },
    /// Cut the one-way link `from -> to`.
    Cut {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// Restore the one-way link `from -> to`.
    Repair {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// Bring every link up.
    Heal,
    /// Change link parameters of the links matching `from`/`to` (omitted = all).
    SetLink {
        /// Sender filter.
        from: Option<NodeId>,
        /// Receiver filter.
        to: Option<NodeId>,
        /// New minimum latency.
        latency_us_min: Option<u64>,
        /// New maximum latency.
        latency_us_max: Option<u64>,
        /// New loss probability.
        loss_ppm: Option<u32>,
        /// New duplication probability.
        duplicate_ppm: Option<u32>,
    },
    /// Drop an in-flight message.
    DropMessage {
        /// Message id.
        id: u64,
    },
    /// Delay an in-flight message by `delay_us` more.
    DelayMessage {
        /// Message id.
        id: u64,
        /// Extra delay.
        delay_us: u64,
    },
    /// Duplicate an in-flight message (the copy arrives at the same time, after it).
    DuplicateMessage {
        /// Message id.
        id: u64,
    },
    /// Hold an in-flight message until released.
    HoldMessage {
        /// Message id.
        id: u64,
    },
    /// Release a held message: it arrives after its remaining latency (at once if overdue).
    ReleaseMessage {
        /// Message id.
        id: u64,
    },
    /// Drop the next `count` messages matching the filters when they are sent.
    DropNext {
        /// Sender filter.
        from: Option<Endpoint>,
        /// Receiver filter.
        to: Option<Endpoint>,
        /// Kind filter.
        kind: Option<MsgKind>,
        /// How many.
        count: u32,
    },
    /// Hold the next `count` messages matching the filters when they are sent.
    HoldNext {
        /// Sender filter.
        from: Option<Endpoint>,
        /// Receiver filter.
        to: Option<Endpoint>,
        /// Kind filter.
        kind: Option<MsgKind>,
        /// How many.
        count: u32,
    },
    /// Release every held message.
    ReleaseAll,
    /// Remove all `drop_next` / `hold_next` rules.
    ClearRules,
    /// A client writes `key := value`.
    Put {
        /// Client.
        client: u32,
        /// Key.
        key: String,
        /// Value.
        value: String,
        /// First node to try (default: the client's leader guess).
        node: Option<NodeId>,
    },
    /// A client reads `key` by the configured read path.
    Get {
        /// Client.
        client: u32,
        /// Key.
        key: String,
        /// First node to try.
        node: Option<NodeId>,
    },
    /// A client appends `value` to `key`.
    Append {
        /// Client.
        client: u32,
        /// Key.
        key: String,
        /// Suffix.
        value: String,
        /// First node to try.
        node: Option<NodeId>,
    },
    /// A client compare-and-sets `key` from `expected` (`null`: absent) to `value`.
    Cas {
        /// Client.
        client: u32,
        /// Key.
        key: String,
        /// Required value.
        expected: Option<String>,
        /// New value.
        value: String,
        /// First node to try.
        node: Option<NodeId>,
    },
    /// Change the automatic workload (omitted fields unchanged).
    SetWorkload {
        /// On or off.
        enabled: Option<bool>,
        /// Ops per second per client.
        rate_ops_per_s: Option<u32>,
        /// Number of keys.
        key_count: Option<u32>,
        /// Op mix.
        mix: Option<OpMix>,
    },
    /// Make a node's election timer fire now.
    Campaign {
        /// Node.
        node: NodeId,
    },
    /// Ask leader `from` to hand leadership to `to`.
    TransferLeader {
        /// Current leader.
        from: NodeId,
        /// Target.
        to: NodeId,
    },
    /// Change the read path (switched on every live node at once).
    SetReadPath {
        /// New path.
        read_path: ReadPath,
    },
    /// Switch client de-duplication in the KV state machines.
    SetDedup {
        /// On or off.
        on: bool,
    },
    /// Switch a Raft teaching toggle (on every live node at once).
    SetToggle {
        /// Which.
        toggle: RaftToggle,
        /// On (rule broken) or off (rule enforced).
        on: bool,
    },
    /// Change the election timeout range used for future draws.
    SetElectionTimeout {
        /// Lower bound (must stay equal to the nodes' configured minimum to change the lease;
        /// it reaches the nodes' lease arithmetic at restart).
        election_timeout_us_min: u64,
        /// Upper bound, exclusive.
        election_timeout_us_max: u64,
    },
    /// Propose `key := value` straight to node `node`'s Raft, without a client (6.824's
    /// `Start`): the command belongs to the tester's session
    /// ([`crate::kv::TESTER_CLIENT`]), has no history entry and gets no answer. A node that
    /// is not a live leader ignores it (see `World::start` for what it reports).
    Start {
        /// Node.
        node: NodeId,
        /// Key.
        key: String,
        /// Value.
        value: String,
    },
    /// Set the reordering probability of the links matching `from`/`to` (omitted = all);
    /// see `LinkConfig::reorder_ppm`.
    SetReorder {
        /// Sender filter.
        from: Option<NodeId>,
        /// Receiver filter.
        to: Option<NodeId>,
        /// Parts per million.
        reorder_ppm: u32,
    },
    /// Add a server to the configuration, proposed by a leader: as a learner (it receives
    /// the log without a vote, and is promoted once caught up) or straight as a voter. The
    /// id one past the hosted nodes starts a new, empty server with its own clock, disk
    /// and links.
    AddNode {
        /// The server.
        node: NodeId,
        /// Join as a voter (true) or as a learner (false).
        voter: bool,
        /// The proposing leader (default: the current leader).
        leader: Option<NodeId>,
    },
    /// Remove a server (a voter or a learner, the leader itself included) from the
    /// configuration. The server keeps running; a removed leader steps down once its
    /// removal commits.
    RemoveNode {
        /// The server.
        node: NodeId,
        /// The proposing leader (default: the current leader).
        leader: Option<NodeId>,
    },
    /// Make a caught-up learner a voter.
    PromoteLearner {
        /// The learner.
        node: NodeId,
        /// The proposing leader (default: the current leader).
        leader: Option<NodeId>,
    },
    /// Move to the configuration `voters` + `learners` by joint consensus (C_old,new, then
    /// C_new). Ids past the hosted nodes start new servers, which must follow on in order.
    ChangeMembership {
        /// The voters of the new configuration.
        voters: Vec<NodeId>,
        /// The learners of the new configuration.
        learners: Vec<NodeId>,
        /// The proposing leader (default: the current leader).
        leader: Option<NodeId>,
    },
    /// Set the snapshot threshold of every node (0 turns compaction off); see
    /// `SimConfig::snapshot_threshold_entries`.
    SetSnapshotThreshold {
        /// Entries applied since the last snapshot (at most
        /// `limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX`).
        snapshot_threshold_entries: u64,
    },
    /// Make `node` Byzantine: the host rewrites the messages it sends as `mode` says (see
    /// [`crate::byzantine`]); its Raft core stays honest. `null` makes it honest again.
    /// One lying node at a time.
    SetByzantine {
        /// Node.
        node: NodeId,
        /// How it lies; `null`: honest.
        mode: Option<ByzantineMode>,
    },
}

/// The `type`s of the actions that are faults, declared once ([`Action::is_fault`], and
/// `FAULT_ACTION_TYPES` in web/src/vocab.js).
pub const FAULT_ACTION_TYPES: &[&str] = &[
    "crash",
    "restart",
    "pause",
    "resume",
    "set_drift",
    "partition",
    "isolate",
    "cut",
    "repair",
    "heal",
    "set_link",
    "drop_message",
    "delay_message",
    "duplicate_message",
    "hold_message",
    "release_message",
    "drop_next",
    "hold_next",
    "release_all",
    "clear_rules",
    "set_byzantine",
];

/// The `type`s of the actions that act on Raft itself (its elections, log, membership,
/// settings and teaching toggles), declared once: a world running the AP store refuses
/// them ([`Action::is_raft_only`]; `RAFT_ACTION_TYPES` in web/src/vocab.js).
pub const RAFT_ACTION_TYPES: &[&str] = &[
    "campaign",
    "transfer_leader",
    "set_read_path",
    "set_dedup",
    "set_toggle",
    "set_snapshot_threshold",
    "set_election_timeout",
    "start",
    "add_node",
    "remove_node",
    "promote_learner",
    "change_membership",
    "set_byzantine",
];

impl Action {
    /// Whether this action acts on Raft itself ([`RAFT_ACTION_TYPES`]).
    pub fn is_raft_only(&self) -> bool {
        RAFT_ACTION_TYPES.contains(&self.type_name())
    }

    /// Whether this action is a fault (something that goes wrong: a node, a link, a
    /// message, a lying node) rather than a client request, a setting or a membership step,
    /// as [`FAULT_ACTION_TYPES`] lists: the trace marks faults `fault` and every other action
    /// `action` ([`crate::trace::Marker`]), and the page's history chart draws only faults.
    pub fn is_fault(&self) -> bool {
        FAULT_ACTION_TYPES.contains(&self.type_name())
    }
}

/// Why an action was refused; the world is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionError {
    /// The offending field (`node`, `groups[1][0]`, `id`, ...).
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl ActionError {
    /// Builds an error.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        ActionError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for ActionError {}

// ---- read from JSON: the `Serialize` form, unknown fields refused (see `json.rs`) ----

tagged_reader! {
    /// The `type` of each [`Action`] variant, in declaration order.
    Action, "internally tagged enum Action", ACTION_TYPES;
    "crash" => Crash { node: req },
    "restart" => Restart { node: req },
    "pause" => Pause { node: req },
    "resume" => Resume { node: req },
    "set_drift" => SetDrift { node: req, drift_ppm: req },
    "partition" => Partition { groups: req },
    "isolate" => Isolate { node: req },
    "cut" => Cut { from: req, to: req },
    "repair" => Repair { from: req, to: req },
    "heal" => Heal {},
    "set_link" => SetLink {
        from: opt,
        to: opt,
        latency_us_min: opt,
        latency_us_max: opt,
        loss_ppm: opt,
        duplicate_ppm: opt,
    },
    "drop_message" => DropMessage { id: req },
    "delay_message" => DelayMessage { id: req, delay_us: req },
    "duplicate_message" => DuplicateMessage { id: req },
    "hold_message" => HoldMessage { id: req },
    "release_message" => ReleaseMessage { id: req },
    "drop_next" => DropNext { from: opt, to: opt, kind: opt, count: req },
    "hold_next" => HoldNext { from: opt, to: opt, kind: opt, count: req },
    "release_all" => ReleaseAll {},
    "clear_rules" => ClearRules {},
    "put" => Put { client: req, key: req, value: req, node: opt },
    "get" => Get { client: req, key: req, node: opt },
    "append" => Append { client: req, key: req, value: req, node: opt },
    "cas" => Cas { client: req, key: req, expected: opt, value: req, node: opt },
    "set_workload" => SetWorkload {
        enabled: opt,
        rate_ops_per_s: opt,
        key_count: opt,
        mix: opt,
    },
    "campaign" => Campaign { node: req },
    "transfer_leader" => TransferLeader { from: req, to: req },
    "set_read_path" => SetReadPath { read_path: req },
    "set_dedup" => SetDedup { on: req },
    "set_toggle" => SetToggle { toggle: req, on: req },
    "set_election_timeout" => SetElectionTimeout {
        election_timeout_us_min: req,
        election_timeout_us_max: req,
    },
    "start" => Start { node: req, key: req, value: req },
    "set_reorder" => SetReorder { from: opt, to: opt, reorder_ppm: req },
    "add_node" => AddNode { node: req, voter: req, leader: opt },
    "remove_node" => RemoveNode { node: req, leader: opt },
    "promote_learner" => PromoteLearner { node: req, leader: opt },
    "change_membership" => ChangeMembership { voters: req, learners: req, leader: opt },
    "set_snapshot_threshold" => SetSnapshotThreshold { snapshot_threshold_entries: req },
    "set_byzantine" => SetByzantine { node: req, mode: opt },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_displays_its_groups_as_debug_would() {
        let ids = |g: &[u32]| g.iter().copied().map(NodeId).collect::<Vec<_>>();
        let raw = vec![vec![1, 2], vec![3, 4, 5]];
        let groups = raw.iter().map(|g| ids(g)).collect::<Vec<_>>();
        let text = Action::Partition {
            groups: groups.clone(),
        }
        .to_string();
        assert_eq!(text, format!("partition {raw:?}"));
        assert_eq!(text, "partition [[1, 2], [3, 4, 5]]");
        let none = Action::Partition { groups: vec![] }.to_string();
        assert_eq!(none, "partition []");
    }

    #[test]
    fn faults_are_crash_through_clear_rules_and_set_byzantine() {
        assert!(FAULT_ACTION_TYPES.iter().all(|t| ACTION_TYPES.contains(t)));
        let read = |j: &str| crate::json::from_json_named::<Action>("action", j).unwrap();
        for j in [
            r#"{"type":"crash","node":1}"#,
            r#"{"type":"drop_next","count":1}"#,
            r#"{"type":"clear_rules"}"#,
            r#"{"type":"set_byzantine","node":1,"mode":null}"#,
        ] {
            assert!(read(j).is_fault(), "{j} is a fault");
        }
        for j in [
            r#"{"type":"put","client":1,"key":"x","value":"1"}"#,
            r#"{"type":"set_dedup","on":false}"#,
            r#"{"type":"remove_node","node":3}"#,
        ] {
            assert!(!read(j).is_fault(), "{j} is not a fault");
        }
    }
}
