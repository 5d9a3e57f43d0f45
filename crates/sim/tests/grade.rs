//! The grader's rules, each on a small exercise: the learner's actions are the submission's
//! minus the exercise's own, constraints are judged on them, a submission for another world
//! is refused, and the whole-run goals see what happens between two instants.

use sim::grade::{grade_json, learner_actions};
use sim::{Action, TimedAction};

/// A five-node world where n1 campaigns at 10 ms (2 ms links, CheckQuorum off).
fn exercise(goal: &str, constraints: &str) -> String {
    format!(
        r#"{{
        "scenario": {{
            "seed": 1, "duration_us": 2000000,
            "config": {{ "check_quorum": false, "network": {{ "latency_us_min": 2000, "latency_us_max": 2000 }} }},
            "actions": [{{ "at_us": 10000, "action": {{ "type": "campaign", "node": 1 }} }}]
        }},
        "goal": {goal},
        "constraints": {constraints}
    }}"#
    )
}

const PARTITION: &str =
    r#"{ "at_us": 100000, "action": { "type": "partition", "groups": [[1, 2], [3, 4, 5]] } }"#;

#[test]
fn learner_actions_leave_out_the_exercises_own() {
    let a = |t, node| TimedAction {
        at_us: t,
        action: Action::Crash {
            node: sim::NodeId(node),
        },
    };
    let scheduled = vec![a(1, 1), a(2, 2)];
    let submitted = vec![a(1, 1), a(2, 2), a(2, 2), a(3, 3)];
    assert_eq!(
        learner_actions(&scheduled, &submitted),
        vec![a(2, 2), a(3, 3)]
    );
}

#[test]
fn two_leaders_at_once_is_seen_and_the_share_link_form_is_accepted() {
    let ex = exercise(r#"[{ "type": "leaders_at_once", "count_min": 2 }]"#, "{}");
    // A share link's state carries the exercise's own campaign too, and t_us, v.
    let sub = format!(
        r#"{{ "v": 1, "seed": 1, "t_us": 5, "actions": [
            {{ "at_us": 10000, "action": {{ "type": "campaign", "node": 1 }} }}, {PARTITION}] }}"#
    );
    let g = grade_json(&ex, &sub).unwrap();
    assert!(g.passed, "{g:?}");
    assert_eq!(g.score.actions, 1);
    let met = g.goals[0].met_at_us.unwrap();
    assert!(met > 100_000 && met < 2_000_000, "{met}");
    let none = grade_json(&ex, r#"{ "actions": [] }"#).unwrap();
    assert!(!none.passed);
    assert_eq!(
        none.reasons,
        ["goal not met: at least 2 leaders at the same time (not seen)"]
    );
}

#[test]
fn constraints_are_judged_on_the_learners_actions() {
    let ex = exercise(
        r#"[{ "type": "leaders_at_once", "count_min": 2 }]"#,
        r#"{ "actions_allowed": ["drop_next"], "actions_max": 0, "nodes_down_max": 0 }"#,
    );
    let sub = format!(
        r#"{{ "actions": [{PARTITION}, {{ "at_us": 200000, "action": {{ "type": "crash", "node": 2 }} }}] }}"#
    );
    let g = grade_json(&ex, &sub).unwrap();
    assert!(!g.passed);
    let broken: Vec<&str> = g.constraints.iter().map(|c| c.observed.as_str()).collect();
    assert_eq!(
        broken,
        ["used partition", "2 actions used", "1 down at most"]
    );
    // The goal is still judged, so the learner sees both.
    assert!(g.goals[0].ok);
    assert_eq!(
        g.reasons,
        [
            "constraint broken: only drop_next (used partition)",
            "constraint broken: at most 0 actions (2 actions used)",
            "constraint broken: at most 0 nodes down at a time (1 down at most)",
        ]
    );
}

