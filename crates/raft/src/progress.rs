//! A leader's record of one follower (Figure 2 `nextIndex` / `matchIndex`) with its flow
//! control, changed only through the named transitions below.
//!
//! ```text
//!            maybe_update (ack)                 maybe_decr_to (rejection of the stream)
//!   Probe ──────────────────────▶ Replicate ───────────────────────────────────▶ Probe
//!   one AppendEntries at a time   a stream bounded by the window     heartbeat_acked (stall)
//! ```
//!
//! # Invariants ([`Progress::check`])
//!
//! `match_index < next_index <= last index + 1`; `1 <= window <= inflight_msgs_max`; a
//! held window is one message; at most `window` messages in flight, only in Replicate
//! state; each in-flight message ends after `match_index` and before `next_index`, in
//! increasing order.
//!
//! # Ready for what comes next
//!
//! - **Joint quorums**: the leader keeps one `Progress` per member of the configuration in
//!   force (voters of either half, learners) and asks the configuration for its quorum
//!   value over the match indexes; nothing here depends on which half a follower belongs
//!   to, or whether it is a learner.
//! - **Learners**: the caught-up rule (`learner.rs`) counts consecutive heartbeat rounds
//!   at which the follower was close to the leader ([`Progress::caught_up_rounds`]).
//! - **Snapshot in flight**: [`ReplicationState::Snapshot`], entered by `become_snapshot`
//!   when the follower needs entries the leader has compacted; paused until an
//!   acknowledgement at or beyond the snapshot's index (then Replicate), or a heartbeat
//!   round without progress (the snapshot was lost: Probe again).

use crate::types::{LogIndex, NodeId};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How a leader is replicating to one follower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicationState {
    /// The leader does not know where the follower's log matches: one AppendEntries at a
    /// time, backing off on rejection.
    Probe,
    /// The logs match up to `match_index`: entries stream, bounded by the in-flight window.
    Replicate,
    /// A snapshot is in flight ([`Progress::pending_snapshot`]): nothing else is sent
    /// until it is acknowledged.
    Snapshot,
}

/// What an acknowledgement did to a follower's progress ([`Progress::maybe_update`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ack {
    /// Older than what is known: nothing changed.
    Stale,
    /// A probe was confirmed at the known match index: now replicating.
    Confirmed,
    /// The match index advanced.
    Advanced,
}

/// The leader's view of one follower: where its log matches, what to send next, and the
/// flow control of the AppendEntries stream.
///
/// The public fields are for reading (a [`crate::NodeView`] borrows them); the leader
/// changes them only through the transitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The follower.
    pub node: NodeId,
    /// Highest index known to be replicated on the follower.
    pub match_index: LogIndex,
    /// Next index to send.
    pub next_index: LogIndex,
    /// Probe or replicate.
    pub state: ReplicationState,
    /// Heard from since the last CheckQuorum interval.
    pub recent_active: bool,
    /// Replicate state: `(prev index, last index)` of each unacknowledged AppendEntries,
    /// oldest first; at most `window_msgs`.
    inflight: VecDeque<(LogIndex, LogIndex)>,
    /// `Config::inflight_msgs_max`.
    inflight_msgs_max: usize,
    /// How many AppendEntries may be in flight now. Opens by one per acknowledgement that
    /// advances the match index (slow start after a probe) and closes to one on a
    /// rejection: messages sent together on a link that reorders arrive shuffled, and a
    /// follower rejects every one that overtook its predecessor, so a wide window only
    /// multiplies rejections. A follower that has caught up gets the whole window.
    window_msgs: usize,
    /// The window stays at one message until the follower has caught up (set by a
    /// rejection in Replicate state).
    window_held: bool,
    /// Probe state: a probe is outstanding; wait for its answer or a heartbeat response.
    probe_sent: bool,
    /// The latest heartbeat round this follower acknowledged.
    acked_round: u64,
    /// The highest `leader_commit` sent to this follower in an AppendEntries.
    commit_sent: LogIndex,
    /// The match index when the previous heartbeat round went out. If a heartbeat answer
    /// finds it unchanged while entries are outstanding, the stream has stalled (its
    /// messages were lost) and replication falls back to Probe.
    match_at_last_round: LogIndex,
    /// The match index when the latest heartbeat round went out.
    match_at_current_round: LogIndex,
    /// Snapshot state: the last included index of the snapshot in flight.
    pending_snapshot: LogIndex,
    /// Consecutive heartbeat rounds at which the follower was within
    /// `Config::learner_caught_up_lag_entries_max` of the leader's last index (saturating).
    caught_up_rounds: u32,
}

