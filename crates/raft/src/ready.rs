//! What a node hands back to its driver, and the state the driver persists for it.

use crate::entry::Entry;
use crate::event::Event;
use crate::message::Envelope;
use crate::role::Role;
use crate::snapshot_data::Snapshot;
use crate::types::{LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The state that must survive a crash (Figure 2, "persistent state on all servers"),
/// apart from the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardState {
    /// The latest term this server has seen.
    pub term: Term,
    /// The candidate this server voted for in `term`, if any.
    pub vote: Option<NodeId>,
}

/// Everything a node recovers from on restart: the hard state, the latest snapshot and the
/// log after it. The driver builds it by applying each [`Ready`]'s persistence
/// instructions in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersistentState<C> {
    /// Term and vote.
    pub hard_state: HardState,
    /// The log, in order: the entries after the snapshot (from index 1 without one).
    pub log: Vec<Entry<C>>,
    /// The latest snapshot, if the log was ever compacted.
    #[serde(default)]
    pub snapshot: Option<Snapshot>,
}

impl<C> Default for PersistentState<C> {
    /// A fresh server's: term 0, no vote, no snapshot, an empty log.
    fn default() -> Self {
        PersistentState {
            hard_state: HardState::default(),
            log: Vec::new(),
            snapshot: None,
        }
    }
}

impl<C: Clone> PersistentState<C> {
    /// Applies one ready's persistence instructions (hard state, snapshot, truncation,
    /// append), the way a driver's stable storage must.
    pub fn persist(&mut self, ready: &Ready<C>) {
        if let Some(hs) = ready.hard_state {
            self.hard_state = hs;
        }
        if let Some(s) = &ready.snapshot {
            let index = s.last_included.index;
            let drop = self.log.iter().take_while(|e| e.id.index <= index).count();
            self.log.drain(..drop);
            self.snapshot = Some((**s).clone());
        }
        if let Some(from) = ready.log_truncate_from {
            let first = self.log.first().map_or(from, |e| e.id.index);
            self.log.truncate(from.0.saturating_sub(first.0) as usize);
        }
        self.log.extend(ready.log_append.iter().cloned());
    }
}

/// The volatile state a renderer cares about: role, term and known leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftState {
    /// Current role.
    pub role: Role,
    /// Current term.
    pub term: Term,
    /// The leader of `term` as far as this node knows.
    pub leader: Option<NodeId>,
}

/// A driver-chosen identifier for a read request.
pub type ReadId = u64;

/// A read that may now be served from the local state machine, once the entries of the same
/// [`Ready`] have been applied: the node guarantees `applied >= index` at that point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadState {
    /// The driver's id of the read.
    pub id: ReadId,
    /// The commit index the read is linearized at.
    pub index: LogIndex,
}

/// Outputs accumulated since the last [`crate::Node::take_ready`].
///
/// **The persistence rule.** The driver must make `hard_state`, `snapshot`,
/// `log_truncate_from` and `log_append` durable (in that order) *before* sending any of
/// `messages`: a vote or an acknowledgement promises that the state behind it survives a
/// crash. Then it sends the messages, restores `apply_snapshot` if set, applies
/// `committed_entries` in order, and serves `read_states`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready<C> {
    /// Set when role, term or known leader changed.
    pub soft_state: Option<SoftState>,
    /// Set when term or vote changed; persist before sending.
    pub hard_state: Option<HardState>,
    /// A snapshot to persist (replacing the previous one); the persisted log drops the
    /// entries at or before its last included index. First after `hard_state`.
    /// Boxed, like `apply_snapshot`: a ready is moved on every drain and snapshots are rare.
    pub snapshot: Option<Box<Snapshot>>,
    /// A snapshot from the leader: restore the state machine from its data before
    /// applying `committed_entries` (which then follow it). Also set once after a restart
    /// from a persisted snapshot.
    pub apply_snapshot: Option<Box<Snapshot>>,
    /// Delete persisted entries with index `>=` this (conflict truncation, §5.3).
    pub log_truncate_from: Option<LogIndex>,
    /// Entries to append to the persisted log after the truncation.
    pub log_append: Vec<Entry<C>>,
    /// Messages to send once the above is durable.
    pub messages: Vec<Envelope<C>>,
    /// Newly committed entries, in index order, to apply to the state machine.
    pub committed_entries: Vec<Entry<C>>,
    /// Reads that can now be served (after applying `committed_entries`).
    pub read_states: Vec<ReadState>,
    /// Reads accepted earlier that will never be served (leadership was lost).
    pub dropped_reads: Vec<ReadId>,
    /// True when the node used its staged election timeout and wants a fresh random one
    /// through [`crate::Node::set_election_timeout`].
    pub needs_election_timeout: bool,
    /// What happened, for the trace.
    pub events: Vec<Event>,
}

impl<C> Default for Ready<C> {
    fn default() -> Self {
        Ready {
            soft_state: None,
            hard_state: None,
            snapshot: None,
            apply_snapshot: None,
            log_truncate_from: None,
            log_append: Vec::new(),
            messages: Vec::new(),
            committed_entries: Vec::new(),
            read_states: Vec::new(),
            dropped_reads: Vec::new(),
            needs_election_timeout: false,
            events: Vec::new(),
        }
    }
}

impl<C> Ready<C> {
    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.soft_state.is_none()
            && self.hard_state.is_none()
            && self.snapshot.is_none()
            && self.apply_snapshot.is_none()
            && self.log_truncate_from.is_none()
            && self.log_append.is_empty()
            && self.messages.is_empty()
            && self.committed_entries.is_empty()
            && self.read_states.is_empty()
            && self.dropped_reads.is_empty()
            && !self.needs_election_timeout
            && self.events.is_empty()
    }
}

/// Why a proposal was refused. The node's state is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposeError {
    /// Only the leader accepts proposals; `leader_hint` is the leader this node knows of.
    NotLeader {
        /// Where the client should go instead.
        leader_hint: Option<NodeId>,
    },
    /// A leadership transfer is under way; the leader refuses new proposals until it ends.
    TransferInProgress,
}

/// Why a read request was refused. The node's state is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadError {
    /// Only the leader serves linearizable reads; `leader_hint` is the leader this node
    /// knows of.
    NotLeader {
        /// Where the client should go instead.
        leader_hint: Option<NodeId>,
    },
}

/// Why a leadership transfer was refused. The node's state is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferError {
    /// Only the leader can transfer leadership.
    NotLeader {
        /// The leader this node knows of.
        leader_hint: Option<NodeId>,
    },
    /// The target is not a voter of the current configuration, or is the leader itself.
    InvalidTarget(NodeId),
}

fn hint(f: &mut fmt::Formatter<'_>, leader_hint: &Option<NodeId>) -> fmt::Result {
    match leader_hint {
        Some(l) => write!(f, "not the leader (try {l})"),
        None => write!(f, "not the leader (leader unknown)"),
    }
}

impl fmt::Display for ProposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProposeError::NotLeader { leader_hint } => hint(f, leader_hint),
            ProposeError::TransferInProgress => write!(f, "leadership transfer in progress"),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotLeader { leader_hint } => hint(f, leader_hint),
        }
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::NotLeader { leader_hint } => hint(f, leader_hint),
            TransferError::InvalidTarget(n) => write!(f, "{n} cannot take over leadership"),
        }
    }
}

impl std::error::Error for ProposeError {}
impl std::error::Error for ReadError {}
impl std::error::Error for TransferError {}
