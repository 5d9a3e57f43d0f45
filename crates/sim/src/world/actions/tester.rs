//! What a tester drives directly: a command proposed to one node's Raft without a client
//! (6.824's `Start`), and per-link reordering.

use crate::action::ActionError;
use crate::config::PPM;
use crate::kv::{KvCommand, KvOp, TESTER_CLIENT};
use crate::world::Sim;
use raft::{EntryId, NodeId};
use std::sync::Arc;

impl Sim {
    /// Proposes `key := value` to `node`'s Raft as the tester's session; the entry when the
    /// node is a live leader that took it, else `None` (not leading, crashed, or handing
    /// leadership over). The sequence number is the count of actions applied, so every
    /// `start` has a fresh one and de-duplication never skips it.
    pub(super) fn start_command(
        &mut self,
        node: NodeId,
        key: String,
        value: String,
    ) -> Option<EntryId> {
        let cmd = KvCommand {
            client: TESTER_CLIENT,
            seq: self.actions_applied as u64,
            op: Arc::new(KvOp::Put { key, value }),
        };
        self.with_node(node, |r, t| r.propose(t, cmd).ok())
            .flatten()
    }

    pub(super) fn check_set_reorder(
        &self,
        from: Option<NodeId>,
        to: Option<NodeId>,
        reorder_ppm: u32,
    ) -> Result<(), ActionError> {
        if let Some(f) = from {
            self.check_node("from", f)?;
        }
        if let Some(t) = to {
            self.check_node("to", t)?;
        }
        if u64::from(reorder_ppm) > PPM {
            return Err(ActionError::new("reorder_ppm", "must be at most 1000000"));
        }
        Ok(())
    }

    pub(super) fn set_reorder(&mut self, from: Option<NodeId>, to: Option<NodeId>, ppm: u32) {
        for li in self.links_matching(from, to) {
            self.links[li].reorder_ppm = ppm;
        }
    }
}
