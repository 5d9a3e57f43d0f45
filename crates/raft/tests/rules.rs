//! One test per rule of the core protocol (terms, election, replication; the extensions are in
//! `rules_extensions.rs`), named after the rule, with the section of the Raft paper
//! (§5.x, Figure 2) or of Ongaro's dissertation (§3.10, §4.2.3, §6.x, §9.6) it pins. Each
//! feeds one input to a node in a known state and asserts the exact outputs.

mod rules_support;
use rules_support::*;

// ----- §5.1 terms -----

#[test]
fn higher_term_in_any_message_turns_a_leader_into_a_follower() {
    // Figure 2, All Servers: "If RPC request or response contains term T > currentTerm:
    // set currentTerm = T, convert to follower (§5.1)".
    let mut l = leader(3, plain(), &[]);
    let hb = Message::Heartbeat(Heartbeat {
        term: Term(3),
        commit: LogIndex(0),
        round: 4,
    });
    l.step(10, n(2), hb);
    let r = l.take_ready();
    assert_eq!(l.view().role, Role::Follower);
    assert_eq!(l.view().leader, Some(n(2)));
    assert_eq!(r.hard_state, hs(3, None));
    assert_eq!(r.messages, vec![env(1, 2, hb_resp(3, 4))]);
    assert_eq!(
        r.events[..2],
        [
            Event::TermAdvanced {
                from: Term(1),
                to: Term(3)
            },
            Event::RoleChanged {
                from: Role::Leader,
                to: Role::Follower,
                term: Term(3)
            }
        ]
    );
}

#[test]
fn request_with_stale_term_is_rejected_with_the_current_term() {
    // §5.1: "If a server receives a request with a stale term number, it rejects the
    // request" — replying with its term so the sender steps down.
    let mut f = node(2, 3, plain(), 3, None, &[1, 1]);
    f.step(10, n(1), append(2, (1, 2), &[(2, 3)], 2));
    let r = f.take_ready();
    assert_eq!(r.messages, vec![env(2, 1, append_resp(3, false, 2, None))]);
    assert_eq!(r.hard_state, None);
    assert!(r.log_append.is_empty());
    assert_eq!(f.view().log.len(), 2);
}

// ----- §5.2 leader election -----

#[test]
fn election_timeout_starts_an_election_voting_for_self() {
    // §5.2: increment currentTerm, vote for self, reset the election timer, send
    // RequestVote to all other servers.
    let mut f = node(1, 3, plain(), 0, None, &[]);
    assert_eq!(f.next_deadline_us(), Some(TIMEOUT));
    f.tick(TIMEOUT);
    let r = f.take_ready();
    assert_eq!(f.view().role, Role::Candidate);
    assert_eq!(r.hard_state, hs(1, Some(1)));
    assert!(r.needs_election_timeout);
    assert_eq!(f.next_deadline_us(), Some(2 * TIMEOUT));
    assert_eq!(
        r.messages,
        vec![
            env(1, 2, vote_req(1, (0, 0), false)),
            env(1, 3, vote_req(1, (0, 0), false))
        ]
    );
    assert_eq!(
        r.events,
        vec![
            Event::ElectionTimeout { term: Term(0) },
            Event::TermAdvanced {
                from: Term(0),
                to: Term(1)
            },
            Event::RoleChanged {
                from: Role::Follower,
                to: Role::Candidate,
                term: Term(1)
            },
        ]
    );
}

#[test]
fn each_server_votes_for_at_most_one_candidate_per_term() {
    // §5.2: "each server will vote for at most one candidate in a given term, on a
    // first-come-first-served basis"; the vote is persisted before the reply is sent.
    let mut f = node(3, 3, plain(), 0, None, &[]);
    f.step(1, n(1), vote_req(1, (0, 0), false));
    let r = f.take_ready();
    assert_eq!(r.hard_state, hs(1, Some(1)));
    assert_eq!(r.messages, vec![env(3, 1, vote_resp(1, true, false))]);
    f.step(2, n(2), vote_req(1, (0, 0), false));
    let r = f.take_ready();
    assert_eq!(r.hard_state, None);
    assert_eq!(r.messages, vec![env(3, 2, vote_resp(1, false, false))]);
    assert_eq!(
        r.events,
        vec![Event::VoteRejected {
            candidate: n(2),
            term: Term(1),
            pre_vote: false,
            reason: VoteRejection::AlreadyVoted {
                voted_for: n(1),
                term: Term(1)
            }
        }]
    );
    // A repeated request from the same candidate is granted again (lost reply).
    f.step(3, n(1), vote_req(1, (0, 0), false));
    assert_eq!(
        f.take_ready().messages,
        vec![env(3, 1, vote_resp(1, true, false))]
    );
}

