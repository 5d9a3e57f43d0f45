//! The snapshot as a value: what a node persists, sends in InstallSnapshot and restores
//! from. Its behaviour (taking, installing, restarting) is in [`crate::snapshot`].

use crate::membership::Configuration;
use crate::types::EntryId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A state machine snapshot and what Raft needs to continue after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The last entry the snapshot replaces.
    pub last_included: EntryId,
    /// The configuration in force at `last_included` (the latest configuration entry at
    /// or before it, or the bootstrap configuration).
    pub configuration: Configuration,
    /// The state machine's snapshot, opaque to Raft (shared: it is sent and persisted).
    pub data: Arc<[u8]>,
}

impl fmt::Display for Snapshot {
    /// `last=3/120 voters={1,2,3} 42B`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "last={} {} {}B",
            self.last_included,
            self.configuration,
            self.data.len()
        )
    }
}
