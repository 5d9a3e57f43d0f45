//! Deprecated: kept only until the simulator stops using it (its layout change replaces
//! the calls with `sort_by_key`). The checkers sort with the standard library.

/// Sorts `v` stably by `key`: exactly `v.sort_by_key(key)`.
///
/// Deprecated: kept only until the simulator stops using it; call `sort_by_key` instead.
pub fn sort_by_u64_key<T>(v: &mut [T], key: impl Fn(&T) -> u64) {
    v.sort_by_key(key);
}
