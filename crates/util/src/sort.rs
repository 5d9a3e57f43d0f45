//! One sort routine for every caller whose lists are short or sorted once.
//!
//! The standard library's sorts are generic over the element type and the comparison, so each
//! call site gets its own copy of the whole merge/partition machinery. In the playground's Wasm
//! module that was 330 functions, ~87 KB before compression, for ~25 call sites. These helpers
//! sort a permutation of `u32` positions through a `dyn` comparison instead: the standard sort
//! is instantiated once, and each caller adds only its small comparison and the final shuffle.
//! An indirect call per comparison is the price; hot inner loops keep the standard sort.

use std::cmp::Ordering;

/// The positions of `v` in the order of `cmp`, ties in their original order (stable).
fn order<T>(v: &[T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) -> Vec<u32> {
    debug_assert!(
        u32::try_from(v.len()).is_ok(),
        "a list beyond u32::MAX elements"
    );
    let mut perm: Vec<u32> = (0..v.len() as u32).collect();
    sort_positions(&mut perm, &mut |a, b| {
        cmp(&v[a as usize], &v[b as usize]).then(a.cmp(&b))
    });
    perm
}

/// The single instantiation of the standard sort: positions under a `dyn` comparison.
#[inline(never)]
fn sort_positions(perm: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    perm.sort_unstable_by(|&a, &b| cmp(a, b));
}

/// Reorders `v` so that the element at `perm[i]` comes `i`-th, in place, one cycle of the
/// permutation at a time (`perm` is left as the identity).
fn permute<T>(v: &mut [T], perm: &mut [u32]) {
    for i in 0..perm.len() {
        let mut j = i;
        loop {
            let k = perm[j] as usize;
            perm[j] = j as u32;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut perm = order(v, &mut cmp);
    permute(v, &mut perm);
}

/// Sorts `v` stably by `key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in ascending order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so that the test needs no dependency.
    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        let mut s = 7;
        for len in 0..200 {
            let v: Vec<(u64, usize)> = (0..len).map(|i| (lcg(&mut s) % 8, i)).collect();
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "len {len}: equal keys keep their order");
            let mut plain = v.clone();
            sort(&mut plain);
            let mut want = v;
            want.sort();
            assert_eq!(plain, want);
        }
    }

    #[test]
    fn sorts_by_a_comparison_with_owned_elements() {
        let mut v = vec!["b".to_string(), "a".to_string(), "c".to_string()];
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, ["c", "b", "a"]);
    }
}
