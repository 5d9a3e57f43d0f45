//! The monitors' unit tests: each catches the bug it exists for.

use super::*;

fn d(term: u64, chain: u64) -> Digest {
    Digest {
        term: Term(term),
        chain,
    }
}

fn n(id: u32) -> NodeId {
    NodeId(id)
}

#[test]
fn two_leaders_in_one_term_violate_election_safety() {
    let mut m = Monitors::default();
    m.on_leader(1, n(1), Term(3), &ChunkVec::new());
    m.on_leader(2, n(1), Term(3), &ChunkVec::new());
    assert!(!m.any_violated());
    m.on_leader(3, n(2), Term(3), &ChunkVec::new());
    assert!(m.violated(MonitorId::ElectionSafety));
    assert_eq!(m.violations()[0].nodes, vec![n(1), n(2)]);
}

#[test]
fn truncating_a_committed_entry_is_reported_once_with_evidence() {
    let mut m = Monitors::default();
    let log: ChunkVec<Digest> = vec![d(1, 10), d(1, 11)].into();
    m.on_commit(5, n(1), Term(2), LogIndex(2), &log);
    m.on_truncate(6, n(2), Term(2), false, LogIndex(2), &log);
    m.on_truncate(7, n(3), Term(2), false, LogIndex(2), &log);
    let s = &m.states()[MonitorId::CommittedEntryLost as usize];
    assert_eq!(s.violations, 2);
    assert_eq!(s.first.as_ref().unwrap().time_us, 6);
    assert_eq!(s.first.as_ref().unwrap().indexes, vec![LogIndex(2)]);
}

#[test]
fn truncating_an_uncommitted_or_different_entry_is_fine() {
    let mut m = Monitors::default();
    m.on_commit(5, n(1), Term(2), LogIndex(1), &vec![d(1, 10)].into());
    m.on_truncate(
        6,
        n(2),
        Term(2),
        false,
        LogIndex(2),
        &vec![d(1, 10), d(1, 11)].into(),
    );
    m.on_truncate(6, n(3), Term(2), false, LogIndex(1), &vec![d(2, 99)].into());
    assert!(!m.any_violated());
}

#[test]
fn a_node_in_a_term_before_the_commit_may_drop_its_stale_copy() {
    // Entry 1/2 is committed in term 9. A node that missed terms 8 and 9 still holds
    // it from term 1; a leader of term 8 (which may lack it: it is committed later)
    // overwrites it. The majority of term 9 still holds the entry: no loss. A node in
    // term 9 or later doing the same would be one of that majority.
    let mut m = Monitors::default();
    let log: ChunkVec<Digest> = vec![d(1, 10), d(1, 11)].into();
    m.on_commit(5, n(4), Term(9), LogIndex(2), &log);
    m.on_truncate(6, n(2), Term(8), false, LogIndex(2), &log);
    assert!(!m.any_violated());
    m.on_truncate(7, n(3), Term(9), false, LogIndex(2), &log);
    assert!(m.violated(MonitorId::CommittedEntryLost));
}

#[test]
fn leader_missing_a_committed_entry_violates_completeness() {
    let mut m = Monitors::default();
    m.on_commit(
        5,
        n(1),
        Term(2),
        LogIndex(2),
        &vec![d(1, 10), d(1, 11)].into(),
    );
    m.on_leader(6, n(2), Term(3), &vec![d(1, 10)].into());
    assert!(m.violated(MonitorId::LeaderCompleteness));
}

#[test]
fn a_leader_of_the_commit_term_or_older_need_not_hold_the_entry() {
    // Entries 1..2 committed in term 2, entry 3 in term 4. A leader of term 3 (its votes
    // cast in term 3, delivered late) needs entries 1..2 only; one of term 5 needs all.
    let mut m = Monitors::default();
    m.on_commit(
        5,
        n(1),
        Term(2),
        LogIndex(2),
        &vec![d(1, 10), d(2, 11)].into(),
    );
    m.on_commit(
        6,
        n(3),
        Term(4),
        LogIndex(3),
        &vec![d(1, 10), d(2, 11), d(4, 12)].into(),
    );
    m.on_leader(7, n(2), Term(3), &vec![d(1, 10), d(2, 11)].into());
    m.on_leader(8, n(4), Term(2), &vec![d(1, 10), d(2, 11)].into());
    assert!(!m.any_violated());
    m.on_leader(9, n(5), Term(5), &vec![d(1, 10), d(2, 11)].into());
    assert!(m.violated(MonitorId::LeaderCompleteness));
}

#[test]
fn different_applied_entries_at_one_index_violate_state_machine_safety() {
    let mut m = Monitors::default();
    m.on_apply(1, n(1), LogIndex(1), d(1, 10));
    m.on_apply(2, n(2), LogIndex(1), d(1, 10));
    assert!(!m.any_violated());
    m.on_apply(3, n(3), LogIndex(1), d(2, 20));
    assert!(m.violated(MonitorId::StateMachineSafety));
}

