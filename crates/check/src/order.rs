//! Stable orderings of operation indices, through one instantiation of the slice sort.
//!
//! Each `sort_by_key` with its own closure type compiles its own copy of the standard
//! library's sort (several kilobytes each in the Wasm that every reader downloads); the
//! checkers' sorts all order indices by a pair of times, so they share this one.

/// Sorts `idx` by `(key(i), i)`. For indices listed in increasing order (as the callers
/// build them) that is exactly what a stable sort by `key` gives.
pub(crate) fn sort_indices(idx: &mut [usize], key: &dyn Fn(usize) -> (u64, u64)) {
    let mut keyed: Vec<(u64, u64, usize)> = idx
        .iter()
        .map(|&i| {
            let (a, b) = key(i);
            (a, b, i)
        })
        .collect();
    keyed.sort_unstable();
    for (slot, (_, _, i)) in idx.iter_mut().zip(keyed) {
        *slot = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_a_stable_sort_by_key() {
        let keys = [(3, 1), (1, 0), (3, 1), (0, 9), (1, 0), (2, 2)];
        let mut idx: Vec<usize> = (0..keys.len()).collect();
        sort_indices(&mut idx, &|i| keys[i]);
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by_key(|&i| keys[i]);
        assert_eq!(idx, expected);
    }
}
