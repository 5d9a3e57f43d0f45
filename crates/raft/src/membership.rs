//! Cluster membership as a value.
//!
//! Today a configuration is one set of voters. The seam for joint consensus (§6 of the
//! dissertation): a configuration becomes `{ incoming, outgoing }` and quorum questions are
//! answered by [`crate::quorum`] over both halves; callers only ask this type.

use crate::types::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The set of servers whose votes and acknowledgements count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    voters: BTreeSet<NodeId>,
}

impl Configuration {
    /// A configuration of the given voters.
    pub fn new(voters: impl IntoIterator<Item = NodeId>) -> Self {
        Configuration {
            voters: voters.into_iter().collect(),
        }
    }

    /// The voters, in id order.
    pub fn voters(&self) -> &BTreeSet<NodeId> {
        &self.voters
    }

    /// Whether `id` is a voter.
    pub fn contains(&self, id: NodeId) -> bool {
        self.voters.contains(&id)
    }
}
