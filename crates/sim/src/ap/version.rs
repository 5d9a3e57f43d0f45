//! Last-writer-wins versions: a value with the stamp of the write that made it, and the
//! merge every replica applies to what it receives.

use raft::NodeId;
use serde::Serialize;
use std::fmt;

/// When a write was coordinated: the coordinator's local clock in µs, raised above every
/// stamp that replica had seen (so a write coordinated after a value was seen supersedes
/// it), then the coordinator's id to break ties. Ordered by `(time_us, node)`: the larger
/// stamp wins.
///
/// The clock drifts with the node's clock: a replica whose clock runs behind coordinates
/// writes that lose to earlier writes it has not seen. That is last-writer-wins as
/// Dynamo-style stores do it (Cassandra's timestamps), and one of the things the
/// playground shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Stamp {
    /// The coordinator's local µs (Lamport-raised).
    pub time_us: u64,
    /// The coordinator.
    pub node: NodeId,
}

impl Default for Stamp {
    /// Below every write's stamp.
    fn default() -> Self {
        Stamp {
            time_us: 0,
            node: NodeId(0),
        }
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.time_us, self.node)
    }
}

/// A key's value at one replica, with the stamp of the write that set it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Versioned {
    /// The value.
    pub value: String,
    /// The write's stamp.
    pub stamp: Stamp,
}

impl fmt::Display for Versioned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}@{}", self.value, self.stamp)
    }
}

/// Whether `incoming` replaces `current` under last-writer-wins.
pub fn supersedes(incoming: &Versioned, current: Option<&Versioned>) -> bool {
    current.is_none_or(|c| incoming.stamp > c.stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(value: &str, time_us: u64, node: u32) -> Versioned {
        Versioned {
            value: value.into(),
            stamp: Stamp {
                time_us,
                node: NodeId(node),
            },
        }
    }

    #[test]
    fn the_later_stamp_wins_and_the_node_breaks_ties() {
        assert!(supersedes(&v("a", 1, 1), None));
        assert!(supersedes(&v("a", 2, 1), Some(&v("b", 1, 3))));
        assert!(!supersedes(&v("a", 1, 3), Some(&v("b", 2, 1))));
        assert!(supersedes(&v("a", 5, 2), Some(&v("b", 5, 1))));
        assert!(!supersedes(&v("a", 5, 1), Some(&v("a", 5, 1))));
    }
}
