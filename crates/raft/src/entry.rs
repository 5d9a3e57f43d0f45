//! Log entries.

use crate::membership::Configuration;
use crate::types::EntryId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a log entry carries.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryPayload<C> {
    /// The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8).
    Noop,
    /// A client command for the replicated state machine.
    Command(C),
    /// A configuration change: the configuration that is in force on a server from the
    /// moment the entry is in its log (appended, not committed: §4.1 of the dissertation)
    /// until a later configuration entry is appended or this one is truncated away.
    /// Boxed: entries are moved and copied a lot, and changes are rare.
    Config(Box<Configuration>),
}

impl<C: Clone> Clone for EntryPayload<C> {
    /// By hand, to keep copying a command as cheap as before configuration entries
    /// existed: entries are cloned in bulk (ready, log, messages) and the configuration
    /// arm, rare, stays out of line.
    #[inline]
    fn clone(&self) -> Self {
        match self {
            EntryPayload::Noop => EntryPayload::Noop,
            EntryPayload::Command(c) => EntryPayload::Command(c.clone()),
            EntryPayload::Config(c) => clone_config(c),
        }
    }
}

#[cold]
#[inline(never)]
fn clone_config<C>(c: &Configuration) -> EntryPayload<C> {
    EntryPayload::Config(Box::new(c.clone()))
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
    /// `3/7 noop`, `3/7 put x=1` (the command's own `Display`) or
    /// `3/7 config voters={1,2,3}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.payload {
            EntryPayload::Noop => write!(f, "{} noop", self.id),
            EntryPayload::Command(c) => write!(f, "{} {}", self.id, c),
            EntryPayload::Config(c) => write!(f, "{} config {}", self.id, c),
        }
    }
}
