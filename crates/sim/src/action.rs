//! Everything a user (or a scenario, or a campaign) can do to a world, as one serde enum.

use crate::config::{OpMix, ReadPath};
use crate::json::{unit_enum, FromJson, JsonResult, Obj, Value};
use crate::wire::{Endpoint, MsgKind};
use serde::Serialize;
use std::fmt;

/// A Raft teaching toggle, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RaftToggle {
    /// Grant votes without the up-to-date log check (§5.4.1).
    VoteWithoutLogCheck,
    /// Commit earlier-term entries by counting replicas (Figure 8).
    CommitOldTermsByCounting,
    /// Forget the vote on restart (§5.2).
    ForgetVoteOnRestart,
    /// No no-op entry on election (§8).
    SkipNoopOnElection,
}

impl RaftToggle {
    /// The stable name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            RaftToggle::VoteWithoutLogCheck => "vote_without_log_check",
            RaftToggle::CommitOldTermsByCounting => "commit_old_terms_by_counting",
            RaftToggle::ForgetVoteOnRestart => "forget_vote_on_restart",
            RaftToggle::SkipNoopOnElection => "skip_noop_on_election",
        }
    }
}

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
        node: u32,
    },
    /// Restart a crashed node from its disk.
    Restart {
        /// Node.
        node: u32,
    },
    /// Stop-the-world pause: timers and arriving messages wait until `resume`.
    Pause {
        /// Node.
        node: u32,
    },
    /// End a pause: overdue timers fire and held messages arrive, in order.
    Resume {
        /// Node.
        node: u32,
    },
    /// Set a node's clock drift rate (its clock runs `1 + drift_ppm/10^6` times real time).
    SetDrift {
        /// Node.
        node: u32,
        /// Parts per million, within ±500000.
        drift_ppm: i32,
    },
    /// Partition the nodes into groups; links between groups go down, links within go up.
    /// Nodes not listed form one more group.
    Partition {
        /// The groups.
        groups: Vec<Vec<u32>>,
    },
    /// Cut every link to and from a node.
    Isolate {
        /// Node.
        node: u32,
    },
    /// Cut the one-way link `from -> to`.
    Cut {
        /// Sender.
        from: u32,
        /// Receiver.
        to: u32,
    },
    /// Restore the one-way link `from -> to`.
    Repair {
        /// Sender.
        from: u32,
        /// Receiver.
        to: u32,
    },
    /// Bring every link up.
    Heal,
    /// Change link parameters of the links matching `from`/`to` (omitted = all).
    SetLink {
        /// Sender filter.
        from: Option<u32>,
        /// Receiver filter.
        to: Option<u32>,
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
        node: Option<u32>,
    },
    /// A client reads `key` by the configured read path.
    Get {
        /// Client.
        client: u32,
        /// Key.
        key: String,
        /// First node to try.
        node: Option<u32>,
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
        node: Option<u32>,
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
        node: Option<u32>,
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
        node: u32,
    },
    /// Ask leader `from` to hand leadership to `to`.
    TransferLeader {
        /// Current leader.
        from: u32,
        /// Target.
        to: u32,
    },
    /// Change the read path (lease vs. read_index reaches a node at its next restart).
    SetReadPath {
        /// New path.
        read_path: ReadPath,
    },
    /// Switch client de-duplication in the KV state machines.
    SetDedup {
        /// On or off.
        on: bool,
    },
    /// Switch a Raft teaching toggle (reaches a node at its next restart).
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

fn opt<T: fmt::Display>(f: &mut fmt::Formatter<'_>, name: &str, v: &Option<T>) -> fmt::Result {
    match v {
        Some(v) => write!(f, " {name}={v}"),
        None => Ok(()),
    }
}

fn target(f: &mut fmt::Formatter<'_>, node: &Option<u32>) -> fmt::Result {
    match node {
        Some(n) => write!(f, " via n{n}"),
        None => Ok(()),
    }
}

