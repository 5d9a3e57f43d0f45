//! Node-local clocks with a drift rate, by integer arithmetic.

use crate::config::PPM;

/// A node's clock: `local(g) = base_local + (g - base_global) · (10^6 + drift_ppm) / 10^6`.
///
/// Invariants: monotonic in `g`; changing the drift re-bases at the current time so local
/// time stays continuous; `local(global_at_or_after(l)) >= l`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    base_global_us: u64,
    base_local_us: u64,
    drift_ppm: i32,
}

impl Clock {
    /// A clock equal to global time scaled by `drift_ppm` from 0.
    pub fn new(drift_ppm: i32) -> Self {
        Clock {
            base_global_us: 0,
            base_local_us: 0,
            drift_ppm,
        }
    }

    fn rate(&self) -> u128 {
        (i64::try_from(PPM).unwrap_or(1_000_000) + i64::from(self.drift_ppm)) as u128
    }

    /// Local time at global time `g` (`g >= base`).
    #[inline]
    pub fn local(&self, g: u64) -> u64 {
        if self.drift_ppm == 0 {
            return self.base_local_us + (g - self.base_global_us);
        }
        let dg = u128::from(g.saturating_sub(self.base_global_us));
        self.base_local_us + (dg * self.rate() / u128::from(PPM)) as u64
    }

    /// The earliest global time at which local time is at least `l`.
    #[inline]
    pub fn global_at_or_after(&self, l: u64) -> u64 {
        if l <= self.base_local_us {
            return self.base_global_us;
        }
        let dl = u128::from(l - self.base_local_us);
        if self.drift_ppm == 0 {
            return self.base_global_us + dl as u64;
        }
        let r = self.rate();
        self.base_global_us + ((dl * u128::from(PPM)).div_ceil(r)) as u64
    }

    /// Changes the drift rate at global time `now`.
    pub fn set_drift(&mut self, now: u64, drift_ppm: i32) {
        self.base_local_us = self.local(now);
        self.base_global_us = now;
        self.drift_ppm = drift_ppm;
    }

    /// The drift rate.
    pub fn drift_ppm(&self) -> i32 {
        self.drift_ppm
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn inverse_is_the_earliest_global_time(drift in -500_000i32..=500_000, l in 0u64..1u64<<45, g0 in 0u64..1u64<<40, d0 in -500_000i32..=500_000) {
            let mut c = Clock::new(d0);
            c.set_drift(g0, drift);
            let base = c.local(g0);
            let l = base + l;
            let g = c.global_at_or_after(l);
            prop_assert!(c.local(g) >= l);
            prop_assert!(g == g0 || c.local(g - 1) < l);
        }
    }

    #[test]
    fn slow_clock_runs_at_half_speed() {
        let c = Clock::new(-500_000);
        assert_eq!(c.local(1_000_000), 500_000);
        assert_eq!(c.global_at_or_after(500_000), 1_000_000);
    }
}
