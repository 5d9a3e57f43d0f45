//! The experiments page's Wasm module: the batch runner of `sim::experiment` behind a thin
//! wasm-bindgen layer, built apart from the playground's module (`crates/wasm`) so that the
//! playground does not pay for it.
//!
//! ```text
//!  experiments page ── one Web Worker per core ── Experiment(spec) ── run(first, count)
//!                                                     │                    │
//!                         sim::experiment::ExperimentSpec   run_trial ──▶ records (plain objects)
//! ```
//!
//! A worker parses the spec once and runs slices of its trials; each slice returns the
//! same records as `raftlab experiment --json` prints. Every entry point returns
//! `Result<_, JsError>`: bad input throws a JS `Error` naming the field, never a trap.

#![forbid(unsafe_code)]
// A panic here would kill the worker: every failure is a JS Error instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

use sim::experiment::{run_trial, trial_scenario, ExperimentSpec};
use wasm_args::{js_err, json_text, to_js, uint_arg};
use wasm_bindgen::prelude::*;

/// Records returned by one `run` call at most: a worker asks for slices, so that it can
/// report progress and be cancelled between them.
pub const RECORDS_PER_CALL_MAX: usize = 100_000;

/// A parsed experiment spec. Its trials are numbered in record order (`(range, trial)`,
/// ranges first); `starts[r]` is the number of range `r`'s first trial (one entry per range,
/// not one per trial: a spec may hold `TRIALS_TOTAL_MAX` trials).
#[wasm_bindgen]
pub struct Experiment {
    spec: ExperimentSpec,
    starts: Vec<u64>,
    total: u64,
}

impl Experiment {
    /// The experiment of a validated spec.
    fn from_spec(spec: ExperimentSpec) -> Experiment {
        let mut starts = Vec::with_capacity(spec.ranges.len());
        let mut total = 0u64;
        for r in &spec.ranges {
            starts.push(total);
            total += u64::from(r.trials);
        }
        Experiment {
            spec,
            starts,
            total,
        }
    }

    /// `(range, trial)` of trial number `i` (below `total`).
    fn trial_at(&self, i: u64) -> (usize, u32) {
        let range = self.starts.partition_point(|&s| s <= i) - 1;
        (range, (i - self.starts[range]) as u32)
    }
}

#[wasm_bindgen]
impl Experiment {
    /// Parses and validates a spec (object or JSON text; errors name the field:
    /// `spec.ranges[1].timeout_ms_max: ...`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "object | string")] spec: JsValue,
    ) -> Result<Experiment, JsError> {
        let spec = ExperimentSpec::from_json(&json_text("spec", &spec)?)
            .map_err(|e| js_err(e.to_string()))?;
        Ok(Experiment::from_spec(spec))
    }

    /// Trials over all ranges.
    pub fn trials_total(&self) -> f64 {
        // Below TRIALS_TOTAL_MAX, so exact as a JS number.
        self.total as f64
    }

    /// The spec as the runner read it, defaults filled in (ranges expanded by a sweep).
    pub fn spec(&self) -> Result<JsValue, JsError> {
        to_js(&self.spec)
    }

    /// Each range's label (`150-155`, `150-300 loss_ppm=10000`), indexed like the records'
    /// `range`.
    pub fn labels(&self) -> Vec<String> {
        self.spec.ranges.iter().map(|r| r.label()).collect()
    }

    /// Runs trials `first .. first + count` (clamped to the total; `count` at most
    /// `RECORDS_PER_CALL_MAX`) and returns their records, in order.
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] first: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    ) -> Result<JsValue, JsError> {
        let first = uint_arg("first", &first)?.min(self.total);
        let count = uint_arg("count", &count)?;
        if count > RECORDS_PER_CALL_MAX as u64 {
            return Err(js_err(format!(
                "count: at most {RECORDS_PER_CALL_MAX} trials per call (RECORDS_PER_CALL_MAX), got {count}"
            )));
        }
        let end = first.saturating_add(count).min(self.total);
        let records: Vec<_> = (first..end)
            .map(|i| {
                let (range, trial) = self.trial_at(i);
                run_trial(&self.spec, range, trial)
            })
            .collect();
        to_js(&records)
    }

    /// The scenario that replays trial `trial` of range `range` up to its moment (open it
    /// in the playground, or load it with `Playground.from_scenario`).
    pub fn scenario(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] range: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] trial: JsValue,
    ) -> Result<JsValue, JsError> {
        let range = uint_arg("range", &range)? as usize;
        let trial = uint_arg("trial", &trial)?;
        match self.spec.ranges.get(range) {
            None => Err(js_err(format!(
                "range: the spec has {} ranges, no range {range}",
                self.spec.ranges.len()
            ))),
            Some(r) if trial >= u64::from(r.trials) => Err(js_err(format!(
                "trial: range {range} has {} trials, no trial {trial}",
                r.trials
            ))),
            Some(_) => to_js(&trial_scenario(&self.spec, range, trial as u32)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_numbers_map_to_ranges_as_trial_ids_order_them() {
        let spec = ExperimentSpec::from_json(
            r#"{"measurement": "election_time", "ranges": [
                {"timeout_ms_min": 150, "timeout_ms_max": 300, "trials": 3},
                {"timeout_ms_min": 50, "timeout_ms_max": 100, "trials": 1},
                {"timeout_ms_min": 12, "timeout_ms_max": 24, "trials": 2}]}"#,
        )
        .unwrap();
        let ids = sim::experiment::trial_ids(&spec);
        let e = Experiment::from_spec(spec);
        assert_eq!(e.total, 6);
        let mapped: Vec<_> = (0..e.total).map(|i| e.trial_at(i)).collect();
        assert_eq!(mapped, ids);
    }
}
