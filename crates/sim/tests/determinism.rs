//! Determinism: same inputs, same trace hash; seek then run equals a straight run.

use sim::config::WorkloadConfig;
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

fn run(seed: u64) -> World {
    let mut w = World::new(busy_config(), seed).unwrap();
    w.run_until(400_000);
    w.apply(Action::Partition {
        groups: vec![
            vec![NodeId(1), NodeId(2)],
            vec![NodeId(3), NodeId(4), NodeId(5)],
        ],
    })
    .unwrap();
    w.run_until(900_000);
    w.apply(Action::Heal).unwrap();
    w.apply(Action::Crash { node: NodeId(3) }).unwrap();
    w.run_until(1_300_000);
    w.apply(Action::Restart { node: NodeId(3) }).unwrap();
    w.run_until(2_000_000);
    w
}

#[test]
fn same_seed_gives_the_same_trace_hash() {
    let seed = 42;
    println!("seed {seed}; replay: cargo test -p raftlab-sim --test determinism");
    let (a, b) = (run(seed), run(seed));
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.trace_len(), b.trace_len());
    assert_eq!(a.history(), b.history());
}

#[test]
fn different_seeds_give_different_trace_hashes() {
    let hashes: std::collections::BTreeSet<String> = (1..=5).map(|s| run(s).trace_hash()).collect();
    assert_eq!(hashes.len(), 5);
}

#[test]
fn every_scenario_replays_to_the_same_hash() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/split_brain.json"
    ))
    .unwrap();
    let s = sim::Scenario::from_json(&text).unwrap();
    let (_, a) = sim::run_scenario(&s).unwrap();
    let (_, b) = sim::run_scenario(&s).unwrap();
    assert_eq!(a.trace_hash, b.trace_hash);
}

#[test]
fn seek_back_then_run_equals_a_straight_run() {
    let straight = run(7);
    let mut w = run(7);
    seek_around_then_finish(&mut w, &straight);
    assert!(w.timeline().checkpoints > 0);
}

/// Seeks back and forth, runs to 2 s, and compares with a straight run to 2 s.
fn seek_around_then_finish(w: &mut World, straight: &World) {
    for t in [1_500_000, 350_000, 1_000, 950_000] {
        w.seek(t);
        assert_eq!(w.now_us(), t);
    }
    w.run_until(2_000_000);
    assert_eq!(w.trace_hash(), straight.trace_hash());
    assert_eq!(w.history(), straight.history());
}

#[test]
fn deferred_checkpoints_are_taken_when_asked_and_seek_stays_exact() {
    let mut straight = World::new(busy_config(), 7).unwrap();
    straight.set_checkpointing(false);
    straight.run_until(2_000_000);
    let mut w = World::new(busy_config(), 7).unwrap();
    w.set_checkpoints_deferred(true);
    let mut t = 0;
    while t < 2_000_000 {
        t += 16_667;
        w.run_until(t.min(2_000_000));
        if w.checkpoint_due() && (t / 16_667) % 3 == 0 {
            assert!(w.checkpoint_now());
            assert!(
                !w.checkpoint_due(),
                "the next one is due a full interval later"
            );
        }
    }
    assert_eq!(
        w.trace_hash(),
        straight.trace_hash(),
        "checkpoints change nothing"
    );
    let taken = w.timeline().checkpoints;
    assert!(taken > 5, "{taken} checkpoints");
    assert!(!w.checkpoint_now() || w.timeline().checkpoints == taken + 1);
    seek_around_then_finish(&mut w, &straight);
}

#[test]
fn splitting_a_run_into_steps_does_not_change_it() {
    let mut a = World::new(busy_config(), 9).unwrap();
    a.run_until(1_000_000);
    let mut b = World::new(busy_config(), 9).unwrap();
    let mut t = 0;
    while t < 1_000_000 {
        t += 16_667;
        b.run_until(t.min(1_000_000));
    }
    assert_eq!(a.trace_hash(), b.trace_hash());
    let mut c = World::new(busy_config(), 9).unwrap();
    while c.next_event_at().is_some_and(|at| at <= 1_000_000) {
        c.step();
    }
    c.run_until(1_000_000);
    assert_eq!(a.trace_hash(), c.trace_hash());
}

#[test]
fn stepping_a_scenario_never_passes_a_pending_action() {
    for seed in 0..40 {
        stepping_never_passes_a_pending_action(seed);
    }
}

fn stepping_never_passes_a_pending_action(seed: u64) {
    let scenario = run(seed).export_scenario("stepped");
    let mut w = World::from_scenario(&scenario).unwrap();
    let mut steps = 0u64;
    while w.now_us() < scenario.duration_us {
        let timeline = w.timeline();
        let next_action_at = w.actions().get(timeline.actions_applied).map(|a| a.at_us);
        assert!(w.step(), "idle at {} µs", w.now_us());
        steps += 1;
        if let Some(at) = next_action_at {
            assert!(
                w.now_us() <= at,
                "seed {seed}: step {steps} moved the clock to {} µs, past the action at {at} µs",
                w.now_us()
            );
        }
        assert!(w.timeline().actions_applied <= timeline.actions_applied + 1);
    }
    // The last step may end past the duration: compare with a straight run to that time.
    let end_us = w.now_us();
    w.run_until(end_us);
    let mut straight = World::from_scenario(&scenario).unwrap();
    straight.run_until(end_us);
    assert_eq!(w.trace_hash(), straight.trace_hash());
    assert!(steps > 1_000, "only {steps} steps");
}