/// The earlier name of [`Progress`], kept so code written against it still builds.
pub type ProgressView = Progress;

impl Progress {
    /// A follower a new leader knows nothing about: probing from `next_index` (the
    /// leader's last index + 1).
    pub(crate) fn new(node: NodeId, next_index: LogIndex, inflight_msgs_max: usize) -> Self {
        Progress {
            node,
            match_index: LogIndex(0),
            next_index,
            state: ReplicationState::Probe,
            recent_active: false,
            inflight: VecDeque::with_capacity(inflight_msgs_max),
            inflight_msgs_max,
            window_msgs: inflight_msgs_max,
            window_held: false,
            probe_sent: false,
            acked_round: 0,
            commit_sent: LogIndex(0),
            match_at_last_round: LogIndex(0),
            match_at_current_round: LogIndex(0),
            caught_up_rounds: 0,
            pending_snapshot: LogIndex(0),
        }
    }

    /// AppendEntries messages sent and not yet acknowledged (Replicate state).
    pub fn inflight_msgs(&self) -> usize {
        self.inflight.len()
    }

    /// How many may be in flight now (see the flow control notes on the struct).
    pub fn window_msgs(&self) -> usize {
        self.window_msgs
    }

    /// The last included index of the snapshot in flight (Snapshot state only).
    pub fn pending_snapshot(&self) -> Option<LogIndex> {
        (self.state == ReplicationState::Snapshot).then_some(self.pending_snapshot)
    }

    /// Consecutive heartbeat rounds (up to now) at which the follower's match index was
    /// within `Config::learner_caught_up_lag_entries_max` entries of the leader's last
    /// index: the "caught up" meter of a learner (see [`crate::Node::is_caught_up`]).
    pub fn caught_up_rounds(&self) -> u32 {
        self.caught_up_rounds
    }

    /// The latest heartbeat round the follower acknowledged.
    pub(crate) fn acked_round(&self) -> u64 {
        self.acked_round
    }

    /// The commit index the follower is known to have been told and able to use.
    pub(crate) fn commit_known(&self) -> LogIndex {
        self.commit_sent.min(self.match_index)
    }

    /// Back to probing from just after the match index: nothing in flight.
    pub(crate) fn become_probe(&mut self) {
        self.state = ReplicationState::Probe;
        self.next_index = self.match_index.next();
        self.inflight.clear();
        self.probe_sent = false;
    }

    /// Streaming from just after the match index, slow start (one message) unless the
    /// follower is already caught up.
    pub(crate) fn become_replicate(&mut self, last_index: LogIndex) {
        self.state = ReplicationState::Replicate;
        self.next_index = self.match_index.next();
        self.inflight.clear();
        self.probe_sent = false;
        self.window_msgs = 1;
        self.open_if_caught_up(last_index);
    }

    /// A snapshot whose last included index is `index` went out: wait for it.
    pub(crate) fn become_snapshot(&mut self, index: LogIndex) {
        self.state = ReplicationState::Snapshot;
        self.pending_snapshot = index;
        self.next_index = index.next();
        self.inflight.clear();
        self.probe_sent = false;
        // The stall check compares the match index across two round starts: with these
        // out of reach it can only fire after a whole heartbeat interval has passed.
        self.match_at_last_round = LogIndex(u64::MAX);
        self.match_at_current_round = LogIndex(u64::MAX);
    }

    /// Whether flow control forbids sending another AppendEntries now.
    pub(crate) fn is_paused(&self) -> bool {
        match self.state {
            ReplicationState::Probe => self.probe_sent,
            ReplicationState::Replicate => self.inflight.len() >= self.window_msgs,
            ReplicationState::Snapshot => true,
        }
    }

