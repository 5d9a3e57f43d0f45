//! One test per protocol rule, named after the rule, with the section of the Raft paper
//! (§5.x, Figure 2) or of Ongaro's dissertation (§3.10, §4.2.3, §6.x, §9.6) it pins. Each
//! feeds one input to a node in a known state and asserts the exact outputs.

use raft::{
    AppendEntries, AppendEntriesResponse, Config, Configuration, Entry, EntryId, EntryPayload,
    Envelope, Event, HardState, Heartbeat, HeartbeatResponse, LogIndex, Message, Node, NodeId,
    PersistentState, ProposeError, ReadMode, ReadState, Ready, ReplicationState, RequestVote,
    RequestVoteResponse, Role, TeachingToggles, Term, TimeoutNow, VoteRejection,
};

const TIMEOUT: u64 = 200_000;

fn n(id: u32) -> NodeId {
    NodeId(id)
}

fn plain() -> Config {
    Config {
        pre_vote: false,
        check_quorum: false,
        ..Config::default()
    }
}

fn ent(term: u64, index: u64) -> Entry<u64> {
    Entry {
        id: EntryId::new(term, index),
        payload: EntryPayload::Command(index),
    }
}

fn log(terms: &[u64]) -> Vec<Entry<u64>> {
    terms
        .iter()
        .enumerate()
        .map(|(i, &t)| ent(t, i as u64 + 1))
        .collect()
}

/// Node `id` of a `size`-node cluster, restarted from the given state at time 0.
fn node(
    id: u32,
    size: u32,
    config: Config,
    term: u64,
    vote: Option<u32>,
    terms: &[u64],
) -> Node<u64> {
    let persisted = PersistentState {
        hard_state: HardState {
            term: Term(term),
            vote: vote.map(NodeId),
        },
        log: log(terms),
    };
    let conf = Configuration::new((1..=size).map(NodeId));
    Node::restart(n(id), config, conf, persisted, TIMEOUT, 0).unwrap()
}

/// Node 1 as leader of a `size`-node cluster, elected at time 0 by nodes 2.. (outputs
/// drained). Its log is `terms` plus its no-op.
fn leader(size: u32, config: Config, terms: &[u64]) -> Node<u64> {
    let last = terms.last().copied().unwrap_or(0);
    let mut nd = node(1, size, config, last, None, terms);
    nd.campaign(0);
    for p in 2..=size {
        let term = nd.view().term;
        let msg = match nd.view().role {
            Role::PreCandidate => vote_resp(term.0 + 1, true, true),
            Role::Candidate => vote_resp(term.0, true, false),
            _ => break,
        };
        nd.step(0, n(p), msg);
    }
    assert_eq!(nd.view().role, Role::Leader);
    nd.take_ready();
    nd
}

fn env(from: u32, to: u32, msg: Message<u64>) -> Envelope<u64> {
    Envelope {
        from: n(from),
        to: n(to),
        msg,
    }
}

fn append(term: u64, prev: (u64, u64), entries: &[(u64, u64)], commit: u64) -> Message<u64> {
    Message::AppendEntries(AppendEntries {
        term: Term(term),
        prev: EntryId::new(prev.0, prev.1),
        entries: entries.iter().map(|&(t, i)| ent(t, i)).collect(),
        leader_commit: LogIndex(commit),
    })
}

fn append_resp(term: u64, success: bool, index: u64, hint: Option<(u64, u64)>) -> Message<u64> {
    Message::AppendEntriesResponse(AppendEntriesResponse {
        term: Term(term),
        success,
        index: LogIndex(index),
        reject_hint: hint.map(|(t, i)| EntryId::new(t, i)),
    })
}

fn vote_req(term: u64, last: (u64, u64), pre_vote: bool) -> Message<u64> {
    Message::RequestVote(RequestVote {
        term: Term(term),
        last_log: EntryId::new(last.0, last.1),
        pre_vote,
        leadership_transfer: false,
    })
}

fn vote_resp(term: u64, granted: bool, pre_vote: bool) -> Message<u64> {
    Message::RequestVoteResponse(RequestVoteResponse {
        term: Term(term),
        granted,
        pre_vote,
    })
}

fn hb_resp(term: u64, round: u64) -> Message<u64> {
    Message::HeartbeatResponse(HeartbeatResponse {
        term: Term(term),
        round,
    })
}

/// AppendEntries reduced to `(to, prev, entry ids, leader commit)`.
fn appends(r: &Ready<u64>) -> Vec<(u32, EntryId, Vec<EntryId>, u64)> {
    r.messages
        .iter()
        .filter_map(|e| match &e.msg {
            Message::AppendEntries(ae) => {
                Some((e.to.0, ae.prev, ids(&ae.entries), ae.leader_commit.0))
            }
            _ => None,
        })
        .collect()
}

fn ids(entries: &[Entry<u64>]) -> Vec<EntryId> {
    entries.iter().map(|e| e.id).collect()
}

