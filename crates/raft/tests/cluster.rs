//! Multi-node scenarios on the deterministic in-memory harness (tests/common).

mod common;
use common::*;
use raft::{
    Config, EntryId, Event, Message, ProposeError, ReadMode, ReadState, Role, TeachingToggles, Term,
};

fn assert_safe(c: &Cluster) {
    assert!(c.violations.is_empty(), "{:?}", c.violations);
}

#[test]
fn initial_election_elects_the_first_node_to_time_out() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(500_000);
    assert_eq!(c.leaders(), vec![(1, Term(1))]);
    for id in 1..=3 {
        assert_eq!(c.node(id).view().leader, Some(n(1)));
        assert_eq!(c.commit(id), 1, "the no-op commits everywhere");
    }
    assert_safe(&c);
}

#[test]
fn re_election_after_leader_isolation() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    assert_eq!(c.leader(), Some(1));
    c.isolate(1);
    c.advance(1_000_000);
    let leaders = c.leaders();
    assert_eq!(
        leaders.len(),
        1,
        "the isolated leader stepped down: {leaders:?}"
    );
    let (new, term) = leaders[0];
    assert!(new == 2 || new == 3);
    assert!(term > Term(1));
    assert_eq!(c.propose(new, 9).unwrap().term, term);
    assert_eq!(c.commit(2), c.commit(3));
    assert_safe(&c);
}

#[test]
fn no_leader_in_a_minority() {
    // Without PreVote/CheckQuorum the minority keeps campaigning, and never wins.
    let mut c = Cluster::new(5, plain_config());
    c.advance(300_000);
    assert_eq!(c.leader(), Some(1));
    c.partition(&[1, 2, 3], &[4, 5]);
    c.advance(3_000_000);
    for id in [4, 5] {
        assert_ne!(c.role(id), Role::Leader);
        assert!(c.term(id) > Term(1), "n{id} campaigned");
    }
    assert_eq!(c.leaders(), vec![(1, Term(1))]);
    assert!(c.propose(1, 5).is_ok());
    assert_eq!(c.commit(1), 2, "the majority side still commits");
    assert_safe(&c);
}

#[test]
fn isolated_old_leaders_uncommitted_entries_are_discarded_on_rejoin() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    c.isolate(1);
    for cmd in 100..103 {
        c.propose(1, cmd).unwrap();
    }
    assert_eq!(c.log_ids(1).len(), 4);
    assert_eq!(c.commit(1), 1);
    c.advance(1_000_000);
    let new = c.leader().unwrap();
    assert_ne!(new, 1);
    c.propose(new, 200).unwrap();
    c.heal();
    c.advance(500_000);
    assert_eq!(c.log_ids(1), c.log_ids(new));
    assert!(c.has_event(
        1,
        |e| matches!(e, Event::LogTruncated { from, .. } if from.0 == 2)
    ));
    let applied: Vec<u64> = c.applied[0]
        .iter()
        .filter_map(|e| match e.payload {
            raft::EntryPayload::Command(x) => Some(x),
            _ => None,
        })
        .collect();
    assert_eq!(
        applied,
        vec![200],
        "only the new leader's command was applied"
    );
    assert_safe(&c);
}

#[test]
fn fast_backtracking_skips_over_60_conflicting_entries_in_few_round_trips() {
    let mut c = Cluster::new(3, plain_config());
    c.elect(1);
    c.propose(1, 1).unwrap();
    c.isolate(1);
    for cmd in 0..60 {
        c.propose(1, 1000 + cmd).unwrap();
    }
    c.heal();
    c.isolate(1);
    c.elect(2);
    for cmd in 0..60 {
        c.propose(2, 2000 + cmd).unwrap();
    }
    assert_eq!(c.commit(2), 63);
    assert_eq!(c.log_ids(1).len(), 62);
    // A fresh leader starts probing n1 at its own last index (64 with its no-op): every
    // index from 3 to 62 conflicts.
    c.elect(3);
    c.heal();
    c.delivered.clear();
    c.advance(200_000);
    assert_eq!(c.log_ids(1), c.log_ids(3));
    assert_eq!(c.commit(1), 64);
    let rejections = c.count_delivered(|e| is_append_rejection(e, 1, 3));
    assert!(
        (1..=3).contains(&rejections),
        "{rejections} AppendEntries rejections"
    );
    assert_safe(&c);
}

