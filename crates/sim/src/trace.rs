//! The trace: every event with its time, stored compactly, rendered to one line on demand,
//! and folded into a stable 64-bit hash (FNV-1a over the fields as 64-bit words and string
//! bytes, integer-only, identical on every platform). Memory is bounded: only the last `capacity` records are
//! kept; the hash covers all of them.

use crate::action::Action;
use crate::kv::ApplyKind;
use crate::monitor::MonitorId;
use crate::vocab::vocab;
use crate::wire::{Endpoint, MsgKind};
pub use hash::Fnv;
use raft::{Event, LogIndex, NodeId, Role, Term};
pub use ring::Trace;
use serde::Serialize;
use std::fmt;

mod hash;
mod line_case;
mod ring;

pub use line_case::{fill as fill_line, LineCase, LineParams};

/// Default bound on the records kept in memory.
pub const TRACE_RECORDS_MAX: usize = 4_096;

vocab! {
    /// Why a message did not arrive; the label is the trace text (`drop #4 n1->n2 append:
    /// link down`).
    pub enum DropReason {
        /// The link was down (partition or cut).
        LinkDown = "link_down" / "link down",
        /// Random loss.
        Lost = "lost",
        /// The receiver was crashed.
        NodeCrashed = "node_crashed" / "receiver crashed",
        /// The link already had `link_inflight_msgs_max` messages in flight.
        LinkOverflow = "link_overflow",
        /// A user dropped it.
        User = "user" / "dropped by user",
        /// A `drop_next` rule matched it.
        Rule = "rule" / "dropped by rule",
    }
    impl Serialize;
}

/// What happened.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceKind {
    /// A message left its sender.
    Send {
        /// Message id.
        id: u64,
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// Kind.
        kind: MsgKind,
        /// Raft term (client messages: sequence number).
        term: u64,
    },
    /// A message arrived.
    Deliver {
        /// Message id.
        id: u64,
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// Kind.
        kind: MsgKind,
    },
    /// A message was lost.
    Drop {
        /// Message id.
        id: u64,
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// Kind.
        kind: MsgKind,
        /// Why.
        reason: DropReason,
    },
    /// The network duplicated a message.
    Duplicate {
        /// Original.
        id: u64,
        /// The copy.
        copy: u64,
    },
    /// A node's timer fired.
    Timer {
        /// Node.
        node: NodeId,
    },
    /// Something a node reported.
    Node {
        /// Node.
        node: NodeId,
        /// The event.
        event: Event,
    },
    /// State made durable before sending.
    Persist {
        /// Node.
        node: NodeId,
        /// Term persisted.
        term: Term,
        /// Vote persisted.
        vote: Option<NodeId>,
        /// Truncated from this index (0: none).
        truncate_from: LogIndex,
        /// Entries appended.
        appended: u32,
        /// Last index after.
        last_index: LogIndex,
    },
    /// An entry was applied to a node's state machine.
    Apply {
        /// Node.
        node: NodeId,
        /// Index.
        index: LogIndex,
        /// Term.
        term: Term,
        /// Client of the command (0 for a no-op).
        client: u32,
        /// Sequence number.
        seq: u64,
        /// Fresh, deduplicated or applied again.
        how: ApplyKind,
    },
    /// A client invoked an operation.
    ClientInvoke {
        /// Client.
        client: u32,
        /// History id.
        op: u64,
        /// Sequence number.
        seq: u64,
    },
    /// A client (re)sent a request.
    ClientAttempt {
        /// Client.
        client: u32,
        /// History id.
        op: u64,
        /// Attempt number, from 1.
        attempt: u32,
        /// Target node.
        node: NodeId,
    },
    /// A client's operation ended.
    ClientComplete {
        /// Client.
        client: u32,
        /// History id.
        op: u64,
        /// Outcome.
        outcome: crate::history::Outcome,
    },
    /// A user or scenario action was applied.
    Action(Box<Action>),
    /// A safety monitor found a violation.
    Violation {
        /// Which monitor.
        monitor: MonitorId,
    },
    /// A follower refused an AppendEntries (its log does not hold `prev`, §5.3): a note
    /// beside the `send` line of its reply. Notes are kept and drained like every record but
    /// not folded into the trace hash: they add no information the hashed records lack,
    /// so adding them kept every existing hash.
    AppendRejected {
        /// The follower.
        node: NodeId,
        /// The leader it answered.
        leader: NodeId,
        /// The `prev.index` it refused.
        index: LogIndex,
        /// The backtracking hint it sent (its last entry at or below `index` with a term at
        /// most `prev.term`).
        hint: Option<raft::EntryId>,
    },
    /// The lying node's host rewrote message `id` it sent (`set_byzantine`, see
    /// [`crate::byzantine`]): the record right after that message's `send` line.
    Lie {
        /// The message.
        id: u64,
        /// The lying node.
        node: NodeId,
        /// The receiver lied to.
        to: NodeId,
        /// How.
        mode: crate::byzantine::ByzantineMode,
    },
}

