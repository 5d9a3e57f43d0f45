//! Quorum arithmetic, pure and separately tested.
//!
//! Everything here works on plain numbers so it can be checked against a brute-force oracle
//! (see the property tests). A joint configuration answers each question for both halves
//! and combines them ([`crate::Configuration`]): the commit index is the smaller of the two
//! values, a vote is won only when both halves are won ([`joint_vote_result`]).

/// The outcome of an election so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteResult {
    /// A majority granted.
    Won,
    /// A majority refused: the election cannot be won.
    Lost,
    /// Neither yet.
    Pending,
}

/// The smallest number of voters that is a majority of `voters` (1 for an empty set, so that
/// an empty configuration never reaches a quorum by accident).
pub fn majority(voters: usize) -> usize {
    voters / 2 + 1
}

/// The largest value `v` such that a majority of `acked` is `>= v` — the commit index from
/// match indexes, or the latest heartbeat round a quorum acknowledged. One value per voter.
/// Reorders `acked`. Returns 0 when `acked` is empty.
///
/// Sorts by insertion, quadratic in the number of voters: for the few voters a cluster
/// has (the simulator hosts at most 9) that is as fast as a selection, and a small fraction
/// of its Wasm code.
pub fn quorum_value(acked: &mut [u64]) -> u64 {
    if acked.is_empty() {
        return 0;
    }
    // Largest first.
    for i in 1..acked.len() {
        let mut j = i;
        while j > 0 && acked[j - 1] < acked[j] {
            acked.swap(j - 1, j);
            j -= 1;
        }
    }
    // The q-th largest value.
    acked[majority(acked.len()) - 1]
}

/// The result of an election among `voters` voters with `granted` grants and `rejected`
/// refusals so far.
pub fn vote_result(voters: usize, granted: usize, rejected: usize) -> VoteResult {
    let q = majority(voters);
    if granted >= q {
        VoteResult::Won
    } else if voters.saturating_sub(rejected) < q {
        VoteResult::Lost
    } else {
        VoteResult::Pending
    }
}

/// An election in a joint configuration from the two halves' results: won when both are
/// won, lost when either is lost, pending otherwise.
pub fn joint_vote_result(incoming: VoteResult, outgoing: VoteResult) -> VoteResult {
    match (incoming, outgoing) {
        (VoteResult::Won, VoteResult::Won) => VoteResult::Won,
        (VoteResult::Lost, _) | (_, VoteResult::Lost) => VoteResult::Lost,
        _ => VoteResult::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Oracle: try every candidate value; keep the largest that a majority has reached.
    fn quorum_value_naive(acked: &[u64]) -> u64 {
        let mut best = 0;
        for &v in acked {
            let reached = acked.iter().filter(|&&a| a >= v).count();
            if reached * 2 > acked.len() && v > best {
                best = v;
            }
        }
        best
    }

    /// Oracle: enumerate every way the missing voters could still answer.
    fn vote_result_naive(voters: usize, granted: usize, rejected: usize) -> VoteResult {
        let missing = voters - granted - rejected;
        let wins = |g: usize| 2 * g > voters;
        if wins(granted) {
            return VoteResult::Won;
        }
        if (0..=missing).any(|extra| wins(granted + extra)) {
            VoteResult::Pending
        } else {
            VoteResult::Lost
        }
    }

    #[test]
    fn quorum_value_examples() {
        assert_eq!(quorum_value(&mut [5]), 5);
        assert_eq!(quorum_value(&mut [5, 3, 9]), 5);
        assert_eq!(quorum_value(&mut [1, 2, 3, 4]), 2);
        assert_eq!(quorum_value(&mut [7, 7, 0, 0, 7]), 7);
        assert_eq!(quorum_value(&mut []), 0);
    }

    #[test]
    fn vote_result_examples() {
        assert_eq!(vote_result(1, 1, 0), VoteResult::Won);
        assert_eq!(vote_result(3, 1, 0), VoteResult::Pending);
        assert_eq!(vote_result(3, 2, 0), VoteResult::Won);
        assert_eq!(vote_result(3, 1, 2), VoteResult::Lost);
        assert_eq!(vote_result(4, 2, 2), VoteResult::Lost);
        assert_eq!(vote_result(4, 2, 1), VoteResult::Pending);
    }

    proptest! {
        #[test]
        fn quorum_value_matches_brute_force(acked in proptest::collection::vec(0u64..20, 1..10)) {
            let mut scratch = acked.clone();
            prop_assert_eq!(quorum_value(&mut scratch), quorum_value_naive(&acked));
        }

        #[test]
        // Votes are drawn to fit the voter count, not filtered: a filter rejects most
        // cases and proptest gives up on too many rejects.
        fn vote_result_matches_brute_force(
            (voters, g, r) in (1usize..12)
                .prop_flat_map(|voters| (Just(voters), 0..=voters))
                .prop_flat_map(|(voters, g)| (Just(voters), Just(g), 0..=voters - g))
        ) {
            prop_assert_eq!(vote_result(voters, g, r), vote_result_naive(voters, g, r));
        }
    }
}