#[test]
fn restart_from_persisted_state_keeps_term_vote_and_log() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    for cmd in 0..5 {
        c.propose(1, cmd).unwrap();
    }
    c.advance(100_000);
    let logs: Vec<_> = (1..=3).map(|id| c.log_ids(id)).collect();
    let terms: Vec<_> = (1..=3).map(|id| c.term(id)).collect();
    for id in 1..=3 {
        c.crash(id);
    }
    for id in 1..=3 {
        c.restart(id);
        assert_eq!(c.log_ids(id), logs[id as usize - 1]);
        assert_eq!(c.term(id), terms[id as usize - 1]);
        assert_eq!(c.node(id).view().vote, Some(n(1)));
        assert_eq!(c.commit(id), 0, "the commit index is volatile");
    }
    c.advance(1_000_000);
    let l = c.leader().unwrap();
    assert!(c.term(l) > Term(1));
    c.advance(200_000);
    for id in 1..=3 {
        assert_eq!(c.applied[id as usize - 1].len(), 7, "n{id} re-applied");
    }
    assert_safe(&c);
}

#[test]
fn pre_vote_stops_a_rejoining_partitioned_node_from_disrupting_the_leader() {
    let run = |config: Config| {
        let mut c = Cluster::new(3, config);
        c.advance(300_000);
        assert_eq!(c.leaders(), vec![(1, Term(1))]);
        c.isolate(3);
        c.advance(2_000_000);
        let isolated_term = c.term(3);
        c.heal();
        c.advance(1_000_000);
        (c, isolated_term)
    };
    let (c, isolated_term) = run(Config::default());
    assert_eq!(isolated_term, Term(1), "PreVote: no term bump in isolation");
    assert_eq!(c.leaders(), vec![(1, Term(1))]);
    assert!(c.has_event(3, |e| matches!(
        e,
        Event::RoleChanged {
            to: Role::PreCandidate,
            ..
        }
    )));
    assert!(!c.has_event(3, |e| matches!(
        e,
        Event::RoleChanged {
            to: Role::Candidate,
            ..
        }
    )));
    // Control: without PreVote the rejoining node's higher term deposes the leader.
    let (c, isolated_term) = run(plain_config());
    assert!(isolated_term > Term(1));
    assert!(c.leaders().iter().all(|&(_, t)| t > Term(1)));
    assert_safe(&c);
}

#[test]
fn check_quorum_makes_a_leader_in_a_minority_step_down() {
    let mut c = Cluster::new(5, Config::default());
    c.advance(300_000);
    assert_eq!(c.leader(), Some(1));
    c.partition(&[1, 2], &[3, 4, 5]);
    c.advance(400_000);
    assert_ne!(c.role(1), Role::Leader);
    assert!(c.has_event(1, |e| *e == Event::CheckQuorumFailed { term: Term(1) }));
    let l = c.leader().unwrap();
    assert!([3, 4, 5].contains(&l));
    // Control: without CheckQuorum the old leader stays in power in its minority.
    let mut c = Cluster::new(5, plain_config());
    c.advance(300_000);
    c.partition(&[1, 2], &[3, 4, 5]);
    c.advance(400_000);
    assert_eq!(c.role(1), Role::Leader);
}

#[test]
fn read_index_is_served_after_a_quorum_heartbeat_round() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    let before = c.delivered.len();
    c.read(1, 42).unwrap();
    let heartbeats = c.delivered[before..]
        .iter()
        .filter(|e| matches!(e.msg, Message::Heartbeat(_)))
        .count();
    assert_eq!(heartbeats, 2, "one round to both followers");
    let commit = c.node(1).view().commit;
    assert_eq!(
        c.read_states[0],
        vec![ReadState {
            id: 42,
            index: commit
        }]
    );
    assert_eq!(
        c.read(2, 43),
        Err(raft::ReadError::NotLeader {
            leader_hint: Some(n(1))
        })
    );
}

#[test]
fn read_on_a_deposed_leader_is_not_served() {
    let mut c = Cluster::new(3, plain_config());
    c.elect(1);
    c.isolate(1);
    c.read(1, 7).unwrap();
    c.elect(2);
    c.propose(2, 55).unwrap();
    assert!(c.read_states[0].is_empty(), "no quorum confirms n1");
    c.heal();
    c.advance(100_000);
    assert_eq!(c.role(1), Role::Follower);
    assert!(c.read_states[0].is_empty());
    assert_eq!(c.dropped_reads[0], vec![7]);
}

