//! Membership actions on a running world: adding a server (a new id hosts a new node),
//! promoting a learner once caught up, a joint change of several servers, removing the
//! leader, and the refusals, each naming its field.

use raft::Role;
use sim::config::{ClientConfig, WorkloadConfig};
use sim::{Action, NodeId, SimConfig, World};

const SEED: u64 = 11;

fn seed() -> u64 {
    std::env::var("MEMBERSHIP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}

/// A three-node world with a light workload, run until it has a leader that committed
/// entries of its term.
fn world() -> World {
    let seed = seed();
    println!("seed {seed} (replay: MEMBERSHIP_SEED={seed})");
    let config = SimConfig {
        node_count: 3,
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 20,
            ..WorkloadConfig::default()
        },
        clients: ClientConfig {
            count: 1,
            ..Default::default()
        },
        ..SimConfig::default()
    };
    let mut w = World::new(config, seed).unwrap();
    w.set_checked(true);
    w.run_until(1_000_000);
    assert!(leader(&w).is_some(), "a leader within a second");
    w
}

fn leader(w: &World) -> Option<NodeId> {
    w.nodes()
        .into_iter()
        .filter(|n| n.role == Some(Role::Leader))
        .max_by_key(|n| n.term)
        .map(|n| n.id)
}

fn voters(w: &World, n: u32) -> Vec<u32> {
    let m = w.nodes()[n as usize - 1].membership.clone().unwrap();
    m.voters.iter().map(|v| v.0).collect()
}

fn no_violations(w: &World) {
    assert!(
        w.violations().is_empty(),
        "violations: {:?}",
        w.violations()
    );
}

#[test]
fn a_new_server_joins_as_a_learner_catches_up_and_is_promoted() {
    let mut w = world();
    let e = w
        .apply(Action::AddNode {
            node: NodeId(5),
            voter: false,
            leader: None,
        })
        .unwrap_err();
    assert_eq!(e.field, "node", "{e}");
    w.apply(Action::AddNode {
        node: NodeId(4),
        voter: false,
        leader: None,
    })
    .unwrap();
    assert_eq!(w.nodes().len(), 4, "node 4 is hosted");
    w.advance(1_000_000);
    let l = leader(&w).unwrap();
    let nodes = w.nodes();
    let m = nodes[l.0 as usize - 1].membership.clone().unwrap();
    assert_eq!(m.learners, vec![NodeId(4)]);
    assert!(m.committed);
    let p = nodes[l.0 as usize - 1]
        .progress
        .iter()
        .find(|p| p.node == NodeId(4))
        .unwrap()
        .clone();
    assert!(
        p.caught_up_rounds >= nodes[0].learner_caught_up_rounds_min,
        "{p:?}"
    );
    let learner = &nodes[3];
    assert!(
        learner.commit.0 > 0,
        "the learner receives the log: {learner:?}"
    );
    w.apply(Action::PromoteLearner {
        node: NodeId(4),
        leader: None,
    })
    .unwrap();
    w.advance(500_000);
    for n in 1..=4 {
        assert_eq!(voters(&w, n), vec![1, 2, 3, 4], "on n{n}");
    }
    no_violations(&w);
}

#[test]
fn growing_three_to_five_by_joint_consensus_survives_two_original_crashes() {
    let mut w = world();
    let five: Vec<NodeId> = (1..=5).map(NodeId).collect();
    w.apply(Action::ChangeMembership {
        voters: five,
        learners: vec![],
        leader: None,
    })
    .unwrap();
    assert_eq!(w.nodes().len(), 5);
    w.advance(1_000_000);
    for n in 1..=5 {
        let m = w.nodes()[n - 1].membership.clone().unwrap();
        assert!(!m.joint, "left the joint configuration on n{n}");
        assert_eq!(voters(&w, n as u32), vec![1, 2, 3, 4, 5], "on n{n}");
    }
    // Two of the original three down: the old configuration would have lost its quorum.
    let l = leader(&w).unwrap();
    let others: Vec<u32> = (1..=3).filter(|&n| n != l.0).collect();
    w.apply(Action::Crash {
        node: NodeId(others[0]),
    })
    .unwrap();
    w.apply(Action::Crash { node: l }).unwrap();
    let commit_before = w.nodes()[3].commit;
    w.advance(2_000_000);
    let new = leader(&w).expect("a leader among the three left");
    assert!(w.nodes()[new.0 as usize - 1].commit > commit_before);
    no_violations(&w);
}

#[test]
fn a_removed_leader_steps_down_and_the_rest_elect_another() {
    let mut w = world();
    let l = leader(&w).unwrap();
    w.apply(Action::RemoveNode {
        node: l,
        leader: None,
    })
    .unwrap();
    w.advance(2_000_000);
    let new = leader(&w).expect("a new leader");
    assert_ne!(new, l);
    let rest: Vec<u32> = (1..=3).filter(|&n| n != l.0).collect();
    assert_eq!(voters(&w, new.0), rest);
    assert_ne!(w.nodes()[l.0 as usize - 1].role, Some(Role::Leader));
    no_violations(&w);
}

#[test]
fn membership_refusals_name_their_field_and_leave_the_world_unchanged() {
    let mut w = world();
    let l = leader(&w).unwrap();
    let follower = NodeId(if l.0 == 1 { 2 } else { 1 });
    let hash = w.trace_hash();
    let cases = [
        (
            Action::RemoveNode {
                node: NodeId(1),
                leader: Some(follower),
            },
            "leader",
        ),
        (
            Action::PromoteLearner {
                node: follower,
                leader: None,
            },
            "node",
        ),
        (
            Action::AddNode {
                node: NodeId(10),
                voter: true,
                leader: None,
            },
            "node",
        ),
        (
            Action::ChangeMembership {
                voters: vec![NodeId(1), NodeId(5)],
                learners: vec![],
                leader: None,
            },
            "voters[1]",
        ),
        (
            Action::ChangeMembership {
                voters: vec![NodeId(1), NodeId(2)],
                learners: vec![NodeId(2)],
                leader: None,
            },
            "learners[0]",
        ),
    ];
    for (a, field) in cases {
        let e = w.apply(a.clone()).unwrap_err();
        assert_eq!(e.field, field, "{a}: {e}");
    }
    // New ids follow on across voters and learners together: a gap is named where it is.
    let gap = Action::ChangeMembership {
        voters: vec![NodeId(1), NodeId(2), NodeId(3)],
        learners: vec![NodeId(5)],
        leader: None,
    };
    assert_eq!(w.check_action(&gap).unwrap_err().field, "learners[0]");
    let voter_and_learner = Action::ChangeMembership {
        voters: vec![NodeId(1), NodeId(2), NodeId(3), NodeId(4)],
        learners: vec![NodeId(5)],
        leader: None,
    };
    assert!(
        w.check_action(&voter_and_learner).is_ok(),
        "voter 4 and learner 5 are the next two ids"
    );
    // One change at a time: a second one while the first is uncommitted is refused.
    w.apply(Action::AddNode {
        node: NodeId(4),
        voter: false,
        leader: None,
    })
    .unwrap();
    let e = w
        .apply(Action::AddNode {
            node: NodeId(5),
            voter: false,
            leader: None,
        })
        .unwrap_err();
    assert_eq!(e.field, "leader", "{e}");
    assert_ne!(w.trace_hash(), hash, "the accepted change is in the trace");
    assert_eq!(w.nodes().len(), 4, "the refused one hosted nothing");
}

#[test]
fn a_world_with_membership_changes_replays_to_the_same_trace() {
    let run = || {
        let mut w = world();
        w.apply(Action::AddNode {
            node: NodeId(4),
            voter: true,
            leader: None,
        })
        .unwrap();
        w.advance(1_000_000);
        w.trace_hash()
    };
    assert_eq!(run(), run());
    let mut w = world();
    w.apply(Action::AddNode {
        node: NodeId(4),
        voter: true,
        leader: None,
    })
    .unwrap();
    w.advance(1_000_000);
    let end = w.trace_hash();
    let t = w.now_us();
    w.seek(0);
    assert_eq!(w.nodes().len(), 3, "seek back: the added node is gone");
    w.seek(t);
    assert_eq!(w.trace_hash(), end, "seek = straight run");
    assert_eq!(w.nodes().len(), 4);
}

/// The ready scenario of the 2015 bug with the fix back on: n2's removal of n4, proposed
/// before its term's no-op commits, is refused, and only one leader is elected per term.
#[test]
fn the_single_server_bug_scenario_with_the_fix_elects_one_leader_per_term() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/toggle_single_server_change.json"
    ))
    .unwrap();
    let mut s = sim::Scenario::from_json(&text).unwrap();
    let (_, broken) = sim::run_scenario_with(&s, true).unwrap();
    assert!(broken.passed, "the ready scenario shows the bug");
    s.config.toggles.change_membership_before_own_term_commit = false;
    let (_, fixed) = sim::run_scenario_with(&s, true).unwrap();
    for (term, leaders) in fixed.leaders_by_term.iter() {
        assert!(leaders.len() <= 1, "term {term:?}: leaders {leaders:?}");
    }
    assert!(
        fixed.monitors.iter().all(|m| m.violations == 0),
        "{:?}",
        fixed.monitors
    );
    let refused: Vec<String> = fixed
        .skipped_actions
        .iter()
        .map(|a| a.error.to_string())
        .collect();
    assert_eq!(
        refused,
        ["leader: no entry of the leader's term committed yet"],
        "n2's change is refused by the fix"
    );
}