#[test]
fn exported_scenario_replays_the_session() {
    let w = run(11);
    let s = w.export_scenario("exported");
    let text = s.to_json();
    let back = sim::Scenario::from_json(&text).unwrap();
    let (_, summary) = sim::run_scenario(&back).unwrap();
    assert_eq!(summary.trace_hash, w.trace_hash());
}

#[test]
fn a_refused_action_leaves_the_world_unchanged() {
    let mut w = World::new(SimConfig::default(), 1).unwrap();
    w.run_until(500_000);
    let before = (w.trace_hash(), w.actions().len());
    let e = w.apply(Action::Crash { node: NodeId(7) }).unwrap_err();
    assert_eq!(e.to_string(), "node: no node 7 (nodes are 1..5)");
    let e = w
        .apply(Action::Partition {
            groups: vec![vec![NodeId(1), NodeId(2)], vec![NodeId(2), NodeId(3)]],
        })
        .unwrap_err();
    assert_eq!(e.field, "groups[1][0]");
    assert!(w.apply(Action::DropMessage { id: 999_999 }).is_err());
    let e = w
        .apply(Action::SetWorkload {
            enabled: Some(true),
            rate_ops_per_s: None,
            key_count: Some(sim::config::KEY_COUNT_MAX + 1),
            mix: None,
        })
        .unwrap_err();
    assert_eq!(e.to_string(), "key_count: must be at most 10000, got 10001");
    assert_eq!((w.trace_hash(), w.actions().len()), before);
}

#[test]
fn message_actions_drop_hold_release_and_duplicate() {
    let mut w = World::new(SimConfig::default(), 3).unwrap();
    w.run_until(1_000_000);
    while w.messages().is_empty() {
        assert!(w.step());
    }
    let m = w.messages()[0].clone();
    assert!(m.deliver_at_us >= m.sent_at_us);
    w.apply(Action::HoldMessage { id: m.id }).unwrap();
    w.run_until(w.now_us() + 100_000);
    assert!(w
        .messages()
        .iter()
        .any(|x| x.id == m.id && x.state == sim::view::MessageState::Held));
    w.apply(Action::DuplicateMessage { id: m.id }).unwrap();
    w.apply(Action::ReleaseMessage { id: m.id }).unwrap();
    w.run_until(w.now_us() + 100_000);
    assert!(!w.messages().iter().any(|x| x.id == m.id));
    let lines = w.drain_events(2_000);
    assert!(lines
        .lines
        .iter()
        .any(|l| l.text.contains(&format!("duplicate #{}", m.id))));
}

#[test]
fn views_serialize_with_small_numbers() {
    let mut w = World::new(busy_config(), 5).unwrap();
    w.run_until(1_000_000);
    let v = serde_json::to_value(w.view()).unwrap();
    fn walk(v: &serde_json::Value) {
        match v {
            serde_json::Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    assert!(u < 1 << 53, "{u}");
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(walk),
            serde_json::Value::Object(o) => o.values().for_each(walk),
            _ => {}
        }
    }
    walk(&v);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 5);
    assert_eq!(w.trace_hash().len(), 16);
}

#[test]
fn event_markers_and_marker_only_text() {
    let mut full = World::new(busy_config(), 5).unwrap();
    let mut lean = full.clone();
    for w in [&mut full, &mut lean] {
        w.run_until(500_000);
        let leader = w.leaders().first().expect("a leader by 500 ms").node;
        w.apply(Action::Crash { node: leader }).unwrap();
        w.run_until(2_000_000);
    }
    let (a, b) = (
        full.drain_events(2_000),
        lean.drain_events_with(
            2_000,
            &sim::timeline::EventsOptions {
                text: sim::timeline::EventText::Markers,
            },
        ),
    );
    assert_eq!(a.lines.len(), b.lines.len());
    let mut kinds = std::collections::BTreeSet::new();
    for (f, l) in a.lines.iter().zip(&b.lines) {
        assert_eq!(f.marker, l.marker);
        assert!(!f.text.is_empty());
        match l.marker {
            Some(m) => {
                assert_eq!(l.text, f.text, "marked lines keep their text");
                kinds.insert(format!("{m:?}"));
            }
            None => assert!(l.text.is_empty(), "{}", f.text),
        }
        if f.text.contains("-> leader") {
            assert_eq!(f.marker, Some(sim::trace::Marker::Election), "{}", f.text);
        }
    }
    assert!(
        kinds.contains("Election") && kinds.contains("Fault"),
        "{kinds:?}"
    );
}

#[test]
fn checkpoints_stay_bounded_and_seek_stays_exact_over_a_long_run() {
    let config = SimConfig {
        node_count: 3,
        ..SimConfig::default()
    };
    let mut straight = World::new(config.clone(), 4).unwrap();
    straight.set_checkpointing(false);
    let mut w = World::new(config, 4).unwrap();
    let mut max_seen = 0;
    for s in 1..=40u64 {
        w.run_until(s * 1_000_000);
        max_seen = max_seen.max(w.timeline().checkpoints);
    }
    straight.run_until(40_000_000);
    let t = w.timeline();
    assert!(max_seen <= sim::timeline::CHECKPOINTS_MAX, "{max_seen}");
    assert!(t.checkpoint_thinnings >= 2, "{t:?}");
    assert!(t.checkpoints >= sim::timeline::CHECKPOINTS_MAX / 2, "{t:?}");
    for at in [39_500_000, 123_456, 20_000_000, 7_777_777, 39_999_999] {
        w.seek(at);
        assert_eq!(w.now_us(), at);
    }
    w.run_until(40_000_000);
    assert_eq!(w.trace_hash(), straight.trace_hash());
}