#[test]
fn lease_read_is_served_without_a_round_trip_and_falls_back_after_expiry() {
    let config = Config {
        read_mode: ReadMode::Lease,
        ..Config::default()
    };
    let mut c = Cluster::new(3, config);
    c.advance(300_000);
    assert!(c.node(1).view().lease_until_us.is_some());
    let before = c.delivered.len();
    c.read(1, 1).unwrap();
    assert_eq!(c.delivered.len(), before, "no messages for a lease read");
    assert_eq!(c.read_states[0].len(), 1);
    // Cut off from the followers, the lease runs out and reads need a (failing) round.
    c.isolate(1);
    c.advance(150_000);
    assert_eq!(c.node(1).view().lease_until_us, None);
    c.read(1, 2).unwrap();
    assert_eq!(c.read_states[0].len(), 1, "not served without a quorum");
}

#[test]
fn leadership_transfer_hands_over_to_an_up_to_date_target() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    c.propose(1, 1).unwrap();
    let now = c.now_us;
    c.node_mut(1).transfer_leadership(now, n(3)).unwrap();
    assert_eq!(
        c.node_mut(1).propose(now, 2),
        Err(ProposeError::TransferInProgress)
    );
    c.process(1);
    c.deliver_all();
    assert_eq!(c.leaders(), vec![(3, Term(2))]);
    assert!(c.has_event(3, |e| *e == Event::TimeoutNowReceived { from: n(1) }));
    assert!(c.has_event(1, |e| *e == Event::TransferStarted { to: n(3) }));
    assert_safe(&c);
}

#[test]
fn leadership_transfer_to_a_lagging_target_replicates_first() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    c.isolate(3);
    for cmd in 0..5 {
        c.propose(1, cmd).unwrap();
    }
    c.heal();
    let now = c.now_us;
    c.node_mut(1).transfer_leadership(now, n(3)).unwrap();
    c.process(1);
    c.deliver_all();
    assert_eq!(c.leaders(), vec![(3, Term(2))]);
    assert_eq!(c.log_ids(3)[..6], c.log_ids(1)[..6]);
    assert_safe(&c);
}

#[test]
fn leadership_transfer_aborts_after_an_election_timeout() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    c.isolate(3);
    let now = c.now_us;
    c.node_mut(1).transfer_leadership(now, n(3)).unwrap();
    c.process(1);
    c.advance(160_000);
    assert!(c.has_event(1, |e| *e == Event::TransferAborted { to: n(3) }));
    assert_eq!(c.leaders(), vec![(1, Term(1))]);
    assert!(c.propose(1, 1).is_ok());
}

// ----- Figure 8 (§5.4.2) -----

/// Scripts the paper's Figure 8 with five servers. Returns the cluster after S5 (term 5)
/// has replicated its log, and S1's commit index at the moment of (c).
fn figure_8(toggles: TeachingToggles) -> (Cluster, u64) {
    let config = Config {
        entries_per_msg_max: 1,
        toggles,
        ..plain_config()
    };
    let mut c = Cluster::new(5, config);
    // Term 1: S1 leads; the entry 1/1 commits everywhere.
    c.elect(1);
    assert!((1..=5).all(|id| c.log_ids(id) == vec![EntryId::new(1, 1)]));
    // (a) S1 leads term 2 and replicates the term-2 entry (index 2) to S2 only.
    c.crash(1);
    c.restart(1);
    c.drop_filter = Some(Box::new(|e| e.from == n(1) && is_append(e) && e.to != n(2)));
    c.elect(1);
    assert_eq!(c.term(1), Term(2));
    assert_eq!(c.log_ids(2), vec![EntryId::new(1, 1), EntryId::new(2, 2)]);
    // (b) S1 crashes; S5 wins term 3 with votes from S3, S4 (and itself) and appends a
    // term-3 entry at index 2 that nobody else receives.
    c.crash(1);
    c.drop_filter = Some(Box::new(|e| e.from == n(5) && is_append(e)));
    c.elect(5);
    assert_eq!(c.term(5), Term(3));
    assert_eq!(c.log_ids(5), vec![EntryId::new(1, 1), EntryId::new(3, 2)]);
    // (c) S5 crashes; S1 restarts, wins term 4 (S2, S3, S4), and replicates the term-2
    // entry to S3 and S4 — a majority holds it — but its term-4 entry to nobody.
    c.crash(5);
    c.restart(1);
    let mut first_probe = [true; 6];
    c.drop_filter = Some(Box::new(move |e| {
        if e.from != n(1) || !is_append(e) {
            return false;
        }
        if e.to == n(2) {
            return true;
        }
        if carries_index(e, 3) {
            // The first probe (prev 2/2) is rejected by S3/S4 anyway; later copies drop.
            let first = first_probe[e.to.0 as usize];
            first_probe[e.to.0 as usize] = false;
            return !first;
        }
        false
    }));
    c.campaign(1); // term 3: S3 and S4 already voted for S5
    c.campaign(1); // term 4
    assert_eq!(c.leaders(), vec![(1, Term(4))]);
    let s1 = c.log_ids(1);
    assert_eq!(
        s1,
        vec![EntryId::new(1, 1), EntryId::new(2, 2), EntryId::new(4, 3)]
    );
    for id in [2, 3, 4] {
        assert_eq!(c.log_ids(id), s1[..2], "n{id} holds the term-2 entry");
    }
    let commit_at_c = c.commit(1);
    // (d) S1 crashes; S5 restarts and wins term 5 with votes from S2, S3, S4, then
    // replicates its log, overwriting index 2.
    c.crash(1);
    c.restart(5);
    c.drop_filter = None;
    c.campaign(5); // term 4: everyone already voted for S1
    c.campaign(5); // term 5
    assert_eq!(c.leaders(), vec![(5, Term(5))]);
    c.advance(100_000);
    for id in 2..=5 {
        assert_eq!(
            c.log_ids(id),
            vec![EntryId::new(1, 1), EntryId::new(3, 2), EntryId::new(5, 3)]
        );
    }
    (c, commit_at_c)
}