fn hs(term: u64, vote: Option<u32>) -> Option<HardState> {
    Some(HardState {
        term: Term(term),
        vote: vote.map(NodeId),
    })
}

fn heartbeat_round(r: &Ready<u64>) -> u64 {
    r.messages
        .iter()
        .find_map(|e| match e.msg {
            Message::Heartbeat(ref h) => Some(h.round),
            _ => None,
        })
        .expect("a heartbeat")
}

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

// ----- §6 clients -----

#[test]
fn proposal_to_a_non_leader_is_refused_with_a_leader_hint() {
    // §6.2: a server that is not the leader redirects the client; state is unchanged.
    let mut f = node(2, 3, plain(), 1, None, &[]);
    f.step(1, n(1), append(1, (0, 0), &[], 0));
    f.take_ready();
    assert_eq!(
        f.propose(2, 5),
        Err(ProposeError::NotLeader {
            leader_hint: Some(n(1))
        })
    );
    assert!(!f.has_ready());
}

#[test]
fn read_index_waits_for_a_quorum_round_started_after_the_request() {
    // §6.4 steps 2-4: record commitIndex, confirm leadership with a new heartbeat round,
    // serve once applied >= read index.
    let mut l = leader(3, plain(), &[]);
    l.step(1, n(2), append_resp(1, true, 1, None));
    l.take_ready();
    l.read(2, 42).unwrap();
    let r = l.take_ready();
    let round = heartbeat_round(&r);
    assert!(r.read_states.is_empty());
    l.step(3, n(3), hb_resp(1, round - 1)); // an older round does not count
    assert!(l.take_ready().read_states.is_empty());
    l.step(4, n(3), hb_resp(1, round));
    let r = l.take_ready();
    assert_eq!(
        r.read_states,
        vec![ReadState {
            id: 42,
            index: LogIndex(1)
        }]
    );
}

#[test]
fn read_index_waits_until_the_leader_commits_an_entry_of_its_term() {
    // §6.4 step 1: a new leader does not know the commit index until its no-op commits.
    let mut l = leader(3, plain(), &[1]);
    l.read(1, 7).unwrap();
    let r = l.take_ready();
    assert!(r.messages.is_empty(), "no round before the own-term commit");
    l.step(2, n(2), append_resp(2, true, 2, None));
    let r = l.take_ready();
    let round = heartbeat_round(&r);
    l.step(3, n(2), hb_resp(2, round));
    assert_eq!(
        l.take_ready().read_states,
        vec![ReadState {
            id: 7,
            index: LogIndex(2)
        }]
    );
}

#[test]
fn lease_read_is_served_locally_while_the_lease_holds() {
    // §6.4.1: lease = send time of the last quorum-acknowledged round + election timeout
    // minimum - clock drift bound.
    let config = Config {
        read_mode: ReadMode::Lease,
        ..plain()
    };
    let mut l = leader(3, config.clone(), &[]);
    l.step(1, n(2), append_resp(1, true, 1, None));
    l.take_ready();
    let t = l.next_deadline_us().unwrap();
    l.tick(t);
    let round = heartbeat_round(&l.take_ready());
    l.step(t + 10, n(2), hb_resp(1, round));
    let until = t + config.election_timeout_us_min - config.lease_clock_drift_us_max;
    assert!(l
        .take_ready()
        .events
        .contains(&Event::LeaseExtended { until_us: until }));
    l.read(t + 20, 1).unwrap();
    let r = l.take_ready();
    assert!(r.messages.is_empty());
    assert_eq!(
        r.read_states,
        vec![ReadState {
            id: 1,
            index: LogIndex(1)
        }]
    );
    // Expired: fall back to a ReadIndex round.
    l.read(until, 2).unwrap();
    let r = l.take_ready();
    assert!(r.read_states.is_empty());
    assert_eq!(heartbeat_round(&r), round + 1);
}

#[test]
fn check_quorum_leader_steps_down_without_an_active_quorum() {
    // §6.2 / §9.6 CheckQuorum.
    let config = Config {
        check_quorum: true,
        ..plain()
    };
    let mut l = leader(3, config.clone(), &[]);
    let period = config.election_timeout_us_min;
    l.step(period / 2, n(2), append_resp(1, true, 1, None));
    l.tick(period);
    assert_eq!(l.view().role, Role::Leader, "n1 and n2 are a quorum");
    l.take_ready();
    l.tick(2 * period);
    let r = l.take_ready();
    assert_eq!(l.view().role, Role::Follower);
    assert!(r
        .events
        .contains(&Event::CheckQuorumFailed { term: Term(1) }));
}

// ----- §9.6 PreVote, §4.2.3 disruptive servers -----

#[test]
fn pre_vote_probes_for_a_majority_without_incrementing_the_term() {
    let mut f = node(1, 3, Config::default(), 0, None, &[]);
    f.tick(TIMEOUT);
    let r = f.take_ready();
    assert_eq!(f.view().role, Role::PreCandidate);
    assert_eq!(f.view().term, Term(0));
    assert_eq!(r.hard_state, None);
    assert_eq!(
        r.messages,
        vec![
            env(1, 2, vote_req(1, (0, 0), true)),
            env(1, 3, vote_req(1, (0, 0), true))
        ]
    );
}

