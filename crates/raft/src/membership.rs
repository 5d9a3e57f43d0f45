//! Cluster membership as a value.
//!
//! Today a configuration is one set of voters. The seam for joint consensus (§6 of the
//! dissertation): a configuration becomes `{ incoming, outgoing }` and quorum questions are
//! answered by [`crate::quorum`] over both halves; callers only ask this type.

use crate::quorum::{self, VoteResult};
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

    /// The number of voters.
    pub fn len(&self) -> usize {
        self.voters.len()
    }

    /// Whether there are no voters.
    pub fn is_empty(&self) -> bool {
        self.voters.is_empty()
    }

    /// The election result for these `(voter, granted)` answers; answers from non-voters
    /// and repeated answers after the first are ignored.
    pub fn vote_result(&self, votes: &[(NodeId, bool)]) -> VoteResult {
        let (mut granted, mut rejected) = (0, 0);
        for (i, &(node, ok)) in votes.iter().enumerate() {
            if !self.contains(node) || votes[..i].iter().any(|&(n, _)| n == node) {
                continue;
            }
            if ok {
                granted += 1;
            } else {
                rejected += 1;
            }
        }
        quorum::vote_result(self.len(), granted, rejected)
    }

    /// The largest value a quorum has reached, given one value per voter (match indexes for
    /// the commit index, acknowledged heartbeat rounds for ReadIndex). Reorders `acked`.
    pub fn quorum_value(&self, acked: &mut [u64]) -> u64 {
        debug_assert_eq!(acked.len(), self.len(), "one value per voter");
        quorum::quorum_value(acked)
    }
}
