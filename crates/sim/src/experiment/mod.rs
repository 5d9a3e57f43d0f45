//! Batch experiments: many seeded trials of one set-up, each measured inside the simulator
//! and returned as one small [`TrialRecord`] (no per-event crossing to the caller).
//!
//! ```text
//!   spec JSON ──ExperimentSpec::from_json──▶ ranges × trials ──run_trial (pure)──▶ TrialRecord
//!                                                  (CLI: rayon; page: workers)        │
//!                                                             summarize ◀─────────────┘
//! ```
//!
//! The spec format, the Figure 16 set-up and its latency model are in `docs/experiments.md`.

pub mod batch;
pub mod csv;
pub mod measurement;
pub mod spec;
pub mod sweep;
pub mod trial;

pub use batch::{run_batch, trial_ids};
pub use csv::{csv_header, csv_row, CSV_COLUMNS};
pub use measurement::{percentile, summarize, RangeSummary, TrialRecord};
pub use spec::{CrashTiming, ExperimentSpec, MeasurementKind, NetworkPreset, RangeSpec, SpecError};
pub use sweep::{SweepParameter, SweepSpec};
pub use trial::{run_trial, trial_scenario, trial_world};