#[test]
fn vote_is_refused_to_a_candidate_whose_log_is_less_up_to_date() {
    // §5.4.1: compare last terms, then lengths.
    let mut f = node(3, 3, plain(), 2, None, &[1, 1, 2]);
    f.step(1, n(1), vote_req(3, (1, 9), false)); // older last term, longer log
    let r = f.take_ready();
    assert_eq!(r.messages, vec![env(3, 1, vote_resp(3, false, false))]);
    assert_eq!(r.hard_state, hs(3, None), "the term still advances");
    f.step(2, n(2), vote_req(3, (2, 2), false)); // same last term, shorter
    assert_eq!(
        f.take_ready().messages,
        vec![env(3, 2, vote_resp(3, false, false))]
    );
    f.step(3, n(2), vote_req(3, (2, 3), false)); // same last term, as long
    let r = f.take_ready();
    assert_eq!(r.messages, vec![env(3, 2, vote_resp(3, true, false))]);
    assert_eq!(r.hard_state, hs(3, Some(2)));
}

#[test]
fn toggle_vote_without_log_check_grants_to_a_stale_log() {
    let config = Config {
        toggles: TeachingToggles {
            vote_without_log_check: true,
            ..TeachingToggles::default()
        },
        ..plain()
    };
    let mut f = node(3, 3, config, 2, None, &[1, 1, 2]);
    f.step(1, n(1), vote_req(3, (1, 1), false));
    assert_eq!(
        f.take_ready().messages,
        vec![env(3, 1, vote_resp(3, true, false))]
    );
}

#[test]
fn granting_a_vote_resets_the_election_timer_and_refusing_does_not() {
    // Figure 2, Followers: the timer restarts on AppendEntries from the current leader or
    // on granting a vote.
    let mut f = node(3, 3, plain(), 1, None, &[1]);
    f.set_election_timeout(300_000);
    f.step(150_000, n(1), vote_req(2, (0, 0), false)); // refused: shorter log
    let r = f.take_ready();
    assert!(!r.needs_election_timeout);
    assert_eq!(f.next_deadline_us(), Some(TIMEOUT));
    f.step(160_000, n(2), vote_req(2, (1, 1), false));
    let r = f.take_ready();
    assert!(r.needs_election_timeout);
    assert_eq!(f.next_deadline_us(), Some(460_000));
}

#[test]
fn candidate_with_a_majority_becomes_leader_and_appends_a_noop() {
    // §5.2 (majority wins) and §8 (a no-op entry at the start of the term).
    let mut c = node(1, 3, plain(), 0, None, &[]);
    c.campaign(0);
    c.take_ready();
    c.step(1, n(2), vote_resp(1, true, false));
    let r = c.take_ready();
    assert_eq!(c.view().role, Role::Leader);
    let noop = Entry {
        id: EntryId::new(1, 1),
        payload: EntryPayload::Noop,
    };
    assert_eq!(r.log_append, vec![noop.clone()]);
    let ae = |to| {
        env(
            1,
            to,
            Message::AppendEntries(AppendEntries {
                term: Term(1),
                prev: EntryId::new(0, 0),
                entries: vec![noop.clone()].into(),
                leader_commit: LogIndex(0),
            }),
        )
    };
    assert_eq!(r.messages, vec![ae(2), ae(3)]);
    assert_eq!(
        c.next_deadline_us(),
        Some(Config::default().heartbeat_interval_us + 1)
    );
}

#[test]
fn candidate_steps_down_on_append_from_a_leader_of_its_term() {
    // §5.2: "If the leader's term is at least as large as the candidate's current term,
    // then the candidate recognizes the leader as legitimate and returns to follower".
    let mut c = node(1, 3, plain(), 0, None, &[]);
    c.campaign(0);
    c.take_ready();
    c.step(5, n(2), append(1, (0, 0), &[(1, 1)], 0));
    let r = c.take_ready();
    assert_eq!(c.view().role, Role::Follower);
    assert_eq!(c.view().leader, Some(n(2)));
    assert_eq!(r.messages, vec![env(1, 2, append_resp(1, true, 1, None))]);
    assert_eq!(ids(&r.log_append), vec![EntryId::new(1, 1)]);
}

