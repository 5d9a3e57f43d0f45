//! Log compaction and InstallSnapshot (chapter 5 of the dissertation).
//!
//! The state machine belongs to the driver, so the snapshot's data is opaque bytes the
//! driver gives ([`Node::compact`]) and restores ([`crate::Ready::apply_snapshot`]). The
//! node keeps the snapshot's last included id and the configuration in force there: the
//! log before it is gone, and [`crate::RaftLog`] answers for its last entry from the
//! snapshot's id.
//!
//! - **When**: with `Config::snapshot_threshold_entries` > 0, [`Node::snapshot_due`]
//!   says so once that many entries have been applied since the last snapshot; the driver
//!   then snapshots its state machine at the applied index and calls [`Node::compact`].
//! - **Sending**: a leader whose follower needs an entry at or before the leader's
//!   snapshot sends the snapshot ([`crate::Message::InstallSnapshot`], whole) and holds
//!   the follower in [`crate::ReplicationState::Snapshot`] until an acknowledgement at or
//!   beyond the snapshot's index (or a stalled heartbeat round: the snapshot was lost,
//!   probe again).
//! - **Installing**: a follower whose commit index is behind the snapshot replaces its
//!   log up to the snapshot's index (keeping the entries after it if its log holds the
//!   snapshot's last entry, §5.1), takes the snapshot's configuration as its base, and
//!   reports the snapshot to persist and to restore in its next ready.
//! - **Restart**: [`Node::restart`] from a [`crate::PersistentState`] with a snapshot
//!   starts with commit and applied at the snapshot's index and hands the snapshot back in
//!   `Ready::apply_snapshot`, so the driver restores it the same way.

use crate::config_history::ConfigHistory;
use crate::core::Core;
use crate::event::Event;
use crate::message::{AppendEntriesResponse, InstallSnapshot, Message};
use crate::node::Node;
use crate::snapshot_data::Snapshot;
use crate::types::{EntryId, LogIndex, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Why a compaction was refused. The node is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompactError {
    /// The index is not applied yet: the driver's state machine cannot be there.
    NotApplied {
        /// The index asked for.
        index: LogIndex,
        /// The applied index.
        applied: LogIndex,
    },
    /// The log is already compacted up to or beyond the index.
    AlreadyCompacted {
        /// The index asked for.
        index: LogIndex,
        /// The current snapshot's last included index.
        snapshot: LogIndex,
    },
}

impl fmt::Display for CompactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompactError::NotApplied { index, applied } => {
                write!(f, "index {index} is not applied (applied {applied})")
            }
            CompactError::AlreadyCompacted { index, snapshot } => {
                write!(
                    f,
                    "index {index} is already compacted (snapshot at {snapshot})"
                )
            }
        }
    }
}

impl std::error::Error for CompactError {}

impl<C: Clone> Core<C> {
    /// Takes `snapshot` as the new compaction point: the log and the configuration
    /// history start after it, and the ready carries it to persist (the persisted log then
    /// drops what the snapshot replaces).
    pub(crate) fn set_snapshot(&mut self, snapshot: Snapshot) {
        let id = snapshot.last_included;
        self.log.compact_to(id);
        self.configs = ConfigHistory::new(snapshot.configuration.clone(), id.index, &self.log);
        let r = &mut self.ready;
        r.log_append.retain(|e| e.id.index > id.index);
        r.log_truncate_from = r.log_truncate_from.map(|t| t.max(id.index.next()));
        if self.log.last_index() == id.index {
            // Nothing after the snapshot survives: the persisted log must go as well.
            r.log_truncate_from = Some(id.index.next());
        }
        self.ready.snapshot = Some(Box::new(snapshot.clone()));
        self.snapshot = Some(snapshot);
    }

    /// InstallSnapshot on a follower of the leader of this term.
    pub(crate) fn handle_install_snapshot(&mut self, from: NodeId, m: InstallSnapshot) {
        self.heard_from_leader(from);
        let id = m.snapshot.last_included;
        let index = if id.index <= self.commit {
            // Already covered by committed entries (a duplicate or a late snapshot).
            self.commit
        } else {
            let before = self.configs.current().clone();
            self.set_snapshot(m.snapshot.clone());
            self.commit = id.index;
            self.applied = id.index;
            // What the snapshot replaces is not applied one by one.
            self.ready.committed_entries.clear();
            self.ready.apply_snapshot = Some(Box::new(m.snapshot));
            self.event(Event::SnapshotInstalled { last_included: id });
            if *self.configs.current() != before {
                self.configuration_changed(false);
            }
            id.index
        };
        let reply = AppendEntriesResponse {
            term: self.term,
            success: true,
            index,
            reject_hint: None,
        };
        self.send(from, Message::AppendEntriesResponse(reply));
    }
}

impl<C: Clone> Node<C> {
    /// Sets the snapshot threshold of a running node (0 turns compaction off). It takes
    /// effect at the next [`Node::snapshot_due`]: a node already past a lowered threshold
    /// is due at once.
    pub fn set_snapshot_threshold_entries(&mut self, entries: u64) {
        self.core.config.snapshot_threshold_entries = entries;
        self.debug_check();
    }

    /// The applied index, when `Config::snapshot_threshold_entries` entries or more have
    /// been applied since the last snapshot (never with a threshold of 0): the driver
    /// should snapshot its state machine there and call [`Node::compact`].
    pub fn snapshot_due(&self) -> Option<LogIndex> {
        let c = &self.core;
        let threshold = c.config.snapshot_threshold_entries;
        let since = c.applied.0 - c.log.snapshot_id().index.0;
        (threshold > 0 && since >= threshold).then_some(c.applied)
    }

    /// Compacts the log up to `index` (applied) behind a snapshot whose state machine
    /// data is `data` (the driver's state machine after applying `index`). The ready
    /// carries the snapshot to persist.
    pub fn compact(&mut self, index: LogIndex, data: Arc<[u8]>) -> Result<(), CompactError> {
        let c = &mut self.core;
        let snapshot_index = c.log.snapshot_id().index;
        if index <= snapshot_index {
            return Err(CompactError::AlreadyCompacted {
                index,
                snapshot: snapshot_index,
            });
        }
        if index > c.applied {
            return Err(CompactError::NotApplied {
                index,
                applied: c.applied,
            });
        }
        let term = c
            .log
            .term_at(index)
            .expect("applied entries are in the log");
        let snapshot = Snapshot {
            last_included: EntryId { term, index },
            configuration: c.configs.at(index).clone(),
            data,
        };
        c.set_snapshot(snapshot);
        c.event(Event::LogCompacted {
            last_included: EntryId { term, index },
        });
        self.after_input();
        Ok(())
    }
}
