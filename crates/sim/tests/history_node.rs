//! The two page-facing additions: which node served each client operation, and the time of
//! the previous event (the time slider's one-event step back).

use sim::config::WorkloadConfig;
use sim::history::Outcome;
use sim::{SimConfig, World};

fn busy(seed: u64, until_us: u64) -> World {
    let config = SimConfig {
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: 30,
            ..WorkloadConfig::default()
        },
        ..SimConfig::default()
    };
    let mut w = World::new(config, seed).unwrap();
    w.run_until(until_us);
    w
}

#[test]
fn every_attempted_operation_names_a_node_and_ok_ones_the_node_that_answered() {
    let w = busy(3, 3_000_000);
    let n = w.config().node_count;
    let h = w.history();
    let ok = h.operations.iter().filter(|o| o.outcome == Outcome::Ok);
    assert!(ok.clone().count() > 20, "the workload completed operations");
    for op in &h.operations {
        let node = op.node.expect("an invoked operation was sent to a node");
        assert!((1..=n).contains(&node), "op {} node {node}", op.id);
    }
    // An ok operation was answered by its node: the last response delivered to its
    // client at its completion time came from that node.
    for op in ok {
        let answered = w.trace().rev().find_map(|r| match &r.kind {
            sim::trace::TraceKind::Deliver { from, to, .. }
                if r.time_us == op.complete_us.unwrap()
                    && *to == sim::wire::Endpoint::Client(op.client as u32) =>
            {
                match from {
                    sim::wire::Endpoint::Node(f) => Some(f.0),
                    sim::wire::Endpoint::Client(_) => None,
                }
            }
            _ => None,
        });
        if let Some(f) = answered {
            assert_eq!(op.node, Some(f), "op {}", op.id);
        }
    }
    let json: serde_json::Value = serde_json::from_str(&sim::history::to_json(&h)).unwrap();
    assert!(json["operations"][0]["node"].is_u64());
    // The checker still reads it (the field is optional and ignored there).
    let back = check::parse_history(&sim::history::to_json(&h)).unwrap();
    assert_eq!(back.operations, h.operations);
}

#[test]
fn prev_event_at_is_the_latest_record_before_and_seeking_there_steps_back_one_event() {
    let mut w = busy(5, 1_000_000);
    let last = w.trace().next_back().unwrap().time_us;
    let prev = w.prev_event_at(last).unwrap();
    assert!(prev < last);
    assert!(
        !w.trace().any(|r| r.time_us > prev && r.time_us < last),
        "no event between {prev} and {last}"
    );
    assert!(w.trace().any(|r| r.time_us == prev));
    w.seek(prev);
    assert_eq!(w.now_us(), prev);
    assert_eq!(w.trace().next_back().unwrap().time_us, prev);
    let before = w.prev_event_at(prev).unwrap();
    assert!(before < prev);
    assert_eq!(
        World::new(SimConfig::default(), 1)
            .unwrap()
            .prev_event_at(0),
        None
    );
    let mut straight = busy(5, 0);
    straight.run_until(prev);
    assert_eq!(straight.trace_hash(), w.trace_hash());
}
