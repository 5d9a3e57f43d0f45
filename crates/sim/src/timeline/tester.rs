//! What a tester needs beside the page's calls (6.824-style tests): `start` a command at a
//! node and read back where it went, read any range of a node's log, count messages by
//! kind, and skip the events backlog.

use super::World;
use crate::action::{Action, ActionError};
use crate::kv::TESTER_CLIENT;
use crate::view::{self, EntryInfo};
use crate::world::KindCounts;
use raft::{EntryPayload, LogIndex, NodeId, Term};
use serde::Serialize;

/// `log_range` returns at most this many entries per call; page on from the last index.
pub const LOG_RANGE_ENTRIES_MAX: u64 = 1_000;

/// What `start` reports, as 6.824's `Start()`: where the command will be if it commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StartReply {
    /// The entry's index (0 when the node did not take it).
    pub index: LogIndex,
    /// The node's term.
    pub term: Term,
    /// The node was a live leader and appended the command.
    pub is_leader: bool,
}

/// Message counters of a world ([`World::msg_counts`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MsgCounts {
    /// The kinds with any traffic, in `MsgKind::ALL` order.
    pub kinds: Vec<KindCounts>,
    /// Sums over the kinds.
    pub sent: u64,
    /// Estimated bytes sent, in all (`world::wire_bytes`).
    pub bytes_sent: u64,
    /// Arrivals, in all.
    pub delivered: u64,
    /// Losses, in all.
    pub dropped: u64,
}

/// A range of one node's log ([`World::log_range`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogRange {
    /// Node.
    pub node: NodeId,
    /// The node's first index still in its log (after a snapshot, entries before it are
    /// compacted away).
    pub first_index: LogIndex,
    /// The node's last index.
    pub last_index: LogIndex,
    /// Entries `from..=min(to, last_index, from + LOG_RANGE_ENTRIES_MAX - 1)`.
    pub entries: Vec<EntryInfo>,
}

impl World {
    /// Proposes `key := value` to `node` without a client (an action, so it is logged and
    /// replays): `{ index, term, is_leader }` as 6.824's `Start()`. Refused (world unchanged)
    /// for a node that does not exist or oversized text; a crashed or non-leading node takes
    /// nothing and reports `is_leader: false`.
    pub fn start(
        &mut self,
        node: NodeId,
        key: String,
        value: String,
    ) -> Result<StartReply, ActionError> {
        // `exec` counts the action before it runs: this is the command's sequence number.
        let seq = self.sim.actions_applied as u64 + 1;
        self.apply(Action::Start { node, key, value })?;
        let n = &self.sim.nodes[node.0 as usize - 1];
        let Some(r) = n.raft.as_ref() else {
            return Ok(StartReply {
                index: LogIndex(0),
                term: n.term,
                is_leader: false,
            });
        };
        let v = r.view();
        let taken = v.log.last().and_then(|e| match &e.payload {
            EntryPayload::Command(c) if c.client == TESTER_CLIENT && c.seq == seq => Some(e.id),
            _ => None,
        });
        Ok(StartReply {
            index: taken.map_or(LogIndex(0), |id| id.index),
            term: v.term,
            is_leader: taken.is_some(),
        })
    }

    /// Entries `from..=to` of `node`'s log (a crashed node: its disk), at most
    /// [`LOG_RANGE_ENTRIES_MAX`]; indexes outside the log are left out. Refused for a node
    /// that does not exist, `from` 0 or `to < from`.
    pub fn log_range(&self, node: NodeId, from: u64, to: u64) -> Result<LogRange, ActionError> {
        if node.0 == 0 || node.0 > self.sim.config.node_count {
            return Err(ActionError::new(
                "node",
                format!(
                    "no node {} (nodes are 1..{})",
                    node.0, self.sim.config.node_count
                ),
            ));
        }
        if from == 0 {
            return Err(ActionError::new("from", "log indexes start at 1"));
        }
        if to < from {
            return Err(ActionError::new(
                "to",
                format!("must be at least from ({from})"),
            ));
        }
        let to = to.min(from.saturating_add(LOG_RANGE_ENTRIES_MAX - 1));
        let n = &self.sim.nodes[node.0 as usize - 1];
        let (log, first) = match n.raft.as_ref() {
            Some(r) => {
                let v = r.view();
                let first = v.snapshot.map_or(0, |s| s.last_included.index.0) + 1;
                (v.log, first)
            }
            None => (&n.disk.log, n.disk.snapshot_index().0 + 1),
        };
        let last = first + log.len() as u64 - 1;
        let (lo, hi) = (from.max(first), to.min(last));
        let entries = if lo > hi {
            Vec::new()
        } else {
            log.range((lo - first) as usize, (hi - first + 1) as usize)
                .map(view::entry_info)
                .collect()
        };
        Ok(LogRange {
            node,
            first_index: LogIndex(first),
            last_index: LogIndex(last),
            entries,
        })
    }

    /// Messages and estimated bytes by kind since time 0 (a seek restores them with the
    /// world).
    pub fn msg_counts(&self) -> MsgCounts {
        let kinds = self.sim.msg_stats.by_kind();
        MsgCounts {
            sent: kinds.iter().map(|k| k.sent).sum(),
            bytes_sent: kinds.iter().map(|k| k.bytes_sent).sum(),
            delivered: kinds.iter().map(|k| k.delivered).sum(),
            dropped: kinds.iter().map(|k| k.dropped).sum(),
            kinds,
        }
    }

    /// Moves the events cursor to now: the next drain returns only what happens from here
    /// on, the backlog neither returned nor counted as missed. Returns the lines skipped.
    pub fn skip_events(&mut self) -> u64 {
        let total = self.sim.trace.total();
        let skipped = total.saturating_sub(self.drained);
        self.drained = total;
        skipped
    }
}
