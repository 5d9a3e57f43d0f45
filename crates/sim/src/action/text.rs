//! An action's one-line text (`crash n1`, `partition [[1, 2], [3, 4, 5]]`, `c1 put x=1`):
//! the trace's `action …` line and the CLI's.

use super::Action;
use raft::NodeId;
use std::fmt;

fn opt<T: fmt::Display>(f: &mut fmt::Formatter<'_>, name: &str, v: &Option<T>) -> fmt::Result {
    match v {
        Some(v) => write!(f, " {name}={v}"),
        None => Ok(()),
    }
}

fn target(f: &mut fmt::Formatter<'_>, node: &Option<NodeId>) -> fmt::Result {
    match node {
        Some(n) => write!(f, " via {n}"),
        None => Ok(()),
    }
}

/// `{1, 2, 3}`.
fn ids(f: &mut fmt::Formatter<'_>, ids: &[NodeId]) -> fmt::Result {
    f.write_str("{")?;
    for (i, n) in ids.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{}", n.0)?;
    }
    f.write_str("}")
}

impl fmt::Display for Action {
    /// One line: `crash n1`, `partition [[1,2],[3,4,5]]`, `c1 put x=1`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Crash { node } => write!(f, "crash {node}"),
            Action::Restart { node } => write!(f, "restart {node}"),
            Action::Pause { node } => write!(f, "pause {node}"),
            Action::Resume { node } => write!(f, "resume {node}"),
            Action::SetDrift { node, drift_ppm } => write!(f, "drift {node} {drift_ppm}ppm"),
            Action::Partition { groups } => {
                // `[[1, 2], [3]]`, as `{:?}` writes it, without the Debug code for the lists.
                f.write_str("partition [")?;
                for (i, g) in groups.iter().enumerate() {
                    f.write_str(if i > 0 { ", [" } else { "[" })?;
                    for (j, n) in g.iter().enumerate() {
                        if j > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{}", n.0)?;
                    }
                    f.write_str("]")?;
                }
                f.write_str("]")
            }
            Action::Isolate { node } => write!(f, "isolate {node}"),
            Action::Cut { from, to } => write!(f, "cut {from}->{to}"),
            Action::Repair { from, to } => write!(f, "repair {from}->{to}"),
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
                opt(f, "from", &from.map(NodeId::get))?;
                opt(f, "to", &to.map(NodeId::get))?;
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
                opt(f, "kind", &kind.map(|k| k.name()))
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
            Action::Campaign { node } => write!(f, "campaign {node}"),
            Action::TransferLeader { from, to } => write!(f, "transfer leadership {from}->{to}"),
            Action::SetReadPath { read_path } => write!(f, "read path {}", read_path.name()),
            Action::SetDedup { on } => write!(f, "kv de-dup {}", if *on { "on" } else { "off" }),
            Action::SetToggle { toggle, on } => write!(
                f,
                "toggle {} {}",
                toggle.name(),
                if *on { "on" } else { "off" }
            ),
            Action::SetElectionTimeout {
                election_timeout_us_min,
                election_timeout_us_max,
            } => write!(
                f,
                "election timeout [{election_timeout_us_min}, {election_timeout_us_max})us"
            ),
            Action::Start { node, key, value } => write!(f, "start {node} put {key}={value}"),
            Action::SetReorder {
                from,
                to,
                reorder_ppm,
            } => {
                write!(f, "set reorder")?;
                opt(f, "from", &from.map(NodeId::get))?;
                opt(f, "to", &to.map(NodeId::get))?;
                write!(f, " reorder_ppm={reorder_ppm}")
            }
            Action::SetSnapshotThreshold {
                snapshot_threshold_entries,
            } => write!(f, "snapshot threshold {snapshot_threshold_entries} entries"),
            Action::SetByzantine { node, mode } => match mode {
                Some(m) => write!(f, "byzantine {node} {m}"),
                None => write!(f, "byzantine {node} honest"),
            },
            Action::AddNode {
                node,
                voter,
                leader,
            } => {
                let role = if *voter { "voter" } else { "learner" };
                write!(f, "add {node} as {role}")?;
                target(f, leader)
            }
            Action::RemoveNode { node, leader } => {
                write!(f, "remove {node}")?;
                target(f, leader)
            }
            Action::PromoteLearner { node, leader } => {
                write!(f, "promote {node}")?;
                target(f, leader)
            }
            Action::ChangeMembership {
                voters,
                learners,
                leader,
            } => {
                f.write_str("change membership to voters ")?;
                ids(f, voters)?;
                if !learners.is_empty() {
                    f.write_str(" learners ")?;
                    ids(f, learners)?;
                }
                target(f, leader)
            }
        }
    }
}
