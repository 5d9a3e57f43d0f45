//! A node's disk: what survives a crash (hard state and log), with the log in a
//! [`ChunkVec`] so that checkpoints share it instead of copying it.

use crate::kv::KvCommand;
use raft::{ChunkVec, Entry, HardState, PersistentState, Snapshot};

/// The persistent state of one node.
///
/// Invariants: `log` holds entries `1..=len` in order, as `raft::PersistentState::persist`
/// would have left them.
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
}
