//! A node's disk: what survives a crash (hard state, latest snapshot and the log after
//! it), with the log in a [`ChunkVec`] so that checkpoints share it instead of copying it.

use crate::kv::KvCommand;
use raft::{ChunkVec, Entry, HardState, LogIndex, PersistentState, Snapshot};

/// The persistent state of one node.
///
/// Invariants: `log` holds entries `first_index()..=last_index()` in order, as
/// `raft::PersistentState::persist` would have left them: the entries after the snapshot's
/// last included index (after 0 without a snapshot).
#[derive(Clone, Debug, Default)]
pub(crate) struct Disk {
    pub hard_state: HardState,
    pub log: ChunkVec<Entry<KvCommand>>,
    /// The latest snapshot: `log` holds the entries after it.
    pub snapshot: Option<Snapshot>,
}

impl Disk {
    /// The state a restart reads (a copy of the log: restarts are rare).
    pub fn to_persistent(&self) -> PersistentState<KvCommand> {
        PersistentState {
            hard_state: self.hard_state,
            log: self.log.to_vec(),
            snapshot: self.snapshot.clone(),
        }
    }

    /// The snapshot's last included index (0 without a snapshot).
    pub fn snapshot_index(&self) -> LogIndex {
        self.snapshot
            .as_ref()
            .map_or(LogIndex(0), |s| s.last_included.index)
    }

    /// The index of the last entry (the snapshot's when the log after it is empty).
    pub fn last_index(&self) -> LogIndex {
        LogIndex(self.snapshot_index().0 + self.log.len() as u64)
    }

    /// Takes `snapshot` as the latest: the entries it covers leave the log.
    pub fn store_snapshot(&mut self, snapshot: Snapshot) {
        let covered = snapshot.last_included.index.0 - self.snapshot_index().0;
        let keep = (covered as usize).min(self.log.len());
        self.log = self.log.to_vec_range(keep, self.log.len()).into();
        self.snapshot = Some(snapshot);
    }

    /// Removes the entries from index `from` on (`from` follows the snapshot).
    pub fn truncate_from(&mut self, from: LogIndex) {
        let first = self.snapshot_index().0 + 1;
        self.log.truncate(from.0.saturating_sub(first) as usize);
    }
}