#[test]
fn pre_vote_is_granted_without_changing_the_voters_term_or_vote() {
    let mut f = node(2, 3, Config::default(), 1, None, &[1]);
    f.step(1, n(1), vote_req(2, (1, 1), true));
    let r = f.take_ready();
    assert_eq!(r.messages, vec![env(2, 1, vote_resp(2, true, true))]);
    assert_eq!(r.hard_state, None);
    assert_eq!((f.view().term, f.view().vote), (Term(1), None));
    assert!(!r.needs_election_timeout);
}

#[test]
fn pre_candidate_with_a_pre_vote_majority_starts_a_real_election() {
    let mut f = node(1, 3, Config::default(), 0, None, &[]);
    f.campaign(0);
    f.take_ready();
    f.step(1, n(3), vote_resp(1, true, true));
    let r = f.take_ready();
    assert_eq!(f.view().role, Role::Candidate);
    assert_eq!(r.hard_state, hs(1, Some(1)));
    assert_eq!(
        r.messages,
        vec![
            env(1, 2, vote_req(1, (0, 0), false)),
            env(1, 3, vote_req(1, (0, 0), false))
        ]
    );
}

#[test]
fn server_that_heard_from_a_leader_recently_disregards_vote_requests() {
    // §4.2.3: within the minimum election timeout of hearing from a leader, do not update
    // the term or grant a vote — unless the request is part of a leadership transfer.
    let mut f = node(2, 3, Config::default(), 1, None, &[]);
    f.step(0, n(1), append(1, (0, 0), &[], 0));
    f.take_ready();
    f.step(100_000, n(3), vote_req(5, (0, 0), false));
    let r = f.take_ready();
    assert!(r.messages.is_empty());
    assert_eq!(f.view().term, Term(1));
    assert_eq!(
        r.events,
        vec![Event::VoteRejected {
            candidate: n(3),
            term: Term(5),
            pre_vote: false,
            reason: VoteRejection::LeaderRecentlyHeard { leader: n(1) }
        }]
    );
    let transfer = Message::RequestVote(RequestVote {
        term: Term(5),
        last_log: EntryId::new(0, 0),
        pre_vote: false,
        leadership_transfer: true,
    });
    f.step(100_001, n(3), transfer);
    let r = f.take_ready();
    assert_eq!(r.messages, vec![env(2, 3, vote_resp(5, true, false))]);
    assert_eq!(r.hard_state, hs(5, Some(3)));
}

// ----- §3.10 leadership transfer -----

#[test]
fn timeout_now_makes_the_target_campaign_at_once_skipping_pre_vote() {
    let mut f = node(3, 3, Config::default(), 1, None, &[]);
    f.step(1, n(1), Message::TimeoutNow(TimeoutNow { term: Term(1) }));
    let r = f.take_ready();
    assert_eq!(f.view().role, Role::Candidate);
    assert_eq!(f.view().term, Term(2));
    let req = |to| {
        env(
            3,
            to,
            Message::RequestVote(RequestVote {
                term: Term(2),
                last_log: EntryId::new(0, 0),
                pre_vote: false,
                leadership_transfer: true,
            }),
        )
    };
    assert_eq!(r.messages, vec![req(1), req(2)]);
    assert_eq!(r.events[0], Event::TimeoutNowReceived { from: n(1) });
}

#[test]
fn transfer_refuses_proposals_and_sends_timeout_now_to_an_up_to_date_target() {
    let mut l = leader(3, plain(), &[]);
    l.step(1, n(2), append_resp(1, true, 1, None));
    l.take_ready();
    l.transfer_leadership(2, n(2)).unwrap();
    let r = l.take_ready();
    assert_eq!(
        r.messages,
        vec![env(1, 2, Message::TimeoutNow(TimeoutNow { term: Term(1) }))]
    );
    assert_eq!(r.events, vec![Event::TransferStarted { to: n(2) }]);
    assert_eq!(l.propose(3, 1), Err(ProposeError::TransferInProgress));
    assert_eq!(l.view().transfer_target, Some(n(2)));
    assert_eq!(
        l.transfer_leadership(3, n(1)),
        Err(raft::TransferError::InvalidTarget(n(1)))
    );
}

// ----- teaching toggle (c) -----

#[test]
fn toggle_forget_vote_on_restart_persists_no_vote() {
    let config = Config {
        toggles: TeachingToggles {
            forget_vote_on_restart: true,
            ..TeachingToggles::default()
        },
        ..plain()
    };
    let mut f = node(3, 3, config, 0, None, &[]);
    f.step(1, n(1), vote_req(1, (0, 0), false));
    let r = f.take_ready();
    assert_eq!(r.hard_state, hs(1, None));
    assert_eq!(
        f.view().vote,
        Some(n(1)),
        "the in-memory vote holds until a crash"
    );
}
