//! The tester's API: `start` at a chosen node, log ranges, message counts by kind,
//! skipping the events backlog, per-link reordering and the AppendEntries rejection note.

use sim::config::LinkConfig;
use sim::trace::TraceKind;
use sim::{Action, Endpoint, LogIndex, MsgKind, NodeId, SimConfig, World};

/// A quiet 3-node world (no workload) with a leader after 2 virtual seconds.
fn elected(seed: u64) -> (World, NodeId) {
    let mut w = World::new(SimConfig::default(), seed).unwrap();
    w.advance(2_000_000);
    let leaders = w.leaders();
    assert_eq!(leaders.len(), 1, "seed {seed}: one leader after 2 s");
    (w, leaders[0].node)
}

#[test]
fn start_at_the_leader_commits_everywhere_and_elsewhere_reports_not_leader() {
    let (mut w, leader) = elected(1);
    let follower = NodeId(leader.0 % 3 + 1);
    let not = w.start(follower, "k".into(), "v".into()).unwrap();
    assert!(!not.is_leader);
    assert_eq!(not.index, LogIndex(0));
    let r = w.start(leader, "x".into(), "1".into()).unwrap();
    assert!(r.is_leader);
    assert!(r.index.0 >= 2, "after the leader's no-op: {r:?}");
    w.advance(500_000);
    for n in 1..=3 {
        let range = w.log_range(NodeId(n), r.index.0, r.index.0).unwrap();
        assert_eq!(range.entries.len(), 1, "n{n}");
        assert_eq!(range.entries[0].term, r.term);
        assert!(
            range.entries[0].text.contains("tester#"),
            "{:?}",
            range.entries[0]
        );
        assert!(w.node(NodeId(n)).unwrap().commit >= r.index);
    }
    // `start` is an action: a seek back and forth replays it to the same world.
    let hash = w.trace_hash();
    let now = w.now_us();
    w.seek(0);
    w.seek(now);
    assert_eq!(w.trace_hash(), hash);
}

#[test]
fn start_at_a_missing_node_is_refused_and_the_world_unchanged() {
    let (mut w, _) = elected(2);
    let hash = w.trace_hash();
    let e = w.start(NodeId(9), "k".into(), "v".into()).unwrap_err();
    assert_eq!(e.field, "node");
    let e = w
        .start(NodeId(1), "k".repeat(100_000), "v".into())
        .unwrap_err();
    assert_eq!(e.field, "key");
    assert_eq!(w.trace_hash(), hash);
    assert_eq!(w.export_scenario("").actions.len(), 0);
}

#[test]
fn log_range_reads_past_the_view_tail_and_bounds_each_call() {
    let (mut w, leader) = elected(3);
    for i in 0..300 {
        w.start(leader, "k".into(), i.to_string()).unwrap();
    }
    w.advance(1_000_000);
    let whole = w.log_range(NodeId(1), 1, u64::MAX).unwrap();
    assert_eq!(whole.first_index, LogIndex(1));
    assert!(whole.last_index.0 >= 301);
    assert_eq!(
        whole.entries.len() as u64,
        whole.last_index.0,
        "under the bound: all"
    );
    assert_eq!(whole.entries[0].index, LogIndex(1));
    assert!(
        w.node(NodeId(1)).unwrap().log.len() <= 256,
        "the view keeps a tail only"
    );
    let part = w.log_range(NodeId(1), 10, 12).unwrap();
    let idx: Vec<u64> = part.entries.iter().map(|e| e.index.0).collect();
    assert_eq!(idx, [10, 11, 12]);
    let past = w.log_range(NodeId(1), 10_000, 10_001).unwrap();
    assert!(past.entries.is_empty());
    for _ in 0..800 {
        w.start(leader, "k".into(), "v".into()).unwrap();
    }
    let capped = w.log_range(NodeId(2), 1, u64::MAX).unwrap();
    assert_eq!(
        capped.entries.len() as u64,
        sim::timeline::LOG_RANGE_ENTRIES_MAX
    );
    assert_eq!(w.log_range(NodeId(1), 0, 3).unwrap_err().field, "from");
    assert_eq!(w.log_range(NodeId(1), 5, 3).unwrap_err().field, "to");
    assert_eq!(w.log_range(NodeId(9), 1, 3).unwrap_err().field, "node");
}

