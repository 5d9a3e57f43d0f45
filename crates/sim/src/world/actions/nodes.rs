//! Node faults and node commands: crash, restart, pause, resume, clock drift, campaign,
//! leadership transfer. (Crash, restart and resume themselves are node hosting:
//! `world/host.rs`.)

use crate::action::ActionError;
use crate::config::DRIFT_PPM_MAX;
use crate::world::Sim;
use raft::{NodeId, Role};

impl Sim {
    pub(super) fn check_crash(&self, node: NodeId) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if !self.nodes[node.0 as usize - 1].is_up() {
            return Err(ActionError::new(
                "node",
                format!("node {} is already crashed", node.0),
            ));
        }
        Ok(())
    }

    pub(super) fn check_restart(&self, node: NodeId) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if self.nodes[node.0 as usize - 1].is_up() {
            return Err(ActionError::new(
                "node",
                format!("node {} is not crashed", node.0),
            ));
        }
        Ok(())
    }

    pub(super) fn check_pause(&self, node: NodeId) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        let nd = &self.nodes[node.0 as usize - 1];
        if !nd.is_up() {
            return Err(ActionError::new(
                "node",
                format!("node {} is crashed", node.0),
            ));
        }
        if nd.paused {
            return Err(ActionError::new(
                "node",
                format!("node {} is already paused", node.0),
            ));
        }
        Ok(())
    }

    pub(super) fn check_resume(&self, node: NodeId) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if !self.nodes[node.0 as usize - 1].paused {
            return Err(ActionError::new(
                "node",
                format!("node {} is not paused", node.0),
            ));
        }
        Ok(())
    }

    pub(super) fn check_set_drift(&self, node: NodeId, drift_ppm: i32) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if drift_ppm.unsigned_abs() > DRIFT_PPM_MAX as u32 {
            return Err(ActionError::new(
                "drift_ppm",
                format!("must be within ±{DRIFT_PPM_MAX}, got {drift_ppm}"),
            ));
        }
        Ok(())
    }

    pub(super) fn set_drift(&mut self, node: NodeId, drift_ppm: i32) {
        let now = self.now_us;
        self.nodes[node.0 as usize - 1]
            .clock
            .set_drift(now, drift_ppm);
        self.nodes[node.0 as usize - 1].timer = None;
        self.reschedule_timer(node);
    }

    pub(super) fn check_transfer_leader(
        &self,
        from: NodeId,
        to: NodeId,
    ) -> Result<(), ActionError> {
        self.check_node("from", from)?;
        self.check_node("to", to)?;
        if self.nodes[from.0 as usize - 1].role != Role::Leader {
            return Err(ActionError::new(
                "from",
                format!("node {} is not the leader", from.0),
            ));
        }
        if from == to {
            return Err(ActionError::new("to", "already the leader"));
        }
        // The core ignores a transfer to a learner or a non-member; say so instead.
        let voter = self.nodes[from.0 as usize - 1]
            .raft
            .as_ref()
            .is_some_and(|r| r.view().configuration.is_voter(to));
        if !voter {
            return Err(ActionError::new(
                "to",
                format!("node {} is not a voter of the leader's configuration", to.0),
            ));
        }
        Ok(())
    }

    pub(super) fn transfer_leader(&mut self, from: NodeId, to: NodeId) {
        self.with_node(from, |r, t| r.transfer_leadership(t, to));
    }
}
