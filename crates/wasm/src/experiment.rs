//! Batch experiments for the page's workers: a spec parsed once, then slices of its trials
//! run and returned as plain records (the same as `raftlab experiment --json` prints).

use crate::{js_err, json_text, to_js, uint_arg};
use sim::experiment::{run_trial, trial_ids, trial_scenario, ExperimentSpec};
use wasm_bindgen::prelude::*;

/// A parsed experiment spec and the order of its trials (`(range, trial)`, ranges first).
#[wasm_bindgen]
pub struct Experiment {
    spec: ExperimentSpec,
    ids: Vec<(usize, u32)>,
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
        let ids = trial_ids(&spec);
        Ok(Experiment { spec, ids })
    }

    /// Trials over all ranges.
    pub fn trials_total(&self) -> usize {
        self.ids.len()
    }

    /// Runs trials `first .. first + count` (clamped to the total) and returns their
    /// records, in order.
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] first: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    ) -> Result<JsValue, JsError> {
        let first = (uint_arg("first", &first)? as usize).min(self.ids.len());
        let count = uint_arg("count", &count)? as usize;
        let end = first.saturating_add(count).min(self.ids.len());
        let records: Vec<_> = self.ids[first..end]
            .iter()
            .map(|&(range, trial)| run_trial(&self.spec, range, trial))
            .collect();
        to_js(&records)
    }

    /// The scenario that replays trial `trial` of range `range` up to its moment (load it
    /// with `Playground.from_scenario`).
    pub fn scenario(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] range: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] trial: JsValue,
    ) -> Result<JsValue, JsError> {
        let range = uint_arg("range", &range)? as usize;
        let trial = uint_arg("trial", &trial)?;
        match self.spec.ranges.get(range) {
            None => Err(js_err(format!("range: no range {range}"))),
            Some(r) if trial >= u64::from(r.trials) => Err(js_err(format!(
                "trial: range {range} has {} trials",
                r.trials
            ))),
            Some(_) => to_js(&trial_scenario(&self.spec, range, trial as u32)),
        }
    }
}
