//! Log compaction and InstallSnapshot, rule by rule (chapter 5 of the dissertation), on
//! the interaction environment (`tests/interaction.rs` documents its commands).

mod interaction_env;

use interaction_env::Env;
use raft::{
    AppendEntries, CompactError, Entry, EntryId, EntryPayload, LogIndex, Message, ReplicationState,
    Term,
};
use std::sync::Arc;

fn env(lines: &str) -> Env {
    let mut e = Env::default();
    run(&mut e, lines);
    e
}

fn run(e: &mut Env, lines: &str) {
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        e.run(line)
            .unwrap_or_else(|err| panic!("{line}: {err}\n{}", e.transcript()));
    }
}

const BEHIND: &str = "add-nodes 3 snapshot-threshold=3
                      campaign 1
                      stabilize
                      isolate 3
                      propose 1 a
                      propose 1 b
                      propose 1 c
                      propose 1 d
                      stabilize
                      heal";

#[test]
fn compaction_is_refused_beyond_the_applied_index_and_behind_the_snapshot() {
    let mut e = env(BEHIND);
    let node = e.get_mut(1).unwrap();
    assert_eq!(
        node.view().snapshot.unwrap().last_included.index,
        LogIndex(3)
    );
    assert_eq!(
        node.compact(LogIndex(9), Arc::from(&b""[..])),
        Err(CompactError::NotApplied {
            index: LogIndex(9),
            applied: LogIndex(5)
        })
    );
    assert_eq!(
        node.compact(LogIndex(2), Arc::from(&b""[..])),
        Err(CompactError::AlreadyCompacted {
            index: LogIndex(2),
            snapshot: LogIndex(3)
        })
    );
}

#[test]
fn a_lost_snapshot_is_sent_again_after_a_heartbeat_round_without_progress() {
    let mut e = env(BEHIND);
    // Two rounds: n3's stream stalls, n1 probes, finds n3 behind its snapshot and sends it.
    run(&mut e, "tick 1\nstabilize\ntick 1\ndeliver\ndeliver");
    let t = e.transcript().to_string();
    assert!(t.contains("1->3 InstallSnapshot t1 last=1/3"), "{t}");
    run(&mut e, "drop 1->3");
    let status = |e: &Env| {
        let v = e.get(1).unwrap().view();
        let p = v.progress.iter().find(|p| p.node.0 == 3).unwrap();
        (p.state, p.pending_snapshot())
    };
    assert_eq!(status(&e), (ReplicationState::Snapshot, Some(LogIndex(3))));
    // It stays in flight for a whole round, then the stall sends it again.
    let sent = |e: &Env| {
        e.transcript()
            .lines()
            .filter(|l| l.starts_with("1->3 InstallSnapshot"))
            .count()
    };
    run(&mut e, "tick 1\nstabilize");
    assert_eq!(sent(&e), 1, "no resend within the first round");
    run(&mut e, "tick 1\nstabilize\ntick 1\nstabilize");
    assert_eq!(sent(&e), 2);
    assert_eq!(status(&e).0, ReplicationState::Replicate);
    assert_eq!(e.machine(3), e.machine(1));
}

#[test]
fn a_server_restarted_from_snapshot_plus_log_reaches_the_same_state() {
    let mut e = env("add-nodes 3 snapshot-threshold=4
                     campaign 1
                     stabilize
                     propose 1 a
                     propose 1 b
                     propose 1 c
                     stabilize
                     propose 1 d
                     propose 1 e
                     stabilize
                     crash 2
                     restart 2");
    assert_eq!(e.machine(2), ["a", "b", "c"], "restored from the snapshot");
    assert_eq!(e.get(2).unwrap().view().applied, LogIndex(4));
    run(&mut e, "tick 1\nstabilize");
    assert_eq!(e.machine(2), e.machine(1));
    assert_eq!(e.machine(1), ["a", "b", "c", "d", "e"]);
}

#[test]
fn the_snapshot_carries_the_configuration_in_force_at_its_index() {
    // n4 joins as a learner after the log was compacted past the change that adds it: it
    // learns its configuration from the snapshot.
    let e = env("add-nodes 3 snapshot-threshold=2
                     add-server 4
                     campaign 1
                     stabilize
                     change 1 add-learner 4
                     cut 1->4
                     stabilize
                     propose 1 a
                     propose 1 b
                     stabilize
                     heal
                     tick 1
                     stabilize
                     tick 1
                     stabilize");
    let v = e.get(1).unwrap().view();
    let s = v.snapshot.unwrap();
    assert!(s.last_included.index >= LogIndex(2));
    assert!(s.configuration.is_learner(raft::NodeId(4)));
    assert!(e.transcript().contains("1->4 InstallSnapshot"));
    let n4 = e.get(4).unwrap().view();
    assert!(n4.configuration.is_learner(raft::NodeId(4)));
    assert_eq!(n4.snapshot.map(|s| s.last_included), Some(s.last_included));
    assert_eq!(e.machine(4), e.machine(1));
}

#[test]
fn an_append_before_the_followers_snapshot_is_acknowledged_at_the_snapshot() {
    // A reordered AppendEntries from before n2 compacted: its entries are committed, so
    // they match; n2 acknowledges through its snapshot instead of rejecting.
    let mut e = env("add-nodes 3 snapshot-threshold=3
                     campaign 1
                     stabilize
                     propose 1 a
                     propose 1 b
                     propose 1 c
                     stabilize");
    assert_eq!(
        e.get(2).unwrap().view().snapshot.unwrap().last_included,
        EntryId::new(1, 3)
    );
    let old = Message::AppendEntries(AppendEntries {
        term: Term(1),
        prev: EntryId::new(1, 1),
        entries: Arc::from(vec![Entry {
            id: EntryId::new(1, 2),
            payload: EntryPayload::Command("a".to_string()),
        }]),
        leader_commit: LogIndex(1),
    });
    e.get_mut(2).unwrap().step(0, raft::NodeId(1), old);
    let ready = e.get_mut(2).unwrap().take_ready();
    assert_eq!(
        ready.messages[0].msg.to_string(),
        "AppendEntriesResponse t1 ok match=3"
    );
}

#[test]
fn a_threshold_set_on_a_running_node_makes_it_due_and_zero_turns_it_off() {
    let mut e = env("add-nodes 3
                     campaign 1
                     stabilize
                     propose 1 a
                     propose 1 b
                     stabilize");
    let node = e.get_mut(1).unwrap();
    assert_eq!(node.view().applied, LogIndex(3));
    assert_eq!(node.snapshot_due(), None, "the threshold starts at 0: off");
    node.set_snapshot_threshold_entries(4);
    assert_eq!(node.snapshot_due(), None, "3 applied entries, below 4");
    node.set_snapshot_threshold_entries(2);
    assert_eq!(
        node.snapshot_due(),
        Some(LogIndex(3)),
        "past a lowered threshold"
    );
    node.compact(LogIndex(3), Arc::from(&b"s"[..])).unwrap();
    assert_eq!(
        node.snapshot_due(),
        None,
        "nothing applied since the snapshot"
    );
    node.set_snapshot_threshold_entries(0);
    run(&mut e, "propose 1 c\npropose 1 d\npropose 1 e\nstabilize");
    assert_eq!(e.get(1).unwrap().snapshot_due(), None, "0 never does");
}