#[test]
fn same_index_and_term_with_different_prefix_violates_log_matching() {
    let mut m = Monitors::default();
    m.on_append(1, n(1), LogIndex(3), d(2, 30));
    m.on_append(2, n(2), LogIndex(3), d(2, 30));
    assert!(!m.any_violated());
    m.on_append(3, n(3), LogIndex(3), d(2, 31));
    assert!(m.violated(MonitorId::LogMatching));
}

fn conf(voters: &[u32]) -> Configuration {
    Configuration::new(voters.iter().copied().map(NodeId))
}

fn elect(m: &mut Monitors, at: u64, leader: u32, term: u64, voters: &[u32], c: &Configuration) {
    for &v in voters {
        m.on_vote_granted(n(v), n(leader), Term(term));
    }
    m.on_elected(at, n(leader), Term(term), c);
}

#[test]
fn the_single_server_change_bug_violates_disjoint_quorums_with_evidence() {
    // The 2015 bug: n3 holds {1,2,3} (n4 removed), n1 holds {1,2,3,4,5} (n5 added);
    // {2,3} and {1,4,5} are majorities of each, disjoint.
    let mut m = Monitors::default();
    elect(&mut m, 10, 3, 3, &[2], &conf(&[1, 2, 3]));
    assert!(!m.any_violated());
    // A PreVote or a vote of another term for n1 changes nothing.
    m.on_vote_granted(n(2), n(1), Term(2));
    elect(&mut m, 20, 1, 3, &[4, 5], &conf(&[1, 2, 3, 4, 5]));
    assert!(m.violated(MonitorId::DisjointQuorums));
    let v = &m.violations()[0];
    assert_eq!(v.nodes, vec![n(3), n(1)]);
    assert_eq!(v.terms, vec![Term(3)]);
    assert_eq!(v.elections.len(), 2);
    assert_eq!(v.elections[0].votes, vec![n(2), n(3)]);
    assert_eq!(v.elections[1].votes, vec![n(1), n(4), n(5)]);
    assert_eq!(v.elections[1].configuration, conf(&[1, 2, 3, 4, 5]));
    assert!(v.description.contains("votes {1,4,5}"), "{}", v.description);
}

#[test]
fn two_leaders_from_one_voter_voting_twice_are_not_disjoint_quorums() {
    // Same configuration: majorities intersect, here in n3 (it forgot its vote).
    let mut m = Monitors::default();
    let c = conf(&[1, 2, 3]);
    elect(&mut m, 10, 1, 2, &[3], &c);
    elect(&mut m, 20, 2, 2, &[3], &c);
    assert!(!m.violated(MonitorId::DisjointQuorums));
}

#[test]
fn a_vote_set_short_of_its_quorum_or_another_term_is_not_a_violation() {
    let mut m = Monitors::default();
    // n1 "won" with {1} of {1,2,3} (not a quorum: a broken count, not this bug).
    elect(&mut m, 10, 1, 2, &[], &conf(&[1, 2, 3]));
    elect(&mut m, 20, 2, 2, &[3], &conf(&[1, 2, 3]));
    // Different terms never clash.
    elect(&mut m, 30, 4, 3, &[5], &conf(&[3, 4, 5]));
    assert!(!m.violated(MonitorId::DisjointQuorums));
    // Configurations without a common voter are two clusters, not this bug.
    elect(&mut m, 40, 6, 3, &[7], &conf(&[6, 7]));
    assert!(!m.violated(MonitorId::DisjointQuorums));
}

#[test]
fn a_joint_configuration_needs_both_halves() {
    // n1 holds {1,2,3}&{3,4,5}: {1,2} wins the first half only, {1,2,3,4} both.
    let joint = conf(&[1, 2, 3]).enter_joint(&conf(&[3, 4, 5])).unwrap();
    let mut m = Monitors::default();
    elect(&mut m, 10, 1, 2, &[2], &joint);
    elect(&mut m, 20, 4, 2, &[5], &conf(&[3, 4, 5]));
    assert!(!m.violated(MonitorId::DisjointQuorums));
    let mut m = Monitors::default();
    elect(&mut m, 10, 1, 2, &[2, 3, 4], &joint);
    elect(&mut m, 20, 6, 2, &[7], &conf(&[1, 6, 7]));
    assert!(m.violated(MonitorId::DisjointQuorums));
}

#[test]
fn elections_past_the_term_bound_are_forgotten() {
    let mut m = Monitors::default();
    elect(&mut m, 10, 3, 3, &[2], &conf(&[1, 2, 3]));
    let later = 3 + quorums::ELECTION_TERMS_KEPT_MAX;
    elect(&mut m, 20, 2, later, &[3], &conf(&[1, 2, 3]));
    // Term 3 is past the bound: its second leader is no longer checked here.
    elect(&mut m, 30, 1, 3, &[4, 5], &conf(&[1, 2, 3, 4, 5]));
    assert!(!m.violated(MonitorId::DisjointQuorums));
    assert!(m.elections.won_terms() <= 1);
}
