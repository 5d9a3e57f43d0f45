//! Sweeps: one parameter of the world or of the faults varied over a list of values. A
//! sweep multiplies the spec's ranges: every range is run once per value (range-major), as
//! if the spec listed each `(range, value)` pair as its own range with that value set
//! (`spec.rs` expands it when it reads the spec), so records, seeds, summaries and replays
//! need nothing new.
//!
//! ```text
//!   ranges [150-300]  ×  sweep loss_ppm [0, 10000, 50000]
//!     = ranges [150-300 loss_ppm=0, 150-300 loss_ppm=10000, 150-300 loss_ppm=50000]
//! ```

use crate::json::{FromJson, JsonResult, Obj, Value};
use crate::vocab::vocab;
use serde::Serialize;

/// The most values one sweep may list.
pub const SWEEP_VALUES_MAX: usize = 100;

vocab! {
    /// What a sweep varies.
    pub enum SweepParameter {
        /// Loss probability of every node-to-node link, parts per million (replaces the
        /// network's `loss_ppm`).
        LossPpm = "loss_ppm" / "message loss (ppm)",
        /// How long the availability faults last: a `heal` is applied this long after the
        /// earliest fault, µs.
        FaultDurationUs = "fault_duration_us" / "fault duration (µs)",
    }
    impl Serialize;
}

/// A parameter and its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepSpec {
    /// What varies.
    pub parameter: SweepParameter,
    /// Its values, in order (one point each).
    pub values: Vec<u64>,
}

impl FromJson for SweepSpec {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct SweepSpec", &["parameter", "values"])?;
        let parameter: SweepParameter = o.req("parameter")?;
        let values: Vec<u64> = o.req("values")?;
        let bad = |problem: String| Err(crate::json::JsonError::new(problem).in_field("values"));
        if values.is_empty() || values.len() > SWEEP_VALUES_MAX {
            return bad(format!("1 to {SWEEP_VALUES_MAX} values (SWEEP_VALUES_MAX)"));
        }
        if parameter == SweepParameter::LossPpm {
            if let Some(v) = values.iter().find(|&&v| v > 1_000_000) {
                return bad(format!("loss_ppm is at most 1000000, got {v}"));
            }
        }
        Ok(SweepSpec { parameter, values })
    }
}
