//! The follower's side of replication: AppendEntries (§5.3) and heartbeats.

use crate::core::Core;
use crate::event::Event;
use crate::message::{AppendEntries, AppendEntriesResponse, Heartbeat, HeartbeatResponse, Message};
use crate::types::{LogIndex, NodeId};

impl<C: Clone> Core<C> {
    /// A heartbeat from the leader of this term: learn the commit index (capped at the
    /// part of the log known to match) and echo the round.
    pub(crate) fn handle_heartbeat(&mut self, from: NodeId, hb: Heartbeat) {
        self.heard_from_leader(from);
        let learned = hb.commit.min(self.log.last_index());
        self.advance_commit(learned);
        let reply = Message::HeartbeatResponse(HeartbeatResponse {
            term: self.term,
            round: hb.round,
        });
        self.send(from, reply);
    }

    /// AppendEntries on a follower (§5.3): consistency check, truncation at the first
    /// conflict only, append, commit learning.
    pub(crate) fn handle_append(&mut self, from: NodeId, mut ae: AppendEntries<C>) {
        let term = self.term;
        let snapshot = self.log.snapshot_id();
        if ae.prev.index < snapshot.index {
            // The entries up to the snapshot are committed, so they match the leader's:
            // continue from the snapshot's last entry.
            let skip = (snapshot.index.0 - ae.prev.index.0) as usize;
            let last_new = LogIndex(ae.prev.index.0 + ae.entries.len() as u64);
            if skip >= ae.entries.len() {
                let reply = AppendEntriesResponse {
                    term,
                    success: true,
                    index: last_new.max(snapshot.index),
                    reject_hint: None,
                };
                self.send(from, Message::AppendEntriesResponse(reply));
                return;
            }
            ae.entries = ae.entries[skip..].iter().cloned().collect();
            ae.prev = snapshot;
        }
        if !self.log.matches(ae.prev) {
            let below = ae.prev.index.min(self.log.last_index());
            let hint = self.log.last_id_with_term_at_most(below, ae.prev.term);
            let reply = AppendEntriesResponse {
                term,
                success: false,
                index: ae.prev.index,
                reject_hint: Some(hint),
            };
            self.send(from, Message::AppendEntriesResponse(reply));
            return;
        }
        let last_new = LogIndex(ae.prev.index.0 + ae.entries.len() as u64);
        let mut first_new = ae.entries.len();
        for (k, e) in ae.entries.iter().enumerate() {
            match self.log.term_at(e.id.index) {
                Some(t) if t == e.id.term => continue,
                Some(_) => self.truncate_from(e.id.index),
                None => {}
            }
            first_new = k;
            break;
        }
        for e in ae.entries.iter().skip(first_new) {
            self.append_entry(e.clone());
        }
        self.advance_commit(ae.leader_commit.min(last_new));
        let reply = AppendEntriesResponse {
            term,
            success: true,
            index: last_new,
            reject_hint: None,
        };
        self.send(from, Message::AppendEntriesResponse(reply));
    }

    /// Removes conflicting entries from `from` on, in memory and in the persistence
    /// instructions of the current ready.
    fn truncate_from(&mut self, from: LogIndex) {
        let removed = self.log.truncate_from(from);
        match self.ready.log_append.first().map(|e| e.id.index) {
            // Only not-yet-persisted entries are affected: drop them from the ready.
            Some(first) if from >= first => {
                self.ready.log_append.truncate((from.0 - first.0) as usize);
            }
            _ => {
                self.ready.log_append.clear();
                let t = self.ready.log_truncate_from.map_or(from, |t| t.min(from));
                self.ready.log_truncate_from = Some(t);
            }
        }
        if from <= self.commit {
            // Only reachable with teaching toggles: a committed entry is being replaced.
            self.event(Event::CommittedEntriesTruncated {
                from,
                commit: self.commit,
            });
            self.commit = from.prev();
            self.applied = self.applied.min(self.commit);
        }
        self.event(Event::LogTruncated { from, removed });
        if self.configs.on_truncate(from) {
            self.configuration_changed(true);
        }
    }
}
