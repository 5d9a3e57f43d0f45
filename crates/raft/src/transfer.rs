//! Leadership transfer (§3.10), the leader's bookkeeping: which follower leadership goes
//! to, until when, and whether TimeoutNow went out.
//!
//! The protocol: while a transfer runs, proposals are refused ([`crate::Node::propose`]);
//! the target is brought up to date and then sent TimeoutNow; the transfer aborts after
//! `election_timeout_us_min`. Sending TimeoutNow turns the lease off for the rest of the
//! term (the target may lead without waiting for it). The leader acts on these decisions
//! in `leader.rs`; the target's side is in `node.rs` (TimeoutNow makes it campaign at
//! once, skipping PreVote) and `vote.rs` (its requests bypass the "heard from a leader"
//! rule). A leaf module: it decides, its callers act.

use crate::config::Config;
use crate::event::Event;
use crate::types::{LogIndex, NodeId};

/// The transfer in progress, if any.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Transfer {
    current: Option<Target>,
}

#[derive(Clone, Copy, Debug)]
struct Target {
    /// The intended new leader.
    node: NodeId,
    /// When the transfer gives up (node-local µs).
    deadline_us: u64,
    /// TimeoutNow went out.
    timeout_now_sent: bool,
}

impl Transfer {
    /// The intended new leader, while a transfer runs.
    pub(crate) fn target(&self) -> Option<NodeId> {
        self.current.map(|t| t.node)
    }

    /// When the running transfer gives up.
    pub(crate) fn deadline_us(&self) -> Option<u64> {
        self.current.map(|t| t.deadline_us)
    }

    /// Starts a transfer to `to` at `now_us`, aborting another one. Returns false, changing
    /// nothing, when the transfer to `to` is already running.
    pub(crate) fn start(
        &mut self,
        to: NodeId,
        now_us: u64,
        config: &Config,
        events: &mut Vec<Event>,
    ) -> bool {
        if let Some(t) = self.current {
            if t.node == to {
                return false;
            }
            events.push(Event::TransferAborted { to: t.node });
        }
        self.current = Some(Target {
            node: to,
            deadline_us: now_us + config.election_timeout_us_min,
            timeout_now_sent: false,
        });
        events.push(Event::TransferStarted { to });
        true
    }

    /// Whether `node`, matching the leader's log through `match_index` of `last_index`,
    /// is the target and should get TimeoutNow now.
    pub(crate) fn due_timeout_now(
        &self,
        node: NodeId,
        match_index: LogIndex,
        last_index: LogIndex,
    ) -> bool {
        self.current
            .is_some_and(|t| t.node == node && !t.timeout_now_sent && match_index == last_index)
    }

    /// Records that TimeoutNow went out.
    pub(crate) fn on_timeout_now_sent(&mut self) {
        if let Some(t) = &mut self.current {
            t.timeout_now_sent = true;
        }
    }

    /// Gives up the running transfer at once (its target left the configuration).
    pub(crate) fn abort(&mut self, events: &mut Vec<Event>) {
        if let Some(t) = self.current.take() {
            events.push(Event::TransferAborted { to: t.node });
        }
    }

    /// Gives up a transfer whose deadline has passed at `now_us`.
    pub(crate) fn expire(&mut self, now_us: u64, events: &mut Vec<Event>) {
        if let Some(t) = self.current {
            if now_us >= t.deadline_us {
                self.current = None;
                events.push(Event::TransferAborted { to: t.node });
            }
        }
    }
}
