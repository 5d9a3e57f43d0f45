//! Identifier newtypes shared by every part of the protocol.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A server's identity. Displayed as `n3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u32);

/// A Raft term (§5.1). Terms start at 0 and only grow. Displayed as `t3`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Term(pub u64);

/// A position in the log. The first entry has index 1; index 0 means "before the log".
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct LogIndex(pub u64);

/// The identity of a log entry: its term and index. Two logs that hold the same `EntryId`
/// are identical up to that index (Log Matching, §5.3). Displayed as `3/7` (term/index).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct EntryId {
    /// The term of the leader that created the entry.
    pub term: Term,
    /// The entry's position in the log.
    pub index: LogIndex,
}

impl NodeId {
    /// The id as a plain number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Term {
    /// The next term.
    pub fn next(self) -> Term {
        Term(self.0 + 1)
    }
}

impl LogIndex {
    /// The next index.
    pub fn next(self) -> LogIndex {
        LogIndex(self.0 + 1)
    }
    /// The previous index, saturating at 0.
    pub fn prev(self) -> LogIndex {
        LogIndex(self.0.saturating_sub(1))
    }
}

impl EntryId {
    /// Builds an id from raw numbers.
    pub const fn new(term: u64, index: u64) -> Self {
        EntryId {
            term: Term(term),
            index: LogIndex(index),
        }
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{}", self.0)
    }
}

impl fmt::Display for LogIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.term.0, self.index.0)
    }
}
