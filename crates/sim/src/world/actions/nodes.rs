//! Node faults and node commands: crash, restart, pause, resume, clock drift, campaign,
//! leadership transfer. (Crash, restart and resume themselves are node hosting:
//! `world/host.rs`.)

use crate::action::ActionError;
use crate::config::DRIFT_PPM_MAX;
use crate::world::Sim;
use raft::{NodeId, Role};

impl Sim {
    pub(super) fn check_crash(&self, node: u32) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if self.nodes[node as usize - 1].raft.is_none() {
            return Err(ActionError::new(
                "node",
                format!("node {node} is already crashed"),
            ));
        }
        Ok(())
    }

    pub(super) fn check_restart(&self, node: u32) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if self.nodes[node as usize - 1].raft.is_some() {
            return Err(ActionError::new(
                "node",
                format!("node {node} is not crashed"),
            ));
        }
        Ok(())
    }

    pub(super) fn check_pause(&self, node: u32) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        let nd = &self.nodes[node as usize - 1];
        if nd.raft.is_none() {
            return Err(ActionError::new("node", format!("node {node} is crashed")));
        }
        if nd.paused {
            return Err(ActionError::new(
                "node",
                format!("node {node} is already paused"),
            ));
        }
        Ok(())
    }

    pub(super) fn check_resume(&self, node: u32) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if !self.nodes[node as usize - 1].paused {
            return Err(ActionError::new(
                "node",
                format!("node {node} is not paused"),
            ));
        }
        Ok(())
    }

    pub(super) fn check_set_drift(&self, node: u32, drift_ppm: i32) -> Result<(), ActionError> {
        self.check_node("node", node)?;
        if drift_ppm.unsigned_abs() > DRIFT_PPM_MAX as u32 {
            return Err(ActionError::new(
                "drift_ppm",
                format!("must be within ±{DRIFT_PPM_MAX}, got {drift_ppm}"),
            ));
        }
        Ok(())
    }

    pub(super) fn set_drift(&mut self, node: u32, drift_ppm: i32) {
        let now = self.now_us;
        self.nodes[node as usize - 1]
            .clock
            .set_drift(now, drift_ppm);
        self.nodes[node as usize - 1].timer = None;
        self.reschedule_timer(node);
    }

    pub(super) fn check_transfer_leader(&self, from: u32, to: u32) -> Result<(), ActionError> {
        self.check_node("from", from)?;
        self.check_node("to", to)?;
        if self.nodes[from as usize - 1].role != Role::Leader {
            return Err(ActionError::new(
                "from",
                format!("node {from} is not the leader"),
            ));
        }
        if from == to {
            return Err(ActionError::new("to", "already the leader"));
        }
        Ok(())
    }

    pub(super) fn transfer_leader(&mut self, from: u32, to: u32) {
        self.with_node(from, |r, t| r.transfer_leadership(t, NodeId(to)));
    }
}
