//! The leader's side of replication (§5.3, §5.4.2): sending AppendEntries as each
//! follower's [`Progress`] allows, acting on the answers, and advancing the commit index.

use crate::core::Core;
use crate::event::Event;
use crate::leader::{leader_values, LeaderState};
use crate::message::{
    AppendEntries, AppendEntriesResponse, HeartbeatResponse, InstallSnapshot, Message,
};
use crate::progress::{Ack, ReplicationState};
use crate::reason::IgnoreReason;
use crate::types::{EntryId, LogIndex, NodeId};

#[cfg(doc)]
use crate::progress::Progress;

impl LeaderState {
    pub(crate) fn broadcast_append<C: Clone>(&mut self, core: &mut Core<C>, allow_empty: bool) {
        for i in 0..self.progress.len() {
            self.replicate_to(core, i, allow_empty);
        }
    }

    /// Sends what peer `i` is missing, as far as its flow control allows: one probe in
    /// Probe state, a stream of messages up to the window in Replicate state.
    pub(crate) fn replicate_to<C: Clone>(
        &mut self,
        core: &mut Core<C>,
        i: usize,
        allow_empty: bool,
    ) {
        let mut first = true;
        while self.send_append(core, i, allow_empty && first) {
            first = false;
            let p = &self.progress[i];
            if p.state == ReplicationState::Probe || p.next_index > core.log.last_index() {
                break;
            }
        }
    }

    /// Sends one AppendEntries to peer `i` unless it is paused; returns whether it sent.
    pub(crate) fn send_append<C: Clone>(
        &mut self,
        core: &mut Core<C>,
        i: usize,
        allow_empty: bool,
    ) -> bool {
        let p = &mut self.progress[i];
        if p.is_paused() {
            return false;
        }
        let probing = p.state == ReplicationState::Probe;
        let last = core.log.last_index();
        let next = p.next_index;
        let upto = last.min(LogIndex(
            next.0 + core.config.entries_per_msg_max as u64 - 1,
        ));
        if upto < next && !probing && !allow_empty {
            return false;
        }
        let prev_index = next.prev();
        let Some(prev_term) = core.log.term_at(prev_index) else {
            // Compacted away: the follower needs the snapshot.
            let snapshot = core
                .snapshot
                .clone()
                .expect("a compacted log has a snapshot");
            p.become_snapshot(snapshot.last_included.index);
            let to = p.node;
            let term = core.term;
            let msg = InstallSnapshot { term, snapshot };
            core.send(to, Message::InstallSnapshot(Box::new(msg)));
            return true;
        };
        let prev = EntryId {
            term: prev_term,
            index: prev_index,
        };
        let entries = core.log.shared_slice(next, upto);
        let msg = Message::AppendEntries(AppendEntries {
            term: core.term,
            prev,
            entries,
            leader_commit: core.commit,
        });
        let to = p.node;
        if p.on_sent(prev_index, upto.max(prev_index), core.commit) {
            core.event(Event::InflightWindowFull {
                to,
                inflight_msgs_max: core.config.inflight_msgs_max,
            });
        }
        core.send(to, msg);
        true
    }

    /// Advances the commit index to what a quorum has stored, counting only entries of the
    /// current term (§5.4.2) unless the Figure 8 toggle is on.
    pub(crate) fn maybe_commit<C: Clone>(&mut self, core: &mut Core<C>) {
        let own = core.log.last_index().0;
        let values = leader_values(core.id, own, &self.progress, |p| p.match_index.0);
        let q = LogIndex(
            core.configs
                .current()
                .quorum_value(&mut self.scratch, values),
        );
        if q <= core.commit {
            return;
        }
        if core.log.term_at(q) != Some(core.term)
            && !core.config.toggles.commit_old_terms_by_counting
        {
            return;
        }
        let had_own_term = core.own_term_committed();
        core.advance_commit(q);
        if !had_own_term && core.own_term_committed() {
            let waiting = self.reads.take_waiting();
            if !waiting.is_empty() {
                self.start_reads(core, &waiting);
            }
        }
        // Tell followers the new commit index (carried by AppendEntries, empty if need be).
        self.broadcast_append(core, true);
    }

    pub(crate) fn on_append_response<C: Clone>(
        &mut self,
        core: &mut Core<C>,
        from: NodeId,
        r: AppendEntriesResponse,
    ) {
        let Some(i) = core.peer_index(from) else {
            return;
        };
        let last = core.log.last_index();
        if r.index > last {
            core.ignore(from, IgnoreReason::AckBeyondLog { index: r.index });
            return;
        }
        let p = &mut self.progress[i];
        if r.success {
            let ack = p.maybe_update(r.index, last);
            if ack == Ack::Stale {
                return;
            }
            if ack == Ack::Advanced {
                self.maybe_commit(core);
            }
            // Send an empty AppendEntries if that is the only way the follower learns the
            // commit index (e.g. it was paused in Probe when the commit advanced).
            let known = self.progress[i].commit_known();
            self.replicate_to(core, i, known < core.commit);
            self.transfer_on_ack(core, i);
        } else {
            // Fast backtracking: jump to the last entry of ours that can match the
            // follower's hint, skipping whole conflicting terms.
            let hinted_next = match r.reject_hint {
                Some(h) => core
                    .log
                    .last_id_with_term_at_most(h.index.min(r.index), h.term)
                    .index
                    .next(),
                None => r.index,
            };
            if p.maybe_decr_to(r.index, hinted_next) {
                self.replicate_to(core, i, true);
            }
        }
    }

    pub(crate) fn on_heartbeat_response<C: Clone>(
        &mut self,
        core: &mut Core<C>,
        from: NodeId,
        r: HeartbeatResponse,
    ) {
        let Some(i) = core.peer_index(from) else {
            return;
        };
        let last = core.log.last_index();
        let p = &mut self.progress[i];
        if p.heartbeat_acked(r.round, r.round == self.reads.round(), last) {
            core.event(Event::ReplicationStalled {
                to: from,
                match_index: p.match_index,
            });
        }
        let behind = p.match_index < last;
        if behind {
            self.replicate_to(core, i, false);
        }
        if r.round > self.reads.quorum_round() {
            self.update_quorum_round(core);
        }
    }
}
