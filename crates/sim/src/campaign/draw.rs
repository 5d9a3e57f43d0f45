//! The draws a campaign makes from its seed: integers only, the same on every platform.

use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha8Rng;

/// A campaign's random source (ChaCha8, seeded from the campaign seed).
pub(super) struct Draw(pub(super) ChaCha8Rng);

impl Draw {
    /// Uniform in `0..n` (0 when `n <= 1`), by a widening multiply.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        ((u128::from(self.0.next_u64()) * u128::from(n)) >> 64) as u64
    }
    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `p` parts per million.
    pub(super) fn ppm(&mut self, p: u64) -> bool {
        self.below(1_000_000) < p
    }
    /// One of `v`, uniformly.
    pub(super) fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len() as u64) as usize]
    }
}
