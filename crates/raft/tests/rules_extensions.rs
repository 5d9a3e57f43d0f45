//! One test per rule of the extensions: clients and reads (§6), CheckQuorum (§6.2), PreVote
//! and disruptive servers (§9.6, §4.2.3), leadership transfer (§3.10); named after the rule.
//! Each feeds one input to a node in a known state and asserts the exact outputs.

mod rules_support;
use rules_support::*;

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
