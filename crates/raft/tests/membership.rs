//! Membership changes, rule by rule (chapter 4 of the dissertation), driven through the
//! interaction environment's commands (`tests/interaction.rs` documents them) so each test
//! reads like a small script; the assertions look at the nodes themselves.

mod interaction_env;

use interaction_env::Env;
use raft::{
    Configuration, EntryPayload, MembershipChange, MembershipError, Message, NodeId,
    RequestVoteResponse, Role, Term,
};

fn env(lines: &str) -> Env {
    let mut e = Env::default();
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        e.run(line)
            .unwrap_or_else(|err| panic!("{line}: {err}\n{}", e.transcript()));
    }
    e
}

fn run(e: &mut Env, lines: &str) {
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        e.run(line)
            .unwrap_or_else(|err| panic!("{line}: {err}\n{}", e.transcript()));
    }
}

fn conf(e: &Env, id: u32) -> String {
    e.get(id).unwrap().view().configuration.to_string()
}

fn ids(v: &[u32]) -> Vec<NodeId> {
    v.iter().copied().map(NodeId).collect()
}

/// A term in which two different nodes became leader, if any.
fn two_leaders(e: &Env) -> Option<u64> {
    let elected: Vec<(u64, u32)> = e.elected().iter().copied().collect();
    elected
        .windows(2)
        .find(|w| w[0].0 == w[1].0)
        .map(|w| w[0].0)
}

fn script(name: &str) -> String {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run_script(name: &str) -> Env {
    let text = script(name);
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    env(&body)
}

#[test]
fn single_server_bug_elects_two_leaders_in_one_term_with_the_toggle_and_one_without() {
    // §4.1 errata (2015): the same message schedule, toggle on and off.
    let bug = run_script("membership_single_server_bug.txt");
    assert_eq!(two_leaders(&bug), Some(3), "{}", bug.transcript());
    let fix = run_script("membership_single_server_fix.txt");
    assert_eq!(two_leaders(&fix), None, "{}", fix.transcript());
    assert!(fix.elected().contains(&(3, 1)), "n1 still leads t3");
    // The two scripts differ only in the toggle and their comments.
    let strip = |s: String| -> Vec<String> {
        s.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.replace("=on", "=off"))
            .collect()
    };
    assert_eq!(
        strip(script("membership_single_server_bug.txt")),
        strip(script("membership_single_server_fix.txt"))
    );
}