#[test]
fn figure_8_current_term_rule_never_commits_the_term_2_entry_by_counting() {
    let (c, commit_at_c) = figure_8(TeachingToggles::default());
    assert_eq!(commit_at_c, 0, "2/2 is on a majority but not committed");
    assert_safe(&c);
    assert_eq!(c.committed.get(&2), Some(&EntryId::new(3, 2)));
}

#[test]
fn figure_8_toggle_commit_old_terms_by_counting_loses_a_committed_entry() {
    let toggles = TeachingToggles {
        commit_old_terms_by_counting: true,
        ..TeachingToggles::default()
    };
    let (c, commit_at_c) = figure_8(toggles);
    assert_eq!(commit_at_c, 2, "the buggy rule commits 2/2 by counting");
    assert!(
        c.violations
            .iter()
            .any(|v| v.contains("applied 3/2 where 2/2 was applied before")),
        "{:?}",
        c.violations
    );
}

// ----- the other teaching toggles -----

fn stale_log_candidate(toggles: TeachingToggles) -> Cluster {
    stale_log_candidate_with(toggles, |_| {})
}

/// The stale-log election, with `before_campaign` run on the cluster just before n3 campaigns.
fn stale_log_candidate_with(
    toggles: TeachingToggles,
    before_campaign: impl FnOnce(&mut Cluster),
) -> Cluster {
    let mut c = Cluster::new(
        3,
        Config {
            toggles,
            ..plain_config()
        },
    );
    c.elect(1);
    c.isolate(3);
    c.propose(1, 10).unwrap();
    c.propose(1, 11).unwrap();
    assert_eq!(c.commit(1), 3);
    c.crash(1);
    c.heal();
    before_campaign(&mut c);
    c.campaign(3);
    c.advance(100_000);
    c
}

#[test]
fn toggle_vote_without_log_check_lets_a_stale_log_node_win_and_lose_committed_entries() {
    let c = stale_log_candidate(TeachingToggles::default());
    assert_ne!(c.role(3), Role::Leader);
    assert_safe(&c);
    let c = stale_log_candidate(TeachingToggles {
        vote_without_log_check: true,
        ..TeachingToggles::default()
    });
    assert_eq!(c.role(3), Role::Leader);
    assert!(c.has_event(2, |e| matches!(e, Event::CommittedEntriesTruncated { .. })));
    assert!(!c.violations.is_empty(), "the checker sees index 2 change");
}

fn vote_twice(toggles: TeachingToggles) -> Cluster {
    let mut c = Cluster::new(
        3,
        Config {
            toggles,
            ..plain_config()
        },
    );
    c.drop_filter = Some(Box::new(|e| {
        e.from == n(1) && (is_append(e) || e.to == n(3))
    }));
    c.elect(1);
    c.crash(2);
    c.restart(2);
    c.campaign(3);
    c
}

#[test]
fn toggle_forget_vote_on_restart_lets_a_node_vote_twice_and_elect_two_leaders() {
    let c = vote_twice(TeachingToggles::default());
    assert_eq!(c.leaders(), vec![(1, Term(1))]);
    let c = vote_twice(TeachingToggles {
        forget_vote_on_restart: true,
        ..TeachingToggles::default()
    });
    assert_eq!(c.leaders(), vec![(1, Term(1)), (3, Term(1))]);
}

