//! A batch: every trial of a spec, in a fixed order. The trials are independent pure
//! functions, so a caller may run them in any order or in parallel (the CLI uses rayon,
//! the page Web Workers) and sort the records by `(range, trial)` to get this result.

use super::measurement::TrialRecord;
use super::spec::ExperimentSpec;
use super::trial::run_trial;

/// Every `(range, trial)` pair of the spec, in record order.
pub fn trial_ids(spec: &ExperimentSpec) -> Vec<(usize, u32)> {
    spec.ranges
        .iter()
        .enumerate()
        .flat_map(|(i, r)| (0..r.trials).map(move |t| (i, t)))
        .collect()
}

/// Runs every trial, one after another (single-threaded; for Wasm and tests).
pub fn run_batch(spec: &ExperimentSpec) -> Vec<TrialRecord> {
    trial_ids(spec)
        .into_iter()
        .map(|(range, trial)| run_trial(spec, range, trial))
        .collect()
}