impl fmt::Display for Action {
    /// One line: `crash n1`, `partition [[1,2],[3,4,5]]`, `c1 put x=1`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Crash { node } => write!(f, "crash n{node}"),
            Action::Restart { node } => write!(f, "restart n{node}"),
            Action::Pause { node } => write!(f, "pause n{node}"),
            Action::Resume { node } => write!(f, "resume n{node}"),
            Action::SetDrift { node, drift_ppm } => write!(f, "drift n{node} {drift_ppm}ppm"),
            Action::Partition { groups } => {
                // `[[1, 2], [3]]`, as `{:?}` writes it, without the Debug code for the lists.
                f.write_str("partition [")?;
                for (i, g) in groups.iter().enumerate() {
                    f.write_str(if i > 0 { ", [" } else { "[" })?;
                    for (j, n) in g.iter().enumerate() {
                        if j > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{n}")?;
                    }
                    f.write_str("]")?;
                }
                f.write_str("]")
            }
            Action::Isolate { node } => write!(f, "isolate n{node}"),
            Action::Cut { from, to } => write!(f, "cut n{from}->n{to}"),
            Action::Repair { from, to } => write!(f, "repair n{from}->n{to}"),
            Action::Heal => write!(f, "heal"),
            Action::SetLink {
                from,
                to,
                latency_us_min,
                latency_us_max,
                loss_ppm,
                duplicate_ppm,
            } => {
                write!(f, "set link")?;
                opt(f, "from", from)?;
                opt(f, "to", to)?;
                opt(f, "latency_us_min", latency_us_min)?;
                opt(f, "latency_us_max", latency_us_max)?;
                opt(f, "loss_ppm", loss_ppm)?;
                opt(f, "duplicate_ppm", duplicate_ppm)
            }
            Action::DropMessage { id } => write!(f, "drop #{id}"),
            Action::DelayMessage { id, delay_us } => write!(f, "delay #{id} by {delay_us}us"),
            Action::DuplicateMessage { id } => write!(f, "duplicate #{id}"),
            Action::HoldMessage { id } => write!(f, "hold #{id}"),
            Action::ReleaseMessage { id } => write!(f, "release #{id}"),
            Action::DropNext {
                from,
                to,
                kind,
                count,
            }
            | Action::HoldNext {
                from,
                to,
                kind,
                count,
            } => {
                let verb = if matches!(self, Action::DropNext { .. }) {
                    "drop"
                } else {
                    "hold"
                };
                write!(f, "{verb} next {count}")?;
                opt(f, "from", from)?;
                opt(f, "to", to)?;
                opt(f, "kind", &kind.map(|k| k.as_str()))
            }
            Action::ReleaseAll => write!(f, "release all held messages"),
            Action::ClearRules => write!(f, "clear message rules"),
            Action::Put {
                client,
                key,
                value,
                node,
            } => {
                write!(f, "c{client} put {key}={value}")?;
                target(f, node)
            }
            Action::Get { client, key, node } => {
                write!(f, "c{client} get {key}")?;
                target(f, node)
            }
            Action::Append {
                client,
                key,
                value,
                node,
            } => {
                write!(f, "c{client} append {key}+={value}")?;
                target(f, node)
            }
            Action::Cas {
                client,
                key,
                expected,
                value,
                node,
            } => {
                write!(
                    f,
                    "c{client} cas {key} {}->{value}",
                    expected.as_deref().unwrap_or("_")
                )?;
                target(f, node)
            }
            Action::SetWorkload {
                enabled,
                rate_ops_per_s,
                key_count,
                mix,
            } => {
                write!(f, "set workload")?;
                opt(f, "enabled", enabled)?;
                opt(f, "rate_ops_per_s", rate_ops_per_s)?;
                opt(f, "key_count", key_count)?;
                if let Some(m) = mix {
                    write!(
                        f,
                        " mix=put:{},get:{},append:{},cas:{}",
                        m.put, m.get, m.append, m.cas
                    )?;
                }
                Ok(())
            }
            Action::Campaign { node } => write!(f, "campaign n{node}"),
            Action::TransferLeader { from, to } => write!(f, "transfer leadership n{from}->n{to}"),
            Action::SetReadPath { read_path } => write!(f, "read path {}", read_path.as_str()),
            Action::SetDedup { on } => write!(f, "kv de-dup {}", if *on { "on" } else { "off" }),
            Action::SetToggle { toggle, on } => write!(
                f,
                "toggle {} {}",
                toggle.as_str(),
                if *on { "on" } else { "off" }
            ),
            Action::SetElectionTimeout {
                election_timeout_us_min,
                election_timeout_us_max,
            } => write!(
                f,
                "election timeout [{election_timeout_us_min}, {election_timeout_us_max})us"
            ),
        }
    }
}

// ---- read from JSON: the `Serialize` form, defaults for the fields documented as such, unknown fields refused (see `json.rs`) ----

impl FromJson for RaftToggle {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use RaftToggle::*;
        let all = [
            VoteWithoutLogCheck,
            CommitOldTermsByCounting,
            ForgetVoteOnRestart,
            SkipNoopOnElection,
        ];
        unit_enum(v, &all, RaftToggle::as_str)
    }
}

/// The `type` of each [`Action`] variant, in declaration order.
pub const ACTION_TYPES: [&str; 31] = [
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
    "put",
    "get",
    "append",
    "cas",
    "set_workload",
    "campaign",
    "transfer_leader",
    "set_read_path",
    "set_dedup",
    "set_toggle",
    "set_election_timeout",
];

const NODE: &[&str] = &["node"];
const LINK: &[&str] = &["from", "to"];
const ID: &[&str] = &["id"];
const RULE: &[&str] = &["from", "to", "kind", "count"];
const NONE: &[&str] = &[];

