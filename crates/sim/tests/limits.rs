//! The named bounds: virtual time, work per call, input sizes. Each refusal names the field
//! and the limit, and leaves the world unchanged.

use sim::config::WorkloadConfig;
use sim::limits::VIRTUAL_TIME_US_MAX;
use sim::{Action, NodeId, SimConfig, World};

fn busy_config() -> SimConfig {
    SimConfig {
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 30,
            ..WorkloadConfig::default()
        },
        ..SimConfig::default()
    }
}

fn busy(seed: u64) -> World {
    let mut w = World::new(busy_config(), seed).unwrap();
    w.run_until(300_000);
    w
}

/// What must not change when a call is refused.
fn fingerprint(w: &World) -> (u64, String, u64, usize) {
    (w.now_us(), w.trace_hash(), w.trace_len(), w.actions().len())
}

#[test]
fn runs_past_the_time_limit_are_refused_and_change_nothing() {
    let mut w = busy(1);
    let before = fingerprint(&w);
    let msg = format!(
        "virtual time {} µs is past the limit VIRTUAL_TIME_US_MAX = {VIRTUAL_TIME_US_MAX} µs (24 h)",
        VIRTUAL_TIME_US_MAX + 1
    );
    assert_eq!(
        w.try_run_until(VIRTUAL_TIME_US_MAX + 1)
            .unwrap_err()
            .to_string(),
        msg
    );
    assert_eq!(
        w.try_seek(VIRTUAL_TIME_US_MAX + 1).unwrap_err().to_string(),
        msg
    );
    assert!(w.try_advance(u64::MAX).is_err());
    assert!(w.try_advance(VIRTUAL_TIME_US_MAX).is_err());
    assert!(w.run_until_budgeted(u64::MAX, 10).is_err());
    assert!(w.seek_budgeted(VIRTUAL_TIME_US_MAX + 1, 10).is_err());
    assert!(w.advance_budgeted(VIRTUAL_TIME_US_MAX, 10).is_err());
    assert!(w
        .try_schedule(VIRTUAL_TIME_US_MAX + 1, Action::Crash { node: NodeId(1) })
        .is_err());
    assert_eq!(fingerprint(&w), before);
    // At the limit itself a schedule is accepted.
    w.try_schedule(VIRTUAL_TIME_US_MAX, Action::Crash { node: NodeId(1) })
        .unwrap();
}

#[test]
fn a_scenario_longer_than_the_time_limit_is_refused() {
    let text = format!(
        r#"{{"description": "too long", "seed": 1, "duration_us": {}}}"#,
        VIRTUAL_TIME_US_MAX + 1
    );
    let e = sim::Scenario::from_json(&text).unwrap_err();
    assert_eq!(e.path, "duration_us");
    assert!(e.problem.contains("VIRTUAL_TIME_US_MAX"), "{e}");
}

/// Runs to `t` in slices of at most `budget` events, counting the calls.
fn run_sliced(w: &mut World, t: u64, budget: u64) -> usize {
    let mut calls = 0;
    loop {
        calls += 1;
        let p = w.run_until_budgeted(t, budget).unwrap();
        assert_eq!(p.target_us, t);
        assert_eq!(p.now_us, w.now_us());
        if p.done {
            assert_eq!(w.now_us(), t);
            return calls;
        }
        assert!(p.now_us <= t);
        assert!(p.events >= budget, "stopped early: {p:?}");
    }
}

#[test]
fn a_budgeted_run_in_slices_equals_one_run() {
    for checkpoints_deferred in [false, true] {
        let mut straight = busy(7);
        let mut sliced = busy(7);
        sliced.set_checkpoints_deferred(checkpoints_deferred);
        for w in [&mut straight, &mut sliced] {
            w.schedule(700_000, Action::Crash { node: NodeId(2) });
            w.schedule(700_000, Action::Restart { node: NodeId(2) });
            w.schedule(900_000, Action::Heal);
        }
        straight.run_until(2_000_000);
        let calls = run_sliced(&mut sliced, 2_000_000, 37);
        assert!(
            calls > 10,
            "{calls} calls: the budget did not slice the run"
        );
        assert_eq!(sliced.trace_hash(), straight.trace_hash());
        assert_eq!(sliced.trace_len(), straight.trace_len());
        assert_eq!(sliced.history(), straight.history());
        assert_eq!(sliced.timeline().actions_applied, 3);
        // And it goes on identically.
        straight.run_until(2_500_000);
        sliced.run_until(2_500_000);
        assert_eq!(sliced.trace_hash(), straight.trace_hash());
    }
}

#[test]
fn a_budgeted_seek_back_then_forward_equals_a_straight_run() {
    let mut straight = busy(9);
    straight.run_until(3_000_000);
    let mut w = busy(9);
    w.run_until(3_000_000);
    let mut calls = 0;
    loop {
        calls += 1;
        let p = w.seek_budgeted(1_200_000, 50).unwrap();
        if p.done {
            break;
        }
    }
    assert_eq!(w.now_us(), 1_200_000);
    assert!(calls >= 1);
    let mut reference = busy(9);
    reference.run_until(1_200_000);
    assert_eq!(w.trace_hash(), reference.trace_hash());
    // Forward again in slices, to where the straight run is.
    run_sliced(&mut w, 3_000_000, 100);
    assert_eq!(w.trace_hash(), straight.trace_hash());
}