/// The reasons as data: each English line is its failure written out, and the failure holds
/// what a page needs to word it in another language (the code, the bound, the count).
#[test]
fn each_reason_is_a_code_with_its_parameters() {
    use sim::grade::ReasonCode;
    let ex = exercise(
        r#"[{ "type": "leaders_at_once", "count_min": 2 }]"#,
        r#"{ "actions_allowed": ["drop_next"], "actions_max": 0, "nodes_down_max": 0 }"#,
    );
    let sub = r#"{ "actions": [{ "at_us": 200000, "action": { "type": "crash", "node": 2 } }] }"#;
    let g = grade_json(&ex, sub).unwrap();
    let codes: Vec<ReasonCode> = g.failures.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [
            ReasonCode::ActionNotAllowed,
            ReasonCode::TooManyActions,
            ReasonCode::TooManyNodesDown,
            ReasonCode::GoalNotMet,
        ]
    );
    assert_eq!(g.failures[0].observed.as_deref(), Some("crash"));
    assert_eq!((g.failures[1].max, g.failures[1].count), (Some(0), Some(1)));
    assert_eq!(g.failures[3].index, Some(0));
    let lines: Vec<String> = g.failures.iter().map(|r| r.to_string()).collect();
    assert_eq!(g.reasons, lines);
    assert_eq!(
        g.reasons[1],
        "constraint broken: at most 0 actions (1 action used)"
    );
    let json = sim::json::to_string(&g.failures[1]).unwrap();
    assert_eq!(json, r#"{"code":"too_many_actions","max":0,"count":1}"#);
    let other = grade_json(&ex, r#"{ "seed": 2, "actions": [] }"#).unwrap();
    assert_eq!(other.failures[0].code, ReasonCode::SeedMismatch);
    assert_eq!(
        (other.failures[0].seed, other.failures[0].exercise_seed),
        (Some(2), Some(1))
    );
}

#[test]
fn a_submission_for_another_world_is_not_run() {
    let ex = exercise(r#"[{ "type": "no_violation" }]"#, "{}");
    let g = grade_json(&ex, r#"{ "seed": 2, "actions": [] }"#).unwrap();
    assert!(!g.passed);
    assert_eq!(
        g.reasons,
        ["the submission is for seed 2, the exercise's world has seed 1"]
    );
    assert_eq!(g.goals[0].observed, "not judged");
    let late = r#"{ "actions": [{ "at_us": 9000000, "action": { "type": "heal" } }] }"#;
    let g = grade_json(&ex, late).unwrap();
    assert!(
        g.reasons[0].contains("is after duration_us 2000000"),
        "{:?}",
        g.reasons
    );
}

#[test]
fn an_elected_node_and_a_leaderless_span_are_goals() {
    let ex = exercise(
        r#"[{ "type": "becomes_leader", "node": 1 }, { "type": "no_leader_until", "at_us": 5000 }]"#,
        "{}",
    );
    let g = grade_json(&ex, r#"{ "actions": [] }"#).unwrap();
    assert!(g.passed, "{g:?}");
    assert_eq!(g.goals[1].met_at_us, Some(5000));
    let ex = exercise(r#"[{ "type": "no_leader_until", "at_us": 1000000 }]"#, "{}");
    let g = grade_json(&ex, r#"{ "actions": [] }"#).unwrap();
    assert!(!g.passed);
    assert!(
        g.goals[0].observed.contains("leaders n1"),
        "{:?}",
        g.goals[0]
    );
}

#[test]
fn bad_documents_name_the_field() {
    let ex = exercise(r#"[{ "type": "two_leaders" }]"#, "{}");
    let e = grade_json(&ex, r#"{ "actions": [] }"#).unwrap_err();
    assert!(e.starts_with("exercise.goal[0].type: unknown goal type `two_leaders`, expected one of leaders_at_once, becomes_leader, no_leader_until, leader_exists"), "{e}");
    let ex = exercise(
        r#"[{ "type": "no_violation" }]"#,
        r#"{ "actions_allowed": ["explode"] }"#,
    );
    let e = grade_json(&ex, r#"{ "actions": [] }"#).unwrap_err();
    assert!(
        e.starts_with("exercise.constraints.actions_allowed[0]: unknown variant `explode`"),
        "{e}"
    );
    let ex = exercise(r#"[{ "type": "no_violation" }]"#, "{}");
    let e = grade_json(&ex, r#"{ "actions": [{ "at_us": 1 }] }"#).unwrap_err();
    assert_eq!(e, "submission.actions[0]: missing field `action`");
}
