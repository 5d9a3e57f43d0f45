//! The lying node (`set_byzantine`, `sim::byzantine`): each mode is caught by the monitor
//! its scenario names, the same scenario without the lie breaks nothing, a crash of the
//! same node is survived, bad input is refused with the field named, and a campaign with
//! a lying node finds a violation within a bounded number of seeds.

use sim::byzantine::ByzantineMode;
use sim::campaign::{replay_command, run_seed, CampaignOptions};
use sim::{run_scenario, Action, NodeId, Scenario, SimConfig, World};
use std::path::PathBuf;

fn scenario(name: &str) -> Scenario {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{name}.json"));
    Scenario::from_json(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// The monitors that fired in a run of `s`.
fn fired(s: &Scenario) -> Vec<String> {
    let (_, summary) = run_scenario(s).unwrap();
    summary
        .monitors
        .iter()
        .filter(|m| m.violated)
        .map(|m| m.monitor.name().to_string())
        .collect()
}

#[test]
fn each_lie_is_caught_and_the_same_run_without_it_is_safe() {
    for (name, mode, monitor) in [
        (
            "byzantine_equivocate",
            ByzantineMode::Equivocate,
            "log_matching",
        ),
        (
            "byzantine_double_vote",
            ByzantineMode::DoubleVote,
            "election_safety",
        ),
        (
            "byzantine_false_commit",
            ByzantineMode::FalseCommit,
            "leader_completeness",
        ),
    ] {
        let s = scenario(name);
        let lies =
            |a: &Action| matches!(a, Action::SetByzantine { mode: Some(m), .. } if *m == mode);
        assert_eq!(
            s.actions.iter().filter(|t| lies(&t.action)).count(),
            1,
            "{name}"
        );
        let by = fired(&s);
        assert!(by.iter().any(|m| m == monitor), "{name}: {by:?}");
        let mut honest = s.clone();
        honest.actions.retain(|t| !lies(&t.action));
        assert_eq!(
            fired(&honest),
            Vec::<String>::new(),
            "{name} without the lie"
        );
    }
}

#[test]
fn a_crash_of_the_same_node_is_survived() {
    let s = scenario("byzantine_crash_contrast");
    let (_, summary) = run_scenario(&s).unwrap();
    assert!(summary.passed, "{:?}", summary.expectations);
    assert_eq!(fired(&s), Vec::<String>::new());
}

#[test]
fn the_core_stays_honest_only_the_wire_lies() {
    // Equivocation: the liar's own state machine holds the true value, the even-numbered
    // followers the forged one.
    let s = scenario("byzantine_equivocate");
    let (w, _) = sim::run_scenario_with(&s, true).unwrap();
    let x = |n: u32| w.node(NodeId(n)).unwrap().kv.get(&"x".to_string()).cloned();
    assert_eq!(x(1).as_deref(), Some("1"));
    assert_eq!(x(3).as_deref(), Some("1"));
    assert_eq!(x(2).as_deref(), Some("1'"));
    assert_eq!(x(4).as_deref(), Some("1'"));
    // Every lie is in the trace, naming the message and the mode.
    let lies = w
        .trace()
        .filter(|r| matches!(r.kind, sim::trace::TraceKind::Lie { .. }))
        .count();
    assert!(lies >= 2, "{lies} lie records");
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_changes() {
    let mut w = World::new(SimConfig::default(), 7).unwrap();
    let set = |node, mode| Action::SetByzantine {
        node: NodeId(node),
        mode,
    };
    let err = w
        .apply(set(9, Some(ByzantineMode::Equivocate)))
        .unwrap_err();
    assert_eq!(err.to_string(), "node: no node 9 (nodes are 1..5)");
    let err = w.apply(set(2, None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "mode: node 2 does not lie; name a mode to make it lie"
    );
    w.apply(set(2, Some(ByzantineMode::DoubleVote))).unwrap();
    let hash = w.trace_hash();
    let err = w
        .apply(set(3, Some(ByzantineMode::FalseCommit)))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "node: node 2 already lies (double_vote); one lying node at a time: make it honest first"
    );
    assert_eq!(w.trace_hash(), hash, "a refused action changes nothing");
    // The liar may change its mode, and be made honest again.
    w.apply(set(2, Some(ByzantineMode::FalseCommit))).unwrap();
    assert_eq!(
        w.node(NodeId(2)).unwrap().byzantine,
        Some(ByzantineMode::FalseCommit)
    );
    w.apply(set(2, None)).unwrap();
    assert_eq!(w.node(NodeId(2)).unwrap().byzantine, None);
    // From JSON: an unknown mode names the field.
    let err = sim::json::from_json_named::<Action>(
        "action",
        r#"{"type": "set_byzantine", "node": 1, "mode": "lies"}"#,
    )
    .unwrap_err();
    assert!(
        err.starts_with("action.mode: unknown variant `lies`"),
        "{err}"
    );
}

/// The first seed below `seeds_max` whose campaign, with a lying node, a monitor (or the
/// checker) caught; printed with its replay command.
fn caught_within(mode: ByzantineMode, seeds_max: u64) -> Vec<String> {
    let o = CampaignOptions {
        byzantine: Some(mode),
        ..CampaignOptions::default()
    };
    for seed in 0..seeds_max {
        let v = run_seed(seed, &o);
        if !v.caught_by.is_empty() {
            println!(
                "lying node {mode}: caught at seed {seed} by {:?}; replay: {}",
                v.caught_by,
                replay_command(seed, &o)
            );
            return v.caught_by;
        }
    }
    panic!("lying node {mode}: not caught within {seeds_max} seeds");
}

#[test]
fn a_campaign_with_an_equivocating_node_is_caught() {
    let by = caught_within(ByzantineMode::Equivocate, 40);
    assert!(
        by.iter()
            .any(|m| m == "log_matching" || m == "state_machine_safety"),
        "{by:?}"
    );
}

#[test]
fn a_campaign_with_a_double_voting_node_is_caught() {
    caught_within(ByzantineMode::DoubleVote, 100);
}

#[test]
fn a_campaign_with_a_false_committing_node_is_caught() {
    caught_within(ByzantineMode::FalseCommit, 100);
}

#[test]
fn the_lying_node_is_off_by_default_in_campaigns() {
    let o = CampaignOptions::default();
    assert_eq!(o.byzantine, None);
    let s = sim::campaign::campaign_scenario(3, &o);
    assert!(!s
        .actions
        .iter()
        .any(|t| matches!(t.action, Action::SetByzantine { .. })));
}