#[test]
fn advance_budgeted_goes_on_with_seek_budgeted_to_its_target() {
    let mut straight = busy(3);
    straight.advance(1_000_000);
    let mut w = busy(3);
    let mut p = w.advance_budgeted(1_000_000, 20).unwrap();
    assert!(!p.done);
    while !p.done {
        p = w.seek_budgeted(p.target_us, 20).unwrap();
    }
    assert_eq!(w.trace_hash(), straight.trace_hash());
}

#[test]
fn a_budget_of_zero_still_makes_progress() {
    let mut w = busy(4);
    let before = w.events_processed();
    let p = w.run_until_budgeted(10_000_000, 0).unwrap();
    assert!(p.events >= 1 && w.events_processed() > before);
}

// ---- input sizes ----

use sim::limits::{
    DESCRIPTION_BYTES_MAX, KEY_BYTES_MAX, QUEUED_OPS_MAX, SCENARIO_JSON_BYTES_MAX, VALUE_BYTES_MAX,
    WORLD_MEMORY_BYTES_MAX,
};

fn put(key: usize, value: usize) -> Action {
    Action::Put {
        client: 1,
        key: "k".repeat(key),
        value: "v".repeat(value),
        node: None,
    }
}

#[test]
fn keys_and_values_past_their_limits_are_refused_naming_the_field() {
    let mut w = busy(2);
    let before = fingerprint(&w);
    let e = w.apply(put(1, VALUE_BYTES_MAX + 1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "value: {} bytes, at most {VALUE_BYTES_MAX} (VALUE_BYTES_MAX)",
            VALUE_BYTES_MAX + 1
        )
    );
    let e = w.apply(put(KEY_BYTES_MAX + 1, 1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "key: {} bytes, at most {KEY_BYTES_MAX} (KEY_BYTES_MAX)",
            KEY_BYTES_MAX + 1
        )
    );
    let cas = Action::Cas {
        client: 1,
        key: "k".into(),
        expected: Some("e".repeat(VALUE_BYTES_MAX + 1)),
        value: "v".into(),
        node: None,
    };
    assert_eq!(w.apply(cas).unwrap_err().field, "expected");
    let get = Action::Get {
        client: 1,
        key: "k".repeat(KEY_BYTES_MAX + 1),
        node: None,
    };
    assert_eq!(w.apply(get).unwrap_err().field, "key");
    assert_eq!(fingerprint(&w), before);
    // At the limits themselves they are accepted.
    w.apply(put(KEY_BYTES_MAX, VALUE_BYTES_MAX)).unwrap();
}

#[test]
fn scenarios_bound_their_text_description_and_action_sizes() {
    let big = " ".repeat(SCENARIO_JSON_BYTES_MAX + 1);
    let e = sim::Scenario::from_json(&big).unwrap_err();
    assert!(e.problem.contains("SCENARIO_JSON_BYTES_MAX"), "{e}");
    let text = format!(
        r#"{{"description": "{}", "seed": 1, "duration_us": 10}}"#,
        "d".repeat(DESCRIPTION_BYTES_MAX + 1)
    );
    let e = sim::Scenario::from_json(&text).unwrap_err();
    assert_eq!(e.path, "description");
    assert!(e.problem.contains("DESCRIPTION_BYTES_MAX"), "{e}");
    let text = format!(
        r#"{{"description": "x", "seed": 1, "duration_us": 10, "actions": [
            {{"at_us": 1, "action": {{"type": "put", "client": 1, "key": "k", "value": "{}"}}}}]}}"#,
        "v".repeat(VALUE_BYTES_MAX + 1)
    );
    let e = sim::Scenario::from_json(&text).unwrap_err();
    assert_eq!(e.path, "actions[0].action.value");
    assert!(e.problem.contains("VALUE_BYTES_MAX"), "{e}");
}

#[test]
fn queued_ops_max_is_bounded() {
    let mut c = SimConfig::default();
    c.clients.queued_ops_max = QUEUED_OPS_MAX + 1;
    let e = World::new(c, 1).unwrap_err();
    assert_eq!(e.field, "clients.queued_ops_max");
    assert!(e.problem.contains("QUEUED_OPS_MAX"), "{e}");
}

#[test]
fn json_nesting_is_bounded_while_parsing() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(sim::Scenario::from_json(&deep).is_err());
}

#[test]
fn past_the_memory_budget_client_actions_and_forward_runs_are_refused() {
    let mut c = SimConfig::default();
    c.clients.count = 64;
    c.clients.queued_ops_max = QUEUED_OPS_MAX;
    let mut w = World::new(c, 1).unwrap();
    w.run_until(500_000);
    let mut accepted = 0;
    let refusal = loop {
        let client = accepted % 64 + 1;
        let a = Action::Put {
            client,
            key: "k".into(),
            value: "v".repeat(VALUE_BYTES_MAX),
            node: None,
        };
        match w.apply(a) {
            Ok(()) => accepted += 1,
            Err(e) => break e,
        }
        assert!(accepted < 10_000, "never refused");
    };
    assert_eq!(refusal.field, "memory");
    assert!(
        refusal.problem.contains("WORLD_MEMORY_BYTES_MAX"),
        "{refusal}"
    );
    assert!(w.memory_estimate().bytes() > WORLD_MEMORY_BYTES_MAX);
    let before = fingerprint(&w);
    assert!(w.try_advance(1_000).is_err());
    assert!(w.advance_budgeted(1_000, 10).is_err());
    assert_eq!(fingerprint(&w), before);
    // Other actions and backward seeks still work: the way out.
    w.apply(Action::Heal).unwrap();
    w.try_seek(100_000).unwrap();
    assert!(w.memory_estimate().bytes() < WORLD_MEMORY_BYTES_MAX);
}
