//! A window over the client history for a page that draws only what is in view: the
//! operations invoked in a time range (at most a bounded number, the latest), and how many
//! operations there are in all. Fetching the whole history every refresh grows with the run
//! (an hour of workload is hundreds of thousands of operations); a window does not.

use crate::history::{OpList, Outcome};
use crate::timeline::World;
use serde::Serialize;

/// At most this many operations in one window.
pub const HISTORY_WINDOW_OPS_MAX: usize = 2_000;

/// The operations of a time window, in invocation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryWindow {
    /// Operations in the whole history.
    pub operations_total: u64,
    /// Operations completed (ok or failed) in the whole history.
    pub operations_completed: u64,
    /// The latest `ops_max` operations invoked at or after `from_us`; unknown outcomes
    /// (still pending) have no completion, as in [`World::history`].
    pub operations: OpList,
}

impl World {
    /// The window of operations invoked at or after `from_us`: at most `ops_max` (capped
    /// at [`HISTORY_WINDOW_OPS_MAX`]), the latest ones.
    pub fn history_window(&self, from_us: u64, ops_max: usize) -> HistoryWindow {
        let all = &self.sim().history;
        // Operations are in invocation order: the window starts at the first invoked at or
        // after `from_us`.
        let start = all.partition_point(all.len(), |o| o.invoke_us < from_us);
        let max = ops_max.min(HISTORY_WINDOW_OPS_MAX);
        let start = start.max(all.len().saturating_sub(max));
        let mut operations = all.to_vec_range(start, all.len());
        for op in &mut operations {
            if op.outcome == Outcome::Unknown {
                op.complete_us = None;
                op.output = None;
            }
        }
        HistoryWindow {
            operations_total: all.len() as u64,
            operations_completed: all.iter().filter(|o| o.outcome != Outcome::Unknown).count()
                as u64,
            operations: OpList(operations),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{SimConfig, World};

    #[test]
    fn window_holds_the_latest_ops_invoked_since_from_and_counts_all() {
        let mut c = SimConfig::default();
        c.workload.enabled = true;
        c.workload.rate_ops_per_s = 50;
        let mut w = World::new(c, 11).unwrap();
        w.advance(3_000_000);
        let all = w.history().operations;
        assert!(all.len() > 50, "{} ops", all.len());
        let from = 2_000_000;
        let win = w.history_window(from, 10_000);
        assert_eq!(win.operations_total, all.len() as u64);
        let expect: Vec<_> = all
            .iter()
            .filter(|o| o.invoke_us >= from)
            .cloned()
            .collect();
        assert_eq!(win.operations.0, expect);
        let last = w.history_window(0, 5);
        assert_eq!(last.operations.0, all[all.len() - 5..].to_vec());
    }
}