#[test]
fn a_configuration_entry_is_in_force_on_append_before_it_commits() {
    // §4.1: servers use the latest configuration in their log, committed or not.
    let e = env("add-nodes 3
                 campaign 1
                 stabilize
                 change 1 remove 3
                 deliver 1->2");
    assert_eq!(conf(&e, 2), "voters={1,2}");
    assert_eq!(e.get(2).unwrap().view().commit.0, 1, "not committed yet");
    assert_eq!(conf(&e, 3), "voters={1,2,3}", "n3 has not stored it");
}

#[test]
fn a_follower_rolls_back_to_the_previous_configuration_when_the_entry_is_truncated() {
    // n1 proposes removing n3 and crashes before anyone stores it; n2 is elected in t2
    // (by n3: n1's log is longer) and its no-op truncates n1's change away.
    let mut e = env("add-nodes 3 pre-vote=off check-quorum=off
                     campaign 1
                     stabilize
                     change 1 remove 3
                     drop
                     crash 1
                     restart 1");
    assert_eq!(
        conf(&e, 1),
        "voters={1,2}",
        "the unreplicated change is in force on n1"
    );
    run(
        &mut e,
        "campaign 2
         stabilize",
    );
    assert_eq!(e.get(2).unwrap().view().role, Role::Leader);
    assert_eq!(conf(&e, 1), "voters={1,2,3}", "truncated: rolled back");
    assert!(e
        .transcript()
        .contains("n1: configuration rolled back to voters={1,2,3} (from 0)"));
}

#[test]
fn a_leader_allows_one_uncommitted_change_at_a_time() {
    let mut e = env("add-nodes 3
                     add-server 4
                     campaign 1
                     stabilize
                     change 1 add-learner 4");
    let now = 0;
    let node = e_node(&mut e, 1);
    assert_eq!(
        node.propose_membership(now, MembershipChange::Remove(NodeId(3))),
        Err(MembershipError::ChangeInProgress {
            index: raft::LogIndex(2)
        })
    );
    run(&mut e, "stabilize");
    let node = e_node(&mut e, 1);
    assert!(node
        .propose_membership(now, MembershipChange::Remove(NodeId(3)))
        .is_ok());
}

/// Node `id` through the public API (the environment owns it; tests call it directly and
/// leave the outputs for the next command to drain).
fn e_node(e: &mut Env, id: u32) -> &mut raft::Node<String> {
    e.get_mut(id).expect("live node")
}

#[test]
fn a_new_leader_must_commit_an_entry_of_its_term_before_changing_the_configuration() {
    // The 2015 fix: n1's no-op is not yet acknowledged, so its change is refused.
    let mut e = env("add-nodes 3
                     campaign 1
                     deliver
                     deliver
                     deliver
                     deliver");
    assert_eq!(e.get(1).unwrap().view().role, Role::Leader);
    let node = e_node(&mut e, 1);
    assert_eq!(
        node.propose_membership(0, MembershipChange::Remove(NodeId(3))),
        Err(MembershipError::OwnTermNotCommitted)
    );
    run(&mut e, "stabilize");
    assert!(e_node(&mut e, 1)
        .propose_membership(0, MembershipChange::Remove(NodeId(3)))
        .is_ok());
}

#[test]
fn followers_refuse_to_propose_and_learners_never_campaign() {
    let mut e = env("add-nodes 3
                     add-server 4
                     campaign 1
                     stabilize
                     change 1 add-learner 4
                     stabilize");
    assert_eq!(
        e_node(&mut e, 2).propose_membership(0, MembershipChange::Remove(NodeId(3))),
        Err(MembershipError::NotLeader {
            leader_hint: Some(NodeId(1))
        })
    );
    // The learner's election timer fires: nothing is sent, it stays a follower.
    let before = e.transcript().len();
    run(&mut e, "campaign 4");
    assert_eq!(e.get(4).unwrap().view().role, Role::Follower);
    assert!(!e.transcript()[before..].contains("4->"));
    assert!(e.get(4).unwrap().view().election_deadline_us.is_some());
}

#[test]
fn vote_requests_go_to_voters_and_answers_from_non_voters_do_not_count() {
    // n4 is a learner: n2's RequestVote goes to n1 and n3 only, and a grant from n4 (a
    // server that is not a voter of n2's configuration) is ignored by the tally.
    let mut e = env("add-nodes 3 pre-vote=off check-quorum=off
                     add-server 4
                     campaign 1
                     stabilize
                     change 1 add-learner 4
                     stabilize
                     crash 1
                     crash 3
                     campaign 2");
    assert!(!e.transcript().contains("2->4 RequestVote"));
    let grant = Message::RequestVoteResponse(RequestVoteResponse {
        term: Term(2),
        granted: true,
        pre_vote: false,
    });
    e_node(&mut e, 2).step(0, NodeId(4), grant);
    run(&mut e, "stabilize");
    assert_eq!(e.get(2).unwrap().view().role, Role::Candidate);
    assert_eq!(e.get(2).unwrap().view().votes, &[(NodeId(2), true)]);
}

#[test]
fn in_a_joint_configuration_check_quorum_needs_both_halves() {
    // C_old,new = {1,4,5} & {1,2,3} after n1 adds learners 4, 5 and enters the joint
    // configuration. With n4 and n5 silent, {1,2,3} alone is not enough: n1 steps down.
    let mut e = env("add-nodes 3
                     add-server 4
                     add-server 5
                     campaign 1
                     stabilize
                     change 1 add-learner 4
                     stabilize
                     change 1 add-learner 5
                     stabilize
                     isolate 4
                     isolate 5
                     change 1 joint voters=1,4,5
                     stabilize");
    assert!(e.get(1).unwrap().view().configuration.is_joint());
    // Two CheckQuorum intervals: n2 and n3 answer heartbeats, n4 and n5 do not.
    for _ in 0..8 {
        run(&mut e, "tick 1\nstabilize");
        if e.get(1).unwrap().view().role != Role::Leader {
            break;
        }
    }
    assert_eq!(e.get(1).unwrap().view().role, Role::Follower);
    assert!(e
        .transcript()
        .contains("n1: no quorum heard within an election timeout"));
}

#[test]
fn in_a_joint_configuration_read_index_needs_both_halves() {
    let mut e = env("add-nodes 3
                     add-server 4
                     add-server 5
                     campaign 1
                     stabilize
                     change 1 add-learner 4
                     stabilize
                     change 1 add-learner 5
                     stabilize
                     change 1 joint voters=1,4,5
                     cut 1->2
                     cut 1->3
                     stabilize
                     read 1 7
                     stabilize");
    assert!(
        !e.transcript().contains("read 7 served"),
        "{{1,4,5}} acknowledged, {{1,2,3}} did not"
    );
    run(&mut e, "heal\ntick 1\nstabilize");
    assert!(e.transcript().contains("n1: read 7 served"));
}

#[test]
fn a_restarted_server_takes_its_configuration_from_its_log() {
    let mut e = env("add-nodes 3
                     add-server 4
                     campaign 1
                     stabilize
                     change 1 add-learner 4
                     stabilize
                     crash 4
                     restart 4");
    assert_eq!(conf(&e, 4), "voters={1,2,3} learners={4}");
    run(&mut e, "crash 2\nrestart 2");
    assert_eq!(conf(&e, 2), "voters={1,2,3} learners={4}");
}

#[test]
fn the_log_carries_each_configuration_as_an_entry() {
    let e = run_script("membership_joint_3_to_5.txt");
    let view = e.get(3).unwrap().view();
    let confs: Vec<Configuration> = view
        .log
        .iter()
        .filter_map(|en| match &en.payload {
            EntryPayload::Config(c) => Some((**c).clone()),
            _ => None,
        })
        .collect();
    let joint = Configuration::with_learners(ids(&[1, 2, 3]), ids(&[4, 5]))
        .unwrap()
        .enter_joint(&Configuration::new(ids(&[1, 2, 3, 4, 5])))
        .unwrap();
    assert_eq!(confs.len(), 4);
    assert_eq!(confs[2], joint);
    assert_eq!(confs[3], joint.leave_joint());
    assert_eq!(view.configuration, &confs[3]);
}

#[test]
fn a_transfer_to_a_server_that_leaves_the_configuration_is_aborted() {
    let mut e = env("add-nodes 3
                     campaign 1
                     stabilize
                     change 1 joint voters=1,2
                     cut 1->3
                     transfer 1 3
                     stabilize");
    assert_eq!(conf(&e, 1), "voters={1,2}");
    assert!(e
        .transcript()
        .contains("n1: abort leadership transfer to n3"));
    assert_eq!(e.get(1).unwrap().view().transfer_target, None);
    run(&mut e, "propose 1 x");
    assert!(e.transcript().contains("n1: proposed at 1/4"));
}
