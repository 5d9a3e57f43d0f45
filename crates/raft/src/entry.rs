//! Log entries.

use crate::types::EntryId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a log entry carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryPayload<C> {
    /// The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8).
    Noop,
    /// A client command for the replicated state machine.
    Command(C),
    // Seam: membership changes (joint consensus) will add a `Config(..)` variant here.
}

/// One log entry: its identity and its payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry<C> {
    /// Term and index of the entry.
    pub id: EntryId,
    /// The entry's content.
    pub payload: EntryPayload<C>,
}

impl<C: fmt::Display> fmt::Display for Entry<C> {
    /// `3/7 noop` or `3/7 put x=1` (the command's own `Display`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.payload {
            EntryPayload::Noop => write!(f, "{} noop", self.id),
            EntryPayload::Command(c) => write!(f, "{} {}", self.id, c),
        }
    }
}
