//! Settings switched at run time: the read path, teaching toggles, the election timeout
//! range, the snapshot threshold. (De-duplication is one assignment, in `exec`.)

use crate::action::ActionError;
use crate::config::{RaftToggle, ReadPath, SimConfig};
use crate::world::Sim;

impl Sim {
    pub(super) fn check_set_read_path(&self, read_path: ReadPath) -> Result<(), ActionError> {
        let cfg = SimConfig {
            read_path,
            ..self.config.clone()
        };
        cfg.validate()
            .map_err(|e| ActionError::new(e.field, e.problem))
    }

    pub(super) fn set_read_path(&mut self, read_path: ReadPath) {
        self.config.read_path = read_path;
        let mode = self.config.raft_config().read_mode;
        for node in &mut self.nodes {
            if let Some(r) = node.raft.as_mut() {
                let switched = r.set_read_mode(mode);
                debug_assert!(switched.is_ok(), "validated: {switched:?}");
            }
        }
    }

    pub(super) fn set_snapshot_threshold(&mut self, entries: u64) {
        self.config.snapshot_threshold_entries = entries;
        for node in &mut self.nodes {
            if let Some(r) = node.raft.as_mut() {
                r.set_snapshot_threshold_entries(entries);
            }
        }
    }

    pub(super) fn set_toggle(&mut self, toggle: RaftToggle, on: bool) {
        *toggle.switch(&mut self.config.toggles) = on;
        let toggles = self.config.toggles;
        for node in &mut self.nodes {
            if let Some(r) = node.raft.as_mut() {
                r.set_toggles(toggles);
            }
        }
    }

    pub(super) fn check_set_election_timeout(
        &self,
        election_timeout_us_min: u64,
        election_timeout_us_max: u64,
    ) -> Result<(), ActionError> {
        let cfg = SimConfig {
            election_timeout_us_min,
            election_timeout_us_max,
            ..self.config.clone()
        };
        cfg.validate()
            .map_err(|e| ActionError::new(e.field, e.problem))
    }
}

/// Refuses a threshold beyond `SNAPSHOT_THRESHOLD_ENTRIES_MAX`.
pub(super) fn check_snapshot_threshold(entries: u64) -> Result<(), ActionError> {
    let max = crate::limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX;
    if entries > max {
        return Err(ActionError::new(
            "snapshot_threshold_entries",
            format!("must be at most {max} (SNAPSHOT_THRESHOLD_ENTRIES_MAX), got {entries}"),
        ));
    }
    Ok(())
}