/// The fields of each [`Action`] variant besides `type`, indexed like [`ACTION_TYPES`].
const ACTION_FIELDS: [&[&str]; 31] = [
    NODE,
    NODE,
    NODE,
    NODE,
    &["node", "drift_ppm"],
    &["groups"],
    NODE,
    LINK,
    LINK,
    NONE,
    &[
        "from",
        "to",
        "latency_us_min",
        "latency_us_max",
        "loss_ppm",
        "duplicate_ppm",
    ],
    ID,
    &["id", "delay_us"],
    ID,
    ID,
    ID,
    RULE,
    RULE,
    NONE,
    NONE,
    &["client", "key", "value", "node"],
    &["client", "key", "node"],
    &["client", "key", "value", "node"],
    &["client", "key", "expected", "value", "node"],
    &["enabled", "rate_ops_per_s", "key_count", "mix"],
    NODE,
    LINK,
    &["read_path"],
    &["on"],
    &["toggle", "on"],
    &["election_timeout_us_min", "election_timeout_us_max"],
];

impl FromJson for Action {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use Action::*;
        let (i, t) = Obj::tagged(v, "type", "internally tagged enum Action", &ACTION_TYPES)?;
        let o = t.known(ACTION_FIELDS[i])?;
        // Arms follow ACTION_TYPES (the round-trip test pins every one).
        Ok(match i {
            0 => Crash {
                node: o.req("node")?,
            },
            1 => Restart {
                node: o.req("node")?,
            },
            2 => Pause {
                node: o.req("node")?,
            },
            3 => Resume {
                node: o.req("node")?,
            },
            4 => SetDrift {
                node: o.req("node")?,
                drift_ppm: o.req("drift_ppm")?,
            },
            5 => Partition {
                groups: o.req("groups")?,
            },
            6 => Isolate {
                node: o.req("node")?,
            },
            7 => Cut {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            8 => Repair {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            9 => Heal,
            10 => SetLink {
                from: o.opt("from")?,
                to: o.opt("to")?,
                latency_us_min: o.opt("latency_us_min")?,
                latency_us_max: o.opt("latency_us_max")?,
                loss_ppm: o.opt("loss_ppm")?,
                duplicate_ppm: o.opt("duplicate_ppm")?,
            },
            11 => DropMessage { id: o.req("id")? },
            12 => DelayMessage {
                id: o.req("id")?,
                delay_us: o.req("delay_us")?,
            },
            13 => DuplicateMessage { id: o.req("id")? },
            14 => HoldMessage { id: o.req("id")? },
            15 => ReleaseMessage { id: o.req("id")? },
            16 => DropNext {
                from: o.opt("from")?,
                to: o.opt("to")?,
                kind: o.opt("kind")?,
                count: o.req("count")?,
            },
            17 => HoldNext {
                from: o.opt("from")?,
                to: o.opt("to")?,
                kind: o.opt("kind")?,
                count: o.req("count")?,
            },
            18 => ReleaseAll,
            19 => ClearRules,
            20 => Put {
                client: o.req("client")?,
                key: o.req("key")?,
                value: o.req("value")?,
                node: o.opt("node")?,
            },
            21 => Get {
                client: o.req("client")?,
                key: o.req("key")?,
                node: o.opt("node")?,
            },
            22 => Append {
                client: o.req("client")?,
                key: o.req("key")?,
                value: o.req("value")?,
                node: o.opt("node")?,
            },
            23 => Cas {
                client: o.req("client")?,
                key: o.req("key")?,
                expected: o.opt("expected")?,
                value: o.req("value")?,
                node: o.opt("node")?,
            },
            24 => SetWorkload {
                enabled: o.opt("enabled")?,
                rate_ops_per_s: o.opt("rate_ops_per_s")?,
                key_count: o.opt("key_count")?,
                mix: o.opt("mix")?,
            },
            25 => Campaign {
                node: o.req("node")?,
            },
            26 => TransferLeader {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            27 => SetReadPath {
                read_path: o.req("read_path")?,
            },
            28 => SetDedup { on: o.req("on")? },
            29 => SetToggle {
                toggle: o.req("toggle")?,
                on: o.req("on")?,
            },
            _ => SetElectionTimeout {
                election_timeout_us_min: o.req("election_timeout_us_min")?,
                election_timeout_us_max: o.req("election_timeout_us_max")?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_displays_its_groups_as_debug_would() {
        let groups = vec![vec![1, 2], vec![3, 4, 5]];
        let text = Action::Partition {
            groups: groups.clone(),
        }
        .to_string();
        assert_eq!(text, format!("partition {groups:?}"));
        assert_eq!(text, "partition [[1, 2], [3, 4, 5]]");
        let none = Action::Partition { groups: vec![] }.to_string();
        assert_eq!(none, "partition []");
    }
}
