//! The lying-node fault: `set_byzantine` (the rewriting itself: `world/byzantine.rs`).

use crate::action::ActionError;
use crate::byzantine::ByzantineMode;
use crate::world::Sim;
use raft::NodeId;

impl Sim {
    /// One lying node at a time: another node's mode must be cleared first, and only the
    /// lying node can be made honest.
    pub(super) fn check_set_byzantine(
        &self,
        node: NodeId,
        mode: Option<ByzantineMode>,
    ) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        match (self.byzantine, mode) {
            (Some((liar, m)), Some(_)) if liar != node => Err(ActionError::new(
                "node",
                format!(
                    "node {} already lies ({m}); one lying node at a time: make it honest first",
                    liar.0
                ),
            )),
            (Some((liar, _)), None) if liar == node => Ok(()),
            (_, None) => Err(ActionError::new(
                "mode",
                format!("node {} does not lie; name a mode to make it lie", node.0),
            )),
            _ => Ok(()),
        }
    }

    pub(super) fn set_byzantine(&mut self, node: NodeId, mode: Option<ByzantineMode>) {
        self.byzantine = mode.map(|m| (node, m));
    }
}