#[test]
fn candidate_returns_to_follower_when_a_majority_refuses() {
    let mut c = node(1, 3, plain(), 0, None, &[]);
    c.campaign(0);
    c.take_ready();
    c.step(1, n(2), vote_resp(1, false, false));
    assert_eq!(c.view().role, Role::Candidate);
    assert_eq!(c.view().votes, &[(n(1), true), (n(2), false)]);
    c.step(2, n(3), vote_resp(1, false, false));
    assert_eq!(c.view().role, Role::Follower);
    assert_eq!(c.view().term, Term(1));
}

// ----- §5.3 log replication -----

#[test]
fn append_is_rejected_when_the_log_has_no_matching_prev_entry() {
    // Figure 2 AppendEntries rule 2, with a hint: the follower's last entry at or below the
    // rejected index whose term is at most the rejected prev term.
    let mut f = node(2, 3, plain(), 3, None, &[1, 1, 2, 2]);
    f.step(1, n(1), append(3, (3, 4), &[(3, 5)], 0));
    let r = f.take_ready();
    assert_eq!(
        r.messages,
        vec![env(2, 1, append_resp(3, false, 4, Some((2, 4))))]
    );
    assert!(r.log_append.is_empty());
    f.step(2, n(1), append(3, (3, 9), &[], 0)); // beyond the end
    let r = f.take_ready();
    assert_eq!(
        r.messages,
        vec![env(2, 1, append_resp(3, false, 9, Some((2, 4))))]
    );
    f.step(3, n(1), append(3, (1, 3), &[], 0)); // only term 1 fits
    let r = f.take_ready();
    assert_eq!(
        r.messages,
        vec![env(2, 1, append_resp(3, false, 3, Some((1, 2))))]
    );
}

#[test]
fn conflicting_entries_are_deleted_from_the_first_conflict_on() {
    // Figure 2 AppendEntries rule 3: delete the existing entry and all that follow it.
    let mut f = node(2, 3, plain(), 1, None, &[1, 1, 1, 1]);
    f.step(1, n(1), append(2, (1, 1), &[(1, 2), (2, 3)], 0));
    let r = f.take_ready();
    assert_eq!(r.log_truncate_from, Some(LogIndex(3)));
    assert_eq!(ids(&r.log_append), vec![EntryId::new(2, 3)]);
    assert!(r.events.contains(&Event::LogTruncated {
        from: LogIndex(3),
        removed: vec![EntryId::new(1, 3), EntryId::new(1, 4)]
    }));
    assert_eq!(r.messages, vec![env(2, 1, append_resp(2, true, 3, None))]);
    assert_eq!(
        ids(&f.view().log.to_vec()),
        vec![EntryId::new(1, 1), EntryId::new(1, 2), EntryId::new(2, 3)]
    );
}

#[test]
fn a_stale_append_never_removes_matching_entries() {
    // §5.3: a reordered/duplicated AppendEntries whose entries all match must not truncate.
    let mut f = node(2, 3, plain(), 1, None, &[1, 1, 1, 1]);
    f.step(1, n(1), append(1, (1, 1), &[(1, 2)], 0));
    let r = f.take_ready();
    assert_eq!(r.log_truncate_from, None);
    assert!(r.log_append.is_empty());
    assert_eq!(r.messages, vec![env(2, 1, append_resp(1, true, 2, None))]);
    assert_eq!(f.view().log.len(), 4);
}

#[test]
fn follower_commit_is_the_min_of_leader_commit_and_last_new_entry() {
    // Figure 2 AppendEntries rule 5.
    let mut f = node(2, 3, plain(), 1, None, &[1, 1, 1, 1]);
    f.step(1, n(1), append(1, (1, 1), &[(1, 2)], 4));
    let r = f.take_ready();
    assert_eq!(f.view().commit, LogIndex(2));
    assert_eq!(
        ids(&r.committed_entries),
        vec![EntryId::new(1, 1), EntryId::new(1, 2)]
    );
    assert!(r.events.contains(&Event::CommitAdvanced {
        from: LogIndex(0),
        to: LogIndex(2)
    }));
}

#[test]
fn leader_commits_an_entry_of_its_term_once_a_majority_stores_it() {
    // §5.3 / Figure 2 Leaders: set commitIndex = N when a majority has matchIndex >= N and
    // log[N].term == currentTerm; the next AppendEntries tells followers.
    let mut l = leader(3, plain(), &[]);
    l.step(1, n(2), append_resp(1, true, 1, None));
    let r = l.take_ready();
    assert_eq!(l.view().commit, LogIndex(1));
    assert_eq!(ids(&r.committed_entries), vec![EntryId::new(1, 1)]);
    assert_eq!(r.messages, vec![env(1, 2, append(1, (1, 1), &[], 1))]);
    let p = &l.view().progress[0];
    assert_eq!(
        (p.node, p.match_index, p.next_index, p.state),
        (n(2), LogIndex(1), LogIndex(2), ReplicationState::Replicate)
    );
}

