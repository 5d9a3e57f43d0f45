//! Cluster membership as a value.
//!
//! Today a configuration is one set of voters. The seam for joint consensus (§6 of the
//! dissertation): a configuration becomes `{ incoming, outgoing }` and quorum questions are
//! answered by [`crate::quorum`] over both halves; callers only ask this type.

use crate::quorum::{self, VoteResult};
use crate::types::NodeId;
use serde::Serialize;

/// The set of servers whose votes and acknowledgements count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Configuration {
    /// Sorted, without repeats. A vector, not a `BTreeSet`: a cluster has a handful of
    /// voters, and each distinct `BTreeSet` type costs kilobytes in the Wasm module.
    voters: Vec<NodeId>,
}

impl Configuration {
    /// A configuration of the given voters (repeats count once).
    pub fn new(voters: impl IntoIterator<Item = NodeId>) -> Self {
        let mut sorted: Vec<NodeId> = Vec::new();
        for id in voters {
            if let Err(at) = sorted.binary_search(&id) {
                sorted.insert(at, id);
            }
        }
        Configuration { voters: sorted }
    }

    /// The voters, in id order.
    pub fn voters(&self) -> &[NodeId] {
        &self.voters
    }

    /// Whether `id` is a voter.
    pub fn contains(&self, id: NodeId) -> bool {
        self.voters.binary_search(&id).is_ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voters_are_sorted_and_counted_once() {
        let c = Configuration::new([3, 1, 2, 3, 1].map(NodeId));
        assert_eq!(c.voters(), &[NodeId(1), NodeId(2), NodeId(3)]);
        assert_eq!(c.len(), 3);
        assert!(c.contains(NodeId(2)) && !c.contains(NodeId(4)));
    }
}