fn inherited_entry(toggles: TeachingToggles) -> Cluster {
    let mut c = Cluster::new(
        3,
        Config {
            toggles,
            ..plain_config()
        },
    );
    c.elect(1);
    c.drop_filter = Some(Box::new(|e| {
        (e.from == n(1) && e.to == n(3)) || (e.from == n(2) && e.to == n(1))
    }));
    c.propose(1, 77).unwrap();
    c.crash(1);
    c.drop_filter = None;
    c.elect(2);
    c.advance(1_000_000);
    c.read(2, 9).unwrap();
    c
}

#[test]
fn toggle_skip_noop_on_election_leaves_earlier_term_entries_uncommitted() {
    let c = inherited_entry(TeachingToggles::default());
    assert_eq!(c.commit(2), 3, "the no-op commits the inherited entry");
    assert_eq!(c.read_states[1].len(), 1);
    let c = inherited_entry(TeachingToggles {
        skip_noop_on_election: true,
        ..TeachingToggles::default()
    });
    let last = c.log_ids(2).last().unwrap().index.0;
    assert_eq!(last, 1, "the inherited entry is the whole log");
    assert_eq!(c.log_ids(3), c.log_ids(2), "replicated to a majority");
    assert_eq!(c.commit(2), 0, "but never committed");
    assert!(c.read_states[1].is_empty(), "reads stall");
    assert_safe(&c);
}

#[test]
fn lost_appends_in_replicate_state_are_resent_without_new_proposals() {
    // A follower in Replicate state loses the AppendEntries carrying new entries; no further
    // proposals come. Heartbeat answers show its match index stuck, so the leader probes
    // again from there (etcd resends on heartbeat responses in the same situation).
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    let leader = c.leader().unwrap();
    let lagging = if leader == 3 { 2 } else { 3 };
    c.propose(leader, 1).unwrap();
    c.advance(100_000);
    assert_eq!(
        c.log_ids(lagging),
        c.log_ids(leader),
        "replicating before the loss"
    );
    c.drop_filter = Some(Box::new(move |env| {
        is_append(env) && env.to.0 == lagging && env.from.0 == leader
    }));
    for cmd in 2..6 {
        c.propose(leader, cmd).unwrap();
    }
    c.deliver_all();
    c.drop_filter = None;
    assert!(c.log_ids(lagging).len() < c.log_ids(leader).len());
    c.advance(300_000);
    assert_eq!(c.log_ids(lagging), c.log_ids(leader));
    assert_eq!(c.commit(lagging), c.commit(leader));
    assert!(c.has_event(leader, |e| matches!(
        e,
        Event::ReplicationStalled { to, .. } if to.0 == lagging
    )));
    assert_safe(&c);
}

#[test]
fn teaching_toggles_switched_on_a_running_node_apply_at_once() {
    // The vote_without_log_check scenario, with the toggle switched on after start-up
    // instead of in the initial config: the stale-log node must win just the same.
    let with_config = stale_log_candidate(TeachingToggles {
        vote_without_log_check: true,
        ..TeachingToggles::default()
    });
    let live = stale_log_candidate_switched_live();
    assert_eq!(with_config.role(3), Role::Leader);
    assert_eq!(live.role(3), Role::Leader);
    assert_eq!(live.leaders(), with_config.leaders());
}

fn stale_log_candidate_switched_live() -> Cluster {
    stale_log_candidate_with(TeachingToggles::default(), |c| {
        for id in [2, 3] {
            c.node_mut(id).set_toggles(TeachingToggles {
                vote_without_log_check: true,
                ..TeachingToggles::default()
            });
        }
    })
}

#[test]
fn read_mode_can_be_switched_on_a_running_node_and_an_empty_lease_is_refused() {
    let mut c = Cluster::new(3, Config::default());
    c.advance(300_000);
    let leader = c.leader().unwrap();
    c.node_mut(leader).set_read_mode(ReadMode::Lease).unwrap();
    let config = Config {
        lease_clock_drift_us_max: Config::default().election_timeout_us_min,
        read_mode: ReadMode::ReadIndex,
        ..Config::default()
    };
    let mut bad = Cluster::new(1, config);
    let e = bad.node_mut(1).set_read_mode(ReadMode::Lease).unwrap_err();
    assert_eq!(e.field, "lease_clock_drift_us_max");
    c.advance(100_000);
    c.read(leader, 7).unwrap();
    assert!(c.read_states[leader as usize - 1].iter().any(|r| r.id == 7));
}