#[test]
fn leader_never_commits_an_earlier_term_entry_by_counting_replicas() {
    // §5.4.2 (Figure 8): index 2 (term 2) on a majority is not committed in term 3...
    let mut l = leader(3, plain(), &[1, 2]);
    assert_eq!(l.view().term, Term(3));
    l.step(1, n(2), append_resp(3, true, 2, None));
    let r = l.take_ready();
    assert_eq!(l.view().commit, LogIndex(0));
    assert!(r.committed_entries.is_empty());
    // ...but is, with the teaching toggle that removes the rule.
    let config = Config {
        toggles: TeachingToggles {
            commit_old_terms_by_counting: true,
            ..TeachingToggles::default()
        },
        ..plain()
    };
    let mut l = leader(3, config, &[1, 2]);
    l.step(1, n(2), append_resp(3, true, 2, None));
    assert_eq!(l.view().commit, LogIndex(2));
}

#[test]
fn rejection_hint_lets_the_leader_skip_whole_conflicting_terms() {
    // §5.3 optimization: the leader jumps to its last entry with term <= the hint's term.
    let mut l = leader(3, plain(), &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);
    assert_eq!(l.view().term, Term(7));
    // The follower has [1,1,1,2,2,2,3,3,3,3,3]: rejecting prev 6/10 it hints 3/10.
    l.step(1, n(2), append_resp(7, false, 10, Some((3, 10))));
    let r = l.take_ready();
    let expected: Vec<EntryId> = [4, 4, 5, 5, 6, 6, 6, 7]
        .iter()
        .enumerate()
        .map(|(k, &t)| EntryId::new(t, k as u64 + 4))
        .collect();
    assert_eq!(appends(&r), vec![(2, EntryId::new(1, 3), expected, 0)]);
    assert_eq!(r.messages.len(), 1);
    assert_eq!(l.view().progress[0].next_index, LogIndex(4));
}

#[test]
fn probe_state_sends_one_append_at_a_time_and_replicate_opens_its_window_by_one_per_ack() {
    let config = Config {
        entries_per_msg_max: 1,
        inflight_msgs_max: 2,
        ..plain()
    };
    let mut l = leader(2, config, &[]);
    // Probe: the no-op probe is outstanding, so a proposal sends nothing to n2.
    l.propose(1, 7).unwrap();
    assert!(l.take_ready().messages.is_empty());
    // The probe succeeds with the follower still behind: Replicate, slow start with a
    // window of one message.
    l.propose(2, 8).unwrap();
    l.propose(2, 9).unwrap();
    l.take_ready();
    l.step(3, n(2), append_resp(1, true, 1, None));
    let r = l.take_ready();
    assert_eq!(
        appends(&r),
        vec![(2, EntryId::new(1, 1), vec![EntryId::new(1, 2)], 1)]
    );
    assert_eq!(l.view().progress[0].inflight_msgs(), 1);
    // Its acknowledgement (which commits entry 2) opens the window to two: two messages
    // stream, filling it.
    l.step(4, n(2), append_resp(1, true, 2, None));
    let r = l.take_ready();
    assert_eq!(
        appends(&r),
        vec![
            (2, EntryId::new(1, 2), vec![EntryId::new(1, 3)], 2),
            (2, EntryId::new(1, 3), vec![EntryId::new(1, 4)], 2),
        ]
    );
    assert!(r.events.contains(&Event::InflightWindowFull {
        to: n(2),
        inflight_msgs_max: 2
    }));
    assert_eq!(l.view().progress[0].inflight_msgs(), 2);
}

#[test]
fn heartbeats_carry_the_commit_index_capped_at_the_follower_match() {
    // §5.2 heartbeats; §6.4 rounds.
    let mut l = leader(3, plain(), &[]);
    l.step(1, n(2), append_resp(1, true, 1, None));
    l.take_ready();
    let t = l.next_deadline_us().unwrap();
    l.tick(t);
    let r = l.take_ready();
    let hb = |commit, round| {
        Message::Heartbeat(Heartbeat {
            term: Term(1),
            commit: LogIndex(commit),
            round,
        })
    };
    assert_eq!(r.messages, vec![env(1, 2, hb(1, 1)), env(1, 3, hb(0, 1))]);
}
