//! The page's view requests: the armed time of the election timer, a cheaper per-frame
//! view, the seed in the view, and exports at t=0 that parse back.

use sim::config::{ClientConfig, WorkloadConfig};
use sim::{Action, LogIndex, NodeId, Scenario, SimConfig, Term, ViewOptions, World};

/// The ready split-brain scenario and its world at time 0.
fn split_brain() -> (Scenario, World) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/split_brain.json"
    ))
    .unwrap();
    let scenario = Scenario::from_json(&text).unwrap();
    let w = World::from_scenario(&scenario).unwrap();
    (scenario, w)
}

fn busy_world() -> World {
    let config = SimConfig {
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 100,
            ..WorkloadConfig::default()
        },
        clients: ClientConfig {
            count: 3,
            ..Default::default()
        },
        ..SimConfig::default()
    };
    World::new(config, 7).unwrap()
}

#[test]
fn election_timer_armed_time_is_when_the_deadline_last_moved() {
    let mut w = busy_world();
    // At t=0 every node armed its first election timer.
    for n in w.nodes() {
        assert_eq!(n.election_timer_armed_us, Some(0), "n{}", n.id);
    }
    let mut seen_rearm = false;
    for step in 1..=400u64 {
        w.run_until(step * 5_000);
        for n in w.nodes() {
            match (n.election_timer_armed_us, n.election_deadline_us) {
                (Some(armed), Some(deadline)) => {
                    assert!(armed <= w.now_us(), "armed in the future: {n:?}");
                    assert!(armed <= deadline, "armed after its deadline: {n:?}");
                    if armed > 0 {
                        seen_rearm = true;
                    }
                }
                (None, None) => {}
                (armed, deadline) => {
                    panic!("armed {armed:?} without deadline {deadline:?} (n{})", n.id)
                }
            }
        }
    }
    assert!(seen_rearm, "followers re-arm their timer on heartbeats");
    // A crashed node has no timer; after a restart the timer is armed at the restart.
    let leader = w.leaders()[0].node;
    w.apply(Action::Crash { node: leader }).unwrap();
    assert_eq!(w.node(leader).unwrap().election_timer_armed_us, None);
    w.advance(10_000);
    let t = w.now_us();
    w.apply(Action::Restart { node: leader }).unwrap();
    let n = w.node(leader).unwrap();
    assert_eq!(n.election_timer_armed_us, Some(t));
    assert!(n.election_deadline_us.unwrap() > t);
}

#[test]
fn view_with_a_log_tail_no_kv_and_no_summaries_keeps_the_rest_identical() {
    let mut w = busy_world();
    w.run_until(3_000_000);
    let full = w.view();
    assert_eq!(full, w.view_with(&ViewOptions::default()));
    let lean = w.view_with(&ViewOptions {
        log_tail: 32,
        kv: false,
        summaries: false,
    });
    assert_eq!(lean.seed, 7);
    assert_eq!(full.seed, 7);
    for (f, l) in full.nodes.iter().zip(&lean.nodes) {
        assert!(f.log.len() > 32, "the run is long enough to cut the log");
        assert_eq!(l.log.len(), 32);
        assert_eq!(l.log[..], f.log[f.log.len() - 32..]);
        assert_eq!(l.log_first_index, l.log[0].index);
        assert_eq!(l.log_len, f.log_len);
        assert!(l.kv.is_empty());
        assert!(!f.kv.is_empty());
        let mut l2 = l.clone();
        l2.log = f.log.clone();
        l2.log_first_index = f.log_first_index;
        l2.kv = f.kv.clone();
        assert_eq!(&l2, f, "only log and kv differ");
    }
    assert!(!full.messages.is_empty());
    assert_eq!(lean.messages.len(), full.messages.len());
    for (l, f) in lean.messages.iter().zip(&full.messages) {
        assert!(l.summary.is_empty() && !f.summary.is_empty());
        let mut l2 = l.clone();
        l2.summary = f.summary.clone();
        assert_eq!(&l2, f, "only the summary differs");
    }
    assert_eq!(lean.clients, full.clients);
    let none = w.view_with(&ViewOptions {
        log_tail: 0,
        kv: true,
        summaries: true,
    });
    for n in &none.nodes {
        assert!(n.log.is_empty());
        assert_eq!(n.log_first_index.0, n.log_len + 1);
    }
}

#[test]
fn a_scenario_exported_at_time_zero_parses_back() {
    let w = busy_world();
    let s = w.export_scenario("nothing yet");
    assert_eq!(s.duration_us, 1);
    let back = Scenario::from_json(&s.to_json()).expect("parses");
    assert_eq!(back, s);
}

#[test]
fn entries_marked_overwritten_are_overwritten() {
    let (scenario, mut w) = split_brain();
    // Two leaders, each with an uncommitted write the other does not have.
    w.run_until(2_400_000);
    // The view names the newer leader as the current one.
    let v = w.view();
    let leaders: Vec<(Term, NodeId)> = v
        .nodes
        .iter()
        .filter(|n| n.role == Some(raft::Role::Leader))
        .map(|n| (n.term, n.id))
        .collect();
    assert_eq!(leaders.len(), 2, "split brain: {leaders:?}");
    assert_eq!(v.leader, leaders.iter().max().map(|l| l.1));
    assert_ne!(v.leader, Some(NodeId(1)));
    let marked: Vec<(NodeId, LogIndex, Term)> = w
        .nodes()
        .iter()
        .flat_map(|n| {
            assert!(n.log.iter().all(|e| !e.overwritten || e.index > n.commit));
            n.log
                .iter()
                .filter(|e| e.overwritten)
                .map(move |e| (n.id, e.index, e.term))
        })
        .collect();
    assert!(
        marked.iter().any(|&(node, _, _)| node == NodeId(1)),
        "the minority leader's entry is marked: {marked:?}"
    );
    // After the heal the newer leader's log wins.
    w.run_until(scenario.duration_us);
    let nodes = w.nodes();
    for (node, index, term) in marked {
        let now = nodes[node.0 as usize - 1]
            .log
            .iter()
            .find(|e| e.index == index)
            .map(|e| e.term);
        assert!(
            now.is_some_and(|t| t != term),
            "{node}'s entry {index} (term {}) was marked but is now {now:?}",
            term.0
        );
    }
    assert!(nodes.iter().all(|n| n.log.iter().all(|e| !e.overwritten)));
}

#[test]
fn replicas_split_by_a_partition_are_not_settled_until_the_heal() {
    let (scenario, mut w) = split_brain();
    let convergence = |w: &World| {
        let h = w.history();
        sim::history::validate(&h).unwrap();
        check::check_history(&h, &check::Options::default()).convergence
    };
    // The majority has applied a write the minority has not: the replicas differ, as they
    // should at this point, and the check says they have not settled rather than diverged.
    w.run_until(2_400_000);
    let h = w.history();
    let states: Vec<_> = h.final_states.iter().flat_map(|f| f.values()).collect();
    assert!(states.windows(2).any(|s| s[0] != s[1]), "{states:?}");
    let c = convergence(&w);
    assert_eq!(c.verdict, check::Verdict::Unknown, "{c:?}");
    assert!(!c.settled);
    // After the heal every replica has applied the same log and holds the same map.
    w.run_until(scenario.duration_us);
    let c = convergence(&w);
    assert_eq!(c.verdict, check::Verdict::Ok, "{c:?}");
    assert!(c.settled);
}