#[test]
fn check_action_gives_the_refusal_apply_would_give_and_changes_nothing() {
    let mut w = world();
    let hash = w.trace_hash();
    // Promoting a voter, adding a skipped id and removing from no leader are refused alike.
    for a in [
        Action::PromoteLearner {
            node: NodeId(2),
            leader: None,
        },
        Action::AddNode {
            node: NodeId(6),
            voter: true,
            leader: None,
        },
        Action::RemoveNode {
            node: NodeId(1),
            leader: Some(NodeId(9)),
        },
    ] {
        let checked = w.check_action(&a).unwrap_err();
        assert_eq!(w.trace_hash(), hash, "check_action changed the world");
        let applied = w.apply(a.clone()).unwrap_err();
        assert_eq!(checked.to_string(), applied.to_string(), "{a:?}");
    }
    let ok = Action::AddNode {
        node: NodeId(4),
        voter: false,
        leader: None,
    };
    assert!(w.check_action(&ok).is_ok());
    assert_eq!(w.nodes().len(), 3, "a check hosts no node");
    w.apply(ok).unwrap();
    assert_eq!(w.nodes().len(), 4);
}

#[test]
fn leadership_is_not_transferred_to_a_learner() {
    let mut w = world();
    w.apply(Action::AddNode {
        node: NodeId(4),
        voter: false,
        leader: None,
    })
    .unwrap();
    w.run_until(w.now_us() + 200_000);
    let l = leader(&w).unwrap();
    let hash = w.trace_hash();
    let e = w
        .apply(Action::TransferLeader {
            from: l,
            to: NodeId(4),
        })
        .unwrap_err();
    assert_eq!(e.field, "to", "{e}");
    assert!(e.problem.contains("not a voter"), "{e}");
    assert_eq!(w.trace_hash(), hash, "a refusal changes nothing");
    // A voter is still a valid target.
    let other = NodeId(if l.0 == 1 { 2 } else { 1 });
    w.apply(Action::TransferLeader { from: l, to: other })
        .unwrap();
    no_violations(&w);
}
