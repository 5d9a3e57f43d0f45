//! The named bounds: virtual time, work per call, input sizes. Each refusal names the field
//! and the limit, and leaves the world unchanged.

use sim::config::WorkloadConfig;
use sim::limits::VIRTUAL_TIME_US_MAX;
use sim::{Action, SimConfig, World};

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
        .try_schedule(VIRTUAL_TIME_US_MAX + 1, Action::Crash { node: 1 })
        .is_err());
    assert_eq!(fingerprint(&w), before);
    // At the limit itself a schedule is accepted.
    w.try_schedule(VIRTUAL_TIME_US_MAX, Action::Crash { node: 1 })
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
            w.schedule(700_000, Action::Crash { node: 2 });
            w.schedule(700_000, Action::Restart { node: 2 });
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
