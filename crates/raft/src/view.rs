//! A read-only snapshot of a node, cheap enough to take every animation frame.

use crate::chunked::ChunkVec;
use crate::entry::Entry;
use crate::membership::Configuration;
use crate::progress::Progress;
use crate::role::Role;
use crate::snapshot_data::Snapshot;
use crate::types::{LogIndex, NodeId, Term};

/// A borrowed view of a node's state.
///
/// Invariants: `applied <= commit <= last log index`; `progress` is non-empty only for a
/// leader; `votes` is non-empty only for a (pre-)candidate.
#[derive(Clone, Debug)]
pub struct NodeView<'a, C> {
    /// This node.
    pub id: NodeId,
    /// Current role.
    pub role: Role,
    /// Current term.
    pub term: Term,
    /// Vote cast in `term`.
    pub vote: Option<NodeId>,
    /// Known leader of `term`.
    pub leader: Option<NodeId>,
    /// The log after the snapshot (its full chunks shared with copies of the node): its
    /// first entry has index `snapshot.last_included.index + 1` (1 without a snapshot).
    pub log: &'a ChunkVec<Entry<C>>,
    /// The latest snapshot: the log's compaction point (draw it as the log's boundary).
    pub snapshot: Option<&'a Snapshot>,
    /// Commit index (volatile).
    pub commit: LogIndex,
    /// Index of the last entry handed out for applying.
    pub applied: LogIndex,
    /// The configuration in force (the latest in the log, committed or not).
    pub configuration: &'a Configuration,
    /// The index of the log entry `configuration` comes from (0, or a snapshot's index,
    /// for the bootstrap configuration): committed once `commit >= configuration_index`.
    pub configuration_index: LogIndex,
    /// Per-follower progress (leaders only), in node order.
    pub progress: &'a [Progress],
    /// Votes received in the current (pre-)election: (voter, granted).
    pub votes: &'a [(NodeId, bool)],
    /// Lease end in node-local microseconds, when leading with a valid lease.
    pub lease_until_us: Option<u64>,
    /// When the election timer fires (followers and candidates), node-local microseconds.
    pub election_deadline_us: Option<u64>,
    /// When the next heartbeat is due (leaders).
    pub heartbeat_deadline_us: Option<u64>,
    /// The follower leadership is being transferred to, if any.
    pub transfer_target: Option<NodeId>,
}