/// One trace record.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRecord {
    /// Position in the whole trace, from 0.
    pub seq: u64,
    /// Virtual time, µs.
    pub time_us: u64,
    /// What happened.
    pub kind: TraceKind,
}

impl TraceKind {
    /// The category (`send`, `deliver`, `drop`, ...).
    pub fn category(&self) -> Category {
        match self {
            TraceKind::Send { .. } => Category::Send,
            TraceKind::Deliver { .. } => Category::Deliver,
            TraceKind::Drop { .. } => Category::Drop,
            TraceKind::Duplicate { .. } => Category::Duplicate,
            TraceKind::Timer { .. } => Category::Timer,
            TraceKind::Node { event, .. } => match event {
                Event::RoleChanged { .. } => Category::Role,
                Event::CommitAdvanced { .. } => Category::Commit,
                _ => Category::Node,
            },
            TraceKind::Persist { .. } => Category::Persist,
            TraceKind::Apply { .. } => Category::Apply,
            TraceKind::ClientInvoke { .. } => Category::ClientInvoke,
            TraceKind::ClientAttempt { .. } => Category::ClientAttempt,
            TraceKind::ClientComplete { .. } => Category::ClientComplete,
            TraceKind::Action(_) => Category::Action,
            TraceKind::Violation { .. } => Category::Violation,
            TraceKind::AppendRejected { .. } | TraceKind::Lie { .. } => Category::Node,
        }
    }

    /// The node this record is about, if any.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            TraceKind::Timer { node }
            | TraceKind::AppendRejected { node, .. }
            | TraceKind::Lie { node, .. }
            | TraceKind::Node { node, .. }
            | TraceKind::Persist { node, .. }
            | TraceKind::Apply { node, .. } => Some(*node),
            TraceKind::Send { from, .. } => match from {
                Endpoint::Node(n) => Some(*n),
                Endpoint::Client(_) => None,
            },
            TraceKind::Deliver { to, .. } | TraceKind::Drop { to, .. } => match to {
                Endpoint::Node(n) => Some(*n),
                Endpoint::Client(_) => None,
            },
            _ => None,
        }
    }

    /// The message this record is about, if any.
    pub fn message(&self) -> Option<u64> {
        match self {
            TraceKind::Send { id, .. }
            | TraceKind::Deliver { id, .. }
            | TraceKind::Drop { id, .. }
            | TraceKind::Duplicate { id, .. }
            | TraceKind::Lie { id, .. } => Some(*id),
            _ => None,
        }
    }
}

impl fmt::Display for TraceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceKind::Send {
                id,
                from,
                to,
                kind,
                term,
            } => write!(f, "send #{id} {from}->{to} {} t{term}", kind.name()),
            TraceKind::Deliver { id, from, to, kind } => {
                write!(f, "deliver #{id} {from}->{to} {}", kind.name())
            }
            TraceKind::Drop {
                id,
                from,
                to,
                kind,
                reason,
            } => write!(
                f,
                "drop #{id} {from}->{to} {}: {}",
                kind.name(),
                reason.label()
            ),
            TraceKind::Duplicate { id, copy } => write!(f, "duplicate #{id} as #{copy}"),
            TraceKind::Timer { node } => write!(f, "{node} timer"),
            TraceKind::Node { node, event } => write!(f, "{node} {event}"),
            TraceKind::Persist {
                node,
                term,
                vote,
                truncate_from,
                appended,
                last_index,
            } => {
                write!(f, "{node} persist {term} vote=")?;
                match vote {
                    Some(v) => write!(f, "{v}")?,
                    None => write!(f, "-")?,
                }
                if truncate_from.0 > 0 {
                    write!(f, " truncate>={truncate_from}")?;
                }
                write!(f, " +{appended} last={last_index}")
            }
            TraceKind::Apply {
                node,
                index,
                term,
                client,
                seq,
                how,
            } => {
                write!(f, "{node} apply {}/{index}", term.0)?;
                if *client > 0 {
                    write!(f, " c{client}#{seq}")?;
                } else {
                    write!(f, " noop")?;
                }
                match how {
                    ApplyKind::Fresh => Ok(()),
                    ApplyKind::Deduplicated => write!(f, " (duplicate, skipped)"),
                    ApplyKind::AppliedAgain => write!(f, " (duplicate, APPLIED AGAIN)"),
                }
            }
            TraceKind::ClientInvoke { client, op, seq } => {
                write!(f, "c{client} invoke op{op} seq={seq}")
            }
            TraceKind::ClientAttempt {
                client,
                op,
                attempt,
                node,
            } => write!(f, "c{client} op{op} attempt {attempt} -> {node}"),
            TraceKind::ClientComplete {
                client,
                op,
                outcome,
            } => write!(
                f,
                "c{client} op{op} {}",
                crate::history::outcome_name(*outcome)
            ),
            TraceKind::Action(a) => write!(f, "action {a}"),
            TraceKind::Violation { monitor } => {
                write!(f, "VIOLATION {}", monitor.name())
            }
            TraceKind::AppendRejected {
                node,
                leader,
                index,
                hint,
            } => {
                write!(
                    f,
                    "{node} rejects append from {leader}: no match at {index}"
                )?;
                match hint {
                    Some(h) => write!(f, " (hint {}@{})", h.index, h.term),
                    None => Ok(()),
                }
            }
            TraceKind::Lie { id, node, to, mode } => {
                write!(f, "{node} LIES to {to} in #{id}: {}", mode.label())
            }
        }
    }
}