    /// Records an AppendEntries after `prev` with entries up to `last` (`last == prev` for
    /// an empty one) that told the follower `commit`. Returns whether the in-flight window
    /// is now full at `inflight_msgs_max` (the event the trace shows).
    pub(crate) fn on_sent(&mut self, prev: LogIndex, last: LogIndex, commit: LogIndex) -> bool {
        self.commit_sent = commit;
        match self.state {
            ReplicationState::Probe => {
                self.probe_sent = true;
                false
            }
            ReplicationState::Replicate if last > prev => {
                self.next_index = last.next();
                self.inflight.push_back((prev, last));
                self.inflight.len() == self.inflight_msgs_max
            }
            ReplicationState::Replicate | ReplicationState::Snapshot => false,
        }
    }

    /// A successful AppendEntries response: the follower's log matches the leader's up
    /// to `index` (at most `last_index`).
    pub(crate) fn maybe_update(&mut self, index: LogIndex, last_index: LogIndex) -> Ack {
        let advanced = index > self.match_index;
        if advanced {
            self.match_index = index;
        }
        let ack = match self.state {
            ReplicationState::Probe if advanced || index == self.match_index => {
                self.become_replicate(last_index);
                if advanced {
                    Ack::Advanced
                } else {
                    Ack::Confirmed
                }
            }
            ReplicationState::Probe => Ack::Stale,
            ReplicationState::Replicate if advanced => {
                if !self.window_held {
                    self.window_msgs = (self.window_msgs + 1).min(self.inflight_msgs_max);
                }
                self.next_index = self.next_index.max(index.next());
                while self.inflight.front().is_some_and(|&(_, l)| l <= index) {
                    self.inflight.pop_front();
                }
                Ack::Advanced
            }
            ReplicationState::Replicate => Ack::Stale,
            ReplicationState::Snapshot if index >= self.pending_snapshot => {
                self.become_replicate(last_index);
                if advanced {
                    Ack::Advanced
                } else {
                    Ack::Confirmed
                }
            }
            ReplicationState::Snapshot => Ack::Stale,
        };
        self.open_if_caught_up(last_index);
        ack
    }

    /// A rejection of the AppendEntries whose `prev` was `rejected`; `hinted_next` is where
    /// the follower's hint says to probe next (fast backtracking; `rejected` without a
    /// hint). Returns false, changing nothing, when the rejection is stale (etcd's
    /// `MaybeDecrTo`):
    /// - in Replicate state, a rejection at or below the match index, or of a message not
    ///   in the current stream (sent before the stream last restarted; the network
    ///   reordered it), is stale; otherwise the window closes to one message until the
    ///   follower catches up, and probing starts after the match index;
    /// - in Probe state, only a rejection of the probe last sent (`next - 1`) counts; then
    ///   `next` moves back to the hint, never below `match + 1`.
    pub(crate) fn maybe_decr_to(&mut self, rejected: LogIndex, hinted_next: LogIndex) -> bool {
        match self.state {
            // Only an acknowledgement of the snapshot (or a stall) ends Snapshot state.
            ReplicationState::Snapshot => return false,
            ReplicationState::Replicate => {
                let current = rejected == self.next_index.prev()
                    || self.inflight.iter().any(|&(prev, _)| prev == rejected);
                if rejected <= self.match_index || !current {
                    return false;
                }
                self.window_msgs = 1;
                self.window_held = true;
                self.become_probe();
            }
            ReplicationState::Probe => {
                if rejected != self.next_index.prev() {
                    return false;
                }
                self.next_index = hinted_next.min(rejected).max(self.match_index.next());
                self.probe_sent = false;
            }
        }
        true
    }

    /// A heartbeat round went out with the leader's log at `last_index`: remember the match
    /// index at its start (stall check) and sample the caught-up rule.
    pub(crate) fn on_heartbeat_sent(&mut self, last_index: LogIndex, lag_entries_max: u64) {
        self.match_at_last_round = self.match_at_current_round;
        self.match_at_current_round = self.match_index;
        self.caught_up_rounds = if last_index.0 - self.match_index.0 <= lag_entries_max {
            self.caught_up_rounds.saturating_add(1)
        } else {
            0
        };
    }