#[test]
fn message_counts_match_the_trace_and_bytes_grow_with_entries() {
    let (mut w, leader) = elected(4);
    w.apply(Action::DropNext {
        from: None,
        to: None,
        kind: Some(MsgKind::Raft(raft::MessageKind::Heartbeat)),
        count: 2,
    })
    .unwrap();
    w.start(leader, "key".into(), "value".into()).unwrap();
    w.advance(300_000);
    let counts = w.msg_counts();
    // Every record is still in the trace (well under its bound): count them there too.
    let (mut sent, mut delivered, mut dropped) = (0, 0, 0);
    for r in w.trace() {
        match r.kind {
            TraceKind::Send { .. } => sent += 1,
            TraceKind::Deliver { .. } => delivered += 1,
            TraceKind::Drop { .. } => dropped += 1,
            _ => {}
        }
    }
    assert_eq!(
        w.trace().next().unwrap().seq,
        0,
        "the trace still starts at 0"
    );
    assert_eq!(
        (counts.sent, counts.delivered, counts.dropped),
        (sent, delivered, dropped)
    );
    let hb = counts
        .kinds
        .iter()
        .find(|k| k.kind == MsgKind::Raft(raft::MessageKind::Heartbeat))
        .unwrap();
    assert!(hb.dropped >= 2);
    assert_eq!(hb.bytes_sent, hb.sent * sim::timeline::HEADER_BYTES);
    let ae = counts
        .kinds
        .iter()
        .find(|k| k.kind == MsgKind::Raft(raft::MessageKind::Append))
        .unwrap();
    assert!(ae.bytes_sent > ae.sent * sim::timeline::HEADER_BYTES);
}

#[test]
fn skip_events_drops_the_backlog_without_counting_it_missed() {
    let (mut w, leader) = elected(5);
    let skipped = w.skip_events();
    assert!(skipped > 0);
    assert!(w.drain_events(100).lines.is_empty());
    w.start(leader, "a".into(), "1".into()).unwrap();
    let batch = w.drain_events(2_000);
    assert_eq!(batch.missed, 0);
    assert!(
        batch.lines[0].text.starts_with("action start"),
        "{:?}",
        batch.lines[0]
    );
    assert_eq!(w.skip_events(), 0);
}

/// Deliveries between nodes out of send order, over every link.
fn overtakes(w: &World) -> usize {
    let mut delivered: std::collections::BTreeMap<(Endpoint, Endpoint), Vec<u64>> =
        Default::default();
    for r in w.trace() {
        if let TraceKind::Deliver {
            id,
            from: from @ Endpoint::Node(_),
            to: to @ Endpoint::Node(_),
            ..
        } = r.kind
        {
            delivered.entry((from, to)).or_default().push(id);
        }
    }
    delivered
        .values()
        .map(|ids| ids.windows(2).filter(|p| p[0] > p[1]).count())
        .sum()
}

#[test]
fn reorder_ppm_reorders_a_fifo_link_and_zero_keeps_it_fifo() {
    let fifo = SimConfig {
        network: LinkConfig {
            latency_us_min: 2_000,
            latency_us_max: 2_000,
            ..LinkConfig::default()
        },
        ..SimConfig::default()
    };
    let seed = std::env::var("TESTER_SEED").map_or(6, |s| s.parse().unwrap());
    println!("seed {seed} (TESTER_SEED replays)");
    let mut w = World::new(fifo.clone(), seed).unwrap();
    w.advance(3_000_000);
    assert_eq!(overtakes(&w), 0, "no jitter, no reordering");
    let mut w = World::new(fifo, seed).unwrap();
    w.apply(Action::SetReorder {
        from: None,
        to: None,
        reorder_ppm: 300_000,
    })
    .unwrap();
    w.advance(3_000_000);
    let leader = w.leaders()[0].node;
    for i in 0..50 {
        w.start(leader, "k".into(), i.to_string()).unwrap();
        w.advance(500);
    }
    w.advance(500_000);
    assert!(
        overtakes(&w) > 0,
        "seed {seed}: with 30% held back, some messages are overtaken"
    );
    let e = w
        .apply(Action::SetReorder {
            from: None,
            to: None,
            reorder_ppm: 1_000_001,
        })
        .unwrap_err();
    assert_eq!(e.field, "reorder_ppm");
}

#[test]
fn each_append_rejection_has_a_note_after_the_send_of_its_reply() {
    // A follower cut off while the leader appends, then the leader crashes and a new one
    // probes the followers back: the consistency check refuses some appends.
    let (mut w, leader) = elected(7);
    let lagging = (1..=3).map(NodeId).find(|&n| n != leader).unwrap();
    w.apply(Action::Isolate { node: lagging }).unwrap();
    for i in 0..5 {
        w.start(leader, "k".into(), i.to_string()).unwrap();
    }
    w.advance(50_000);
    w.apply(Action::Crash { node: leader }).unwrap();
    w.apply(Action::Heal).unwrap();
    w.advance(2_000_000);
    w.apply(Action::Restart { node: leader }).unwrap();
    w.advance(3_000_000);
    let records: Vec<_> = w.trace().collect();
    let mut notes = 0;
    for (k, r) in records.iter().enumerate() {
        if let TraceKind::AppendRejected { node, leader, .. } = r.kind {
            notes += 1;
            let send = &records[k - 1].kind;
            assert!(
                matches!(send, TraceKind::Send { from: Endpoint::Node(f), to: Endpoint::Node(t), kind: MsgKind::Raft(raft::MessageKind::AppendResponse), .. } if *f == node && *t == leader),
                "{send} before {}",
                r.kind
            );
            assert!(
                r.kind.to_string().contains("rejects append from"),
                "{}",
                r.kind
            );
        }
    }
    assert!(notes > 0, "some AppendEntries were refused");
}