impl fmt::Display for TraceRecord {
    /// `[   12.345ms] send #12 n1->n2 append t3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:>7}.{:03}ms] {}",
            self.time_us / 1000,
            self.time_us % 1000,
            self.kind
        )
    }
}

vocab! {
    /// What a trace line is about, for filtering and colouring (a node event is `role` for a
    /// role change, `commit` for a commit advance, else `node`).
    pub enum Category {
        /// A message left its sender.
        Send = "send",
        /// A message arrived.
        Deliver = "deliver",
        /// A message was lost.
        Drop = "drop",
        /// The network duplicated a message.
        Duplicate = "duplicate",
        /// A node's timer fired.
        Timer = "timer",
        /// A node changed role.
        Role = "role",
        /// A node's commit index advanced.
        Commit = "commit",
        /// Something else a node reported.
        Node = "node",
        /// State made durable.
        Persist = "persist",
        /// An entry applied to a state machine.
        Apply = "apply",
        /// A client invoked an operation.
        ClientInvoke = "client_invoke",
        /// A client (re)sent a request.
        ClientAttempt = "client_attempt",
        /// A client's operation ended.
        ClientComplete = "client_complete",
        /// A user or scenario action.
        Action = "action",
        /// A safety monitor fired.
        Violation = "violation",
    }
    impl Serialize;
}

/// A trace line for the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceLine {
    /// Position in the whole trace.
    pub seq: u64,
    /// Virtual time, µs.
    pub time_us: u64,
    /// `send`, `deliver`, `drop`, `timer`, `role`, `commit`, `persist`, `apply`, ...
    pub category: Category,
    /// The node concerned, if any.
    pub node: Option<NodeId>,
    /// The message concerned, if any.
    pub message: Option<u64>,
    /// The one-line text, in English (empty when the caller asked for marker text only and
    /// this line has no marker).
    pub text: String,
    /// What the line says, as data: the page words it in the reader's language
    /// (`line_<case>`); `None`, and left out of JSON, when `text` is empty (a busy frame's
    /// unmarked lines carry nothing more than before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<LineCase>,
    /// The holes of `case`'s label, in order (empty, and left out of JSON, when `text` is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub params: LineParams,
    /// What the timeline marks this line as, if anything.
    pub marker: Option<Marker>,
}

vocab! {
    /// The kinds of moments the page's timeline marks.
    pub enum Marker {
        /// A node became leader.
        Election = "election",
        /// A fault a user or scenario injected (crash, partition, drop, ...:
        /// [`Action::is_fault`]).
        Fault = "fault",
        /// A safety monitor fired.
        Violation = "violation",
        /// A client operation failed or timed out (unknown outcome).
        ClientError = "client_error",
        /// Any other user or scenario action (a client request, a setting, a membership
        /// step): on the timeline, not a fault.
        Action = "action",
    }
    impl Serialize;
}

impl TraceKind {
    /// What the timeline marks this record as, if anything.
    pub fn marker(&self) -> Option<Marker> {
        match self {
            TraceKind::Violation { .. } => Some(Marker::Violation),
            TraceKind::Action(a) if a.is_fault() => Some(Marker::Fault),
            TraceKind::Action(_) => Some(Marker::Action),
            TraceKind::Node {
                event:
                    Event::RoleChanged {
                        to: Role::Leader, ..
                    },
                ..
            } => Some(Marker::Election),
            TraceKind::ClientComplete { outcome, .. }
                if *outcome != crate::history::Outcome::Ok =>
            {
                Some(Marker::ClientError)
            }
            _ => None,
        }
    }
}

impl TraceRecord {
    /// The page's form.
    pub fn line(&self) -> TraceLine {
        self.line_with(true)
    }

    /// The page's form; with `all_text` false, only lines with a marker carry their text
    /// (formatting every line is most of the cost of a busy frame's events).
    pub fn line_with(&self, all_text: bool) -> TraceLine {
        let marker = self.kind.marker();
        let (case, params) = if all_text || marker.is_some() {
            let (c, p) = self.kind.case();
            (Some(c), p)
        } else {
            (None, Vec::new())
        };
        TraceLine {
            seq: self.seq,
            time_us: self.time_us,
            category: self.kind.category(),
            node: self.kind.node(),
            message: self.kind.message(),
            // The text from the holes: the same as `Display` (tested over a busy run), and
            // one formatting pass per line rather than two.
            text: case.map_or(String::new(), |c| fill_line(c.label(), &params)),
            case,
            params,
            marker,
        }
    }
}
