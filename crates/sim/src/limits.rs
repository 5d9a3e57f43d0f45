//! The named bounds on what a caller controls: time, work per call, sizes of inputs.
//!
//! Every refusal names the field and the limit and leaves the world unchanged (habit 5:
//! bound everything, visibly). Bounds kept beside their own types are listed in the crate
//! docs (`TRACE_RECORDS_MAX`, `CHECKPOINTS_MAX`, `DRAIN_EVENTS_MAX`, …).
//!
//! | bound | value | refused by |
//! |---|---|---|
//! | [`VIRTUAL_TIME_US_MAX`] | 24 virtual hours | `try_advance`, `try_run_until`, `try_seek`, the budgeted forms, scheduled actions, scenarios |

use std::fmt;

/// The latest virtual time a world may reach: 24 hours, µs. Far beyond any lesson or
/// workload (a busy 5-node world simulates a few hundred virtual seconds per wall second),
/// and a run to it is bounded work.
pub const VIRTUAL_TIME_US_MAX: u64 = 24 * 3_600 * 1_000_000;

/// A run, seek or schedule refused because it would pass [`VIRTUAL_TIME_US_MAX`]; the world
/// is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeLimitError {
    /// The virtual time asked for, µs (saturated at `u64::MAX`).
    pub target_us: u64,
}

impl fmt::Display for TimeLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "virtual time {} µs is past the limit VIRTUAL_TIME_US_MAX = {} µs (24 h)",
            self.target_us, VIRTUAL_TIME_US_MAX
        )
    }
}

impl std::error::Error for TimeLimitError {}

/// `Ok(t)` when `t` is within [`VIRTUAL_TIME_US_MAX`].
pub fn check_time(target_us: u64) -> Result<u64, TimeLimitError> {
    if target_us > VIRTUAL_TIME_US_MAX {
        Err(TimeLimitError { target_us })
    } else {
        Ok(target_us)
    }
}
