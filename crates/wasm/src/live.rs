//! The live linearizability verdict of a growing run (`Playground.check_incremental()`):
//! the world's settled operations are fed to a [`check::IncrementalChecker`] as they
//! settle, so each call costs about the new operations, not the history's length.
//!
//! An operation is settled once no client is still working on it: ok, failed, or given up
//! with an unknown outcome (it may take effect later or never). The operations a client is
//! still working on are left out, and the promise to the checker is that everything invoked
//! before the earliest of them is in (`settled_us`). A world that went back in time (a
//! backward seek) is fed again from the start: its history up to then is the same, but
//! the checker has no way to take operations back.

use check::{IncrementalChecker, IncrementalReport};
use serde::Serialize;
use sim::history::Outcome;
use sim::World;
use std::collections::BTreeSet;

/// Default step budget of one `check_incremental()` call.
pub const LIVE_STEPS_MAX_DEFAULT: u64 = check::incremental::INCREMENTAL_STEPS_MAX_DEFAULT;
/// The largest step budget a caller may give one call.
pub const LIVE_STEPS_MAX: u64 = 50_000_000;

/// What `check_incremental()` returns: the checker's report and what it covers.
#[derive(Clone, Debug, Serialize)]
pub struct LiveReport {
    /// The virtual time of the world checked.
    pub now_us: u64,
    /// Operations in the history.
    pub ops_total: usize,
    /// Operations a client is still working on (not fed yet).
    pub ops_pending: usize,
    /// Failed operations (no effect; ignored by the check).
    pub ops_failed: usize,
    /// The checker's report: `verdict`, `ops_covered`, `covered_through_us` (every settled
    /// operation invoked before it is covered), and per partition (key) its cut, verdict,
    /// and how it is reached.
    #[serde(flatten)]
    pub check: IncrementalReport,
}

/// The incremental checker and how far it has been fed.
#[derive(Clone, Debug)]
pub struct LiveCheck {
    checker: IncrementalChecker,
    /// Every operation before this index has been fed (or was failed).
    fed_below: usize,
    /// Operations at or after `fed_below` fed already (settled while an earlier one was
    /// still pending); at most the history's length.
    fed_after: BTreeSet<usize>,
    failed: usize,
    now_us: u64,
}

impl LiveCheck {
    /// A checker for a world's KV history.
    pub fn new() -> Self {
        LiveCheck {
            checker: IncrementalChecker::new(check::ModelKind::Kv, LIVE_STEPS_MAX_DEFAULT),
            fed_below: 0,
            fed_after: BTreeSet::new(),
            failed: 0,
            now_us: 0,
        }
    }

    /// Feeds what settled since the last call and checks, with `steps_max` steps.
    pub fn update(&mut self, world: &World, steps_max: u64) -> LiveReport {
        let ops = world.operations();
        if world.now_us() < self.now_us || ops.len() < self.fed_below {
            *self = LiveCheck::new();
        }
        self.now_us = world.now_us();
        self.checker.set_steps_max(steps_max);
        let pending: BTreeSet<u64> = world
            .clients()
            .iter()
            .filter_map(|c| c.pending.as_ref().map(|p| p.op))
            .collect();
        let mut settled_us = world.now_us();
        let mut all_fed = true;
        for i in self.fed_below..ops.len() {
            let Some(op) = ops.get(i) else { break };
            if pending.contains(&op.id) {
                settled_us = settled_us.min(op.invoke_us);
                all_fed = false;
                continue;
            }
            if !self.fed_after.contains(&i) {
                if op.outcome == Outcome::Failed {
                    self.failed += 1;
                } else {
                    let mut op = op.clone();
                    if op.outcome == Outcome::Unknown {
                        op.complete_us = None;
                        op.output = None;
                    }
                    self.checker.add(&op);
                }
                if !all_fed {
                    self.fed_after.insert(i);
                }
            }
            if all_fed {
                self.fed_below = i + 1;
                self.fed_after.remove(&i);
            }
        }
        let check = self.checker.check(settled_us);
        LiveReport {
            now_us: self.now_us,
            ops_total: ops.len(),
            ops_pending: pending.len(),
            ops_failed: self.failed,
            check,
        }
    }
}

impl Default for LiveCheck {
    fn default() -> Self {
        LiveCheck::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::SimConfig;

    /// The live verdict agrees with the whole check at every step of a workload run with
    /// faults, and covers every settled operation invoked before the earliest pending one.
    #[test]
    fn agrees_with_the_whole_check_as_the_run_grows() -> Result<(), String> {
        let mut c = SimConfig::default();
        c.workload.enabled = true;
        c.workload.rate_ops_per_s = 40;
        let mut w = World::new(c, 7).map_err(|e| e.to_string())?;
        let mut live = LiveCheck::new();
        for step in 0..40u64 {
            w.advance(250_000);
            if step == 10 {
                w.apply(sim::Action::Crash {
                    node: sim::NodeId(1),
                })
                .ok();
            }
            if step == 20 {
                w.apply(sim::Action::Restart {
                    node: sim::NodeId(1),
                })
                .ok();
            }
            let r = live.update(&w, LIVE_STEPS_MAX_DEFAULT);
            let whole = check::check_history(&w.history(), &check::Options::default());
            assert_eq!(
                r.check.verdict, whole.linearizability.verdict,
                "step {step}"
            );
            // Every pending operation is in the history (an error otherwise, not a skip).
            let pending_invoked = w
                .clients()
                .iter()
                .filter_map(|c| c.pending.as_ref())
                .map(|p| {
                    w.operations()
                        .get(p.op as usize)
                        .map(|o| o.invoke_us)
                        .ok_or(format!(
                            "step {step}: pending op {} not in the history",
                            p.op
                        ))
                })
                .collect::<Result<Vec<u64>, String>>()?;
            let pending_min = pending_invoked.into_iter().min().unwrap_or(w.now_us());
            assert_eq!(r.check.settled_us, pending_min);
            assert_eq!(
                r.check.ops_covered + r.check.ops_open + r.ops_pending + r.ops_failed,
                r.ops_total
            );
        }
        assert!(live.update(&w, 1).ops_total > 200);
        Ok(())
    }

    /// After a backward seek the live check starts again and still agrees.
    #[test]
    fn a_backward_seek_starts_again() -> Result<(), String> {
        let mut c = SimConfig::default();
        c.workload.enabled = true;
        c.workload.rate_ops_per_s = 40;
        let mut w = World::new(c, 3).map_err(|e| e.to_string())?;
        let mut live = LiveCheck::new();
        w.advance(4_000_000);
        let before = live.update(&w, LIVE_STEPS_MAX_DEFAULT);
        w.seek(1_000_000);
        let after = live.update(&w, LIVE_STEPS_MAX_DEFAULT);
        assert!(after.ops_total < before.ops_total);
        assert_eq!(
            after.check.ops_covered + after.check.ops_open + after.ops_pending + after.ops_failed,
            after.ops_total
        );
        Ok(())
    }
}