    /// The follower answered heartbeat `round` (`current` when it is the latest round).
    /// Unpauses a probe; in Replicate state, a match index that did not move over a whole
    /// heartbeat interval while entries are outstanding means the messages in flight were
    /// lost: back to probing from the match index. Returns whether that happened.
    pub(crate) fn heartbeat_acked(&mut self, round: u64, current: bool, last: LogIndex) -> bool {
        self.acked_round = self.acked_round.max(round);
        match self.state {
            ReplicationState::Probe => {
                self.probe_sent = false;
                false
            }
            ReplicationState::Replicate | ReplicationState::Snapshot => {
                let stalled = current
                    && self.match_index < last
                    && self.match_index == self.match_at_last_round;
                if stalled {
                    self.become_probe();
                }
                stalled
            }
        }
    }

    fn open_if_caught_up(&mut self, last_index: LogIndex) {
        if self.match_index == last_index {
            self.window_msgs = self.inflight_msgs_max;
            self.window_held = false;
        }
    }

    /// Checks the invariants listed in the module docs against the leader's last index.
    pub(crate) fn check(&self, last_index: LogIndex) -> Result<(), String> {
        let n = self.node;
        if !(self.match_index < self.next_index && self.next_index <= last_index.next()) {
            return Err(format!(
                "progress of {n}: match={} next={} last={last_index}",
                self.match_index, self.next_index
            ));
        }
        if !(1 <= self.window_msgs && self.window_msgs <= self.inflight_msgs_max)
            || (self.window_held && self.window_msgs != 1)
        {
            return Err(format!(
                "progress of {n}: window {} (held {}) outside 1..={}",
                self.window_msgs, self.window_held, self.inflight_msgs_max
            ));
        }
        if self.inflight.len() > self.window_msgs {
            return Err(format!(
                "progress of {n}: {} in flight beyond the window of {}",
                self.inflight.len(),
                self.window_msgs
            ));
        }
        if self.state != ReplicationState::Replicate && !self.inflight.is_empty() {
            return Err(format!(
                "progress of {n}: messages in flight while not replicating"
            ));
        }
        if self.state == ReplicationState::Snapshot
            && self.next_index != self.pending_snapshot.next()
        {
            return Err(format!(
                "progress of {n}: snapshot in flight, next {}",
                self.next_index
            ));
        }
        let mut after = self.match_index;
        for &(prev, last) in &self.inflight {
            if !(prev < last && last > after && last < self.next_index) {
                return Err(format!(
                    "progress of {n}: in-flight {prev}..{last} out of order (match={} next={})",
                    self.match_index, self.next_index
                ));
            }
            after = last;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = 4;

    fn probing(next: u64) -> Progress {
        Progress::new(NodeId(2), LogIndex(next), MAX)
    }

    /// A follower replicating from `match_index`, slow-started to a window of `window`.
    fn replicating(match_index: u64, window: usize) -> Progress {
        let mut p = probing(match_index + 1);
        p.match_index = LogIndex(match_index);
        p.become_replicate(LogIndex(100));
        p.window_msgs = window;
        p
    }

    fn send(p: &mut Progress, entries: u64) {
        let prev = p.next_index.prev();
        p.on_sent(prev, LogIndex(prev.0 + entries), LogIndex(0));
    }

    #[test]
    fn a_new_progress_probes_from_the_leaders_next_index() {
        let p = probing(8);
        assert_eq!(p.state, ReplicationState::Probe);
        assert_eq!((p.match_index, p.next_index), (LogIndex(0), LogIndex(8)));
        assert!(!p.is_paused());
        p.check(LogIndex(7)).unwrap();
    }

    #[test]
    fn a_probe_pauses_until_answered_and_does_not_move_next() {
        let mut p = probing(8);
        assert!(!p.on_sent(LogIndex(7), LogIndex(10), LogIndex(0)));
        assert!(p.is_paused());
        assert_eq!(p.next_index, LogIndex(8));
        assert_eq!(p.inflight_msgs(), 0);
        p.check(LogIndex(10)).unwrap();
    }

    #[test]
    fn become_probe_restarts_after_the_match_index_with_nothing_in_flight() {
        let mut p = replicating(5, 3);
        send(&mut p, 2);
        send(&mut p, 2);
        p.become_probe();
        assert_eq!(p.state, ReplicationState::Probe);
        assert_eq!(p.next_index, LogIndex(6));
        assert_eq!(p.inflight_msgs(), 0);
        assert!(!p.is_paused());
        p.check(LogIndex(20)).unwrap();
    }

    #[test]
    fn become_replicate_slow_starts_a_lagging_follower_and_opens_fully_for_a_caught_up_one() {
        let mut p = probing(11);
        p.match_index = LogIndex(4);
        p.become_replicate(LogIndex(10));
        assert_eq!(
            (p.state, p.next_index, p.window_msgs()),
            (ReplicationState::Replicate, LogIndex(5), 1)
        );
        let mut q = probing(11);
        q.match_index = LogIndex(10);
        q.become_replicate(LogIndex(10));
        assert_eq!(q.window_msgs(), MAX);
    }

    #[test]
    fn on_sent_in_replicate_advances_next_and_fills_the_window() {
        let mut p = replicating(5, 2);
        send(&mut p, 3);
        assert_eq!((p.next_index, p.inflight_msgs()), (LogIndex(9), 1));
        assert!(!p.is_paused());
        send(&mut p, 3);
        assert!(p.is_paused(), "window of 2 is full");
        // An empty append (commit carrier) is not in flight.
        let mut q = replicating(5, 2);
        assert!(!q.on_sent(LogIndex(5), LogIndex(5), LogIndex(5)));
        assert_eq!((q.next_index, q.inflight_msgs()), (LogIndex(6), 0));
        p.check(LogIndex(20)).unwrap();
    }

    #[test]
    fn on_sent_reports_a_full_window_only_at_the_configured_maximum() {
        let mut p = replicating(0, MAX);
        for k in 1..MAX {
            assert!(!p.on_sent(LogIndex(k as u64 - 1), LogIndex(k as u64), LogIndex(0)));
        }
        assert!(p.on_sent(LogIndex(MAX as u64 - 1), LogIndex(MAX as u64), LogIndex(0)));
    }

    #[test]
    fn maybe_update_confirms_a_probe_and_ignores_stale_acks() {
        let mut p = probing(8);
        p.on_sent(LogIndex(7), LogIndex(7), LogIndex(0));
        assert_eq!(p.maybe_update(LogIndex(7), LogIndex(7)), Ack::Advanced);
        assert_eq!(p.state, ReplicationState::Replicate);
        assert_eq!(p.next_index, LogIndex(8));
        assert_eq!(p.maybe_update(LogIndex(3), LogIndex(7)), Ack::Stale);
        assert_eq!(p.match_index, LogIndex(7));
    }

    #[test]
    fn maybe_update_frees_acknowledged_messages_and_opens_the_window_by_one() {
        let mut p = replicating(0, 1);
        send(&mut p, 2);
        assert!(p.is_paused());
        assert_eq!(p.maybe_update(LogIndex(2), LogIndex(20)), Ack::Advanced);
        assert_eq!((p.inflight_msgs(), p.window_msgs()), (0, 2));
        send(&mut p, 2);
        send(&mut p, 2);
        // An ack of the first of two frees only the first.
        assert_eq!(p.maybe_update(LogIndex(4), LogIndex(20)), Ack::Advanced);
        assert_eq!(p.inflight_msgs(), 1);
        p.check(LogIndex(20)).unwrap();
    }

    #[test]
    fn maybe_update_opens_the_whole_window_once_the_follower_has_caught_up() {
        let mut p = replicating(0, 1);
        send(&mut p, 5);
        p.maybe_update(LogIndex(5), LogIndex(5));
        assert_eq!(p.window_msgs(), MAX);
    }

    #[test]
    fn maybe_decr_to_in_replicate_ignores_rejections_at_or_below_match() {
        let mut p = replicating(5, 2);
        send(&mut p, 2);
        assert!(!p.maybe_decr_to(LogIndex(5), LogIndex(5)));
        assert!(!p.maybe_decr_to(LogIndex(3), LogIndex(3)));
        assert_eq!(p.state, ReplicationState::Replicate);
    }

    #[test]
    fn maybe_decr_to_in_replicate_ignores_rejections_of_messages_outside_the_stream() {
        let mut p = replicating(5, 2);
        send(&mut p, 2); // prev 5
        send(&mut p, 2); // prev 7
                         // prev 20 was sent before the stream restarted: reordered, stale.
        assert!(!p.maybe_decr_to(LogIndex(20), LogIndex(6)));
        assert_eq!(p.inflight_msgs(), 2);
    }

    #[test]
    fn maybe_decr_to_in_replicate_probes_after_match_with_the_window_held_at_one() {
        let mut p = replicating(5, 3);
        send(&mut p, 2);
        send(&mut p, 2); // prev 7
        assert!(p.maybe_decr_to(LogIndex(7), LogIndex(6)));
        assert_eq!(p.state, ReplicationState::Probe);
        assert_eq!(p.next_index, LogIndex(6));
        // Back in Replicate, acks do not reopen the window until the follower caught up.
        assert_eq!(p.maybe_update(LogIndex(7), LogIndex(30)), Ack::Advanced);
        assert_eq!(p.window_msgs(), 1);
        send(&mut p, 2);
        p.maybe_update(LogIndex(9), LogIndex(30));
        assert_eq!(p.window_msgs(), 1);
        send(&mut p, 21);
        p.maybe_update(LogIndex(30), LogIndex(30));
        assert_eq!(p.window_msgs(), MAX);
        p.check(LogIndex(30)).unwrap();
    }

    #[test]
    fn maybe_decr_to_in_probe_counts_only_the_probe_last_sent_and_follows_the_hint() {
        let mut p = probing(11);
        p.on_sent(LogIndex(10), LogIndex(10), LogIndex(0));
        assert!(!p.maybe_decr_to(LogIndex(8), LogIndex(3)), "not next - 1");
        assert!(p.is_paused());
        assert!(p.maybe_decr_to(LogIndex(10), LogIndex(4)));
        assert_eq!(p.next_index, LogIndex(4));
        assert!(!p.is_paused());
        // Never below match + 1.
        let mut q = probing(11);
        q.match_index = LogIndex(6);
        assert!(q.maybe_decr_to(LogIndex(10), LogIndex(2)));
        assert_eq!(q.next_index, LogIndex(7));
    }

    #[test]
    fn heartbeat_acked_unpauses_a_probe_and_detects_a_stalled_stream() {
        let mut p = probing(5);
        p.on_sent(LogIndex(4), LogIndex(4), LogIndex(0));
        assert!(!p.heartbeat_acked(1, true, LogIndex(4)));
        assert!(!p.is_paused());
        assert_eq!(p.acked_round(), 1);

        let mut q = replicating(5, 2);
        q.on_heartbeat_sent(LogIndex(7), 0);
        send(&mut q, 2);
        q.on_heartbeat_sent(LogIndex(7), 0);
        // A round later the match index has not moved, entries outstanding: stalled.
        assert!(
            !q.heartbeat_acked(1, false, LogIndex(7)),
            "not the current round"
        );
        assert!(q.heartbeat_acked(2, true, LogIndex(7)));
        assert_eq!(
            (q.state, q.next_index),
            (ReplicationState::Probe, LogIndex(6))
        );
        assert_eq!(q.acked_round(), 2);
    }

    #[test]
    fn check_catches_a_broken_window() {
        let mut p = replicating(5, 1);
        send(&mut p, 2);
        p.check(LogIndex(10)).unwrap();
        p.window_msgs = 0;
        assert!(p.check(LogIndex(10)).is_err());
        p.window_msgs = 1;
        p.next_index = LogIndex(5);
        assert!(p.check(LogIndex(10)).is_err());
    }
}
