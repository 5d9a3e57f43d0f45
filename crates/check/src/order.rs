//! Orderings and groupings shared by the checkers and the simulator, each through as few
//! instantiations of sorting code as possible.
//!
//! Each `sort`/`sort_by_key` per element type or closure type compiles its own copy of the
//! standard library's sort (two to five kilobytes each in the Wasm that every reader of a
//! page downloads), and each `BTreeMap<K, V>` its own copy of the B-tree. So numeric sorts,
//! the checkers' and the simulator's, all sort `(u64, u64, usize)` triples ([`sort_keyed`]),
//! and string sorts go through `sort_str_pairs` (and `sort_strs` and `StrGroups`
//! built on it), both with one small merge sort (the standard library's unstable sort
//! alone was 1.4 KB of the gzipped module). The checkers' maps are built once and then only
//! read, so they are sorted vectors instead.

/// Runs shorter than this are sorted by insertion before merging (fewer passes, and
/// insertion is the faster sort on a few elements).
const RUN_LEN: usize = 8;

/// The one numeric sort: every caller's keys go into these triples.
pub fn sort_keyed(v: &mut [(u64, u64, usize)]) {
    merge_sort(v, |a, b| a < b);
}

/// Sorts `v` stably by `less`, a strict weak order.
///
/// Instantiated twice (numbers, strings). A merge sort because it is stable, short (a few
/// hundred bytes of Wasm where the standard library's sorts take several kilobytes per
/// element type), and `O(n log n)` whatever the input.
fn merge_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    for run in v.chunks_mut(RUN_LEN) {
        for i in 1..run.len() {
            let x = run[i];
            let mut j = i;
            while j > 0 && less(&x, &run[j - 1]) {
                run[j] = run[j - 1];
                j -= 1;
            }
            run[j] = x;
        }
    }
    if n <= RUN_LEN {
        return;
    }
    // Merges runs of `width`, doubling `width`, back and forth between `v` and one scratch
    // copy of it. Each pass writes every slot of its output by index: no `Vec::push` per
    // element (a call per element in the size-optimized Wasm).
    let mut scratch = v.to_vec();
    let mut width = RUN_LEN;
    let mut sorted_in_v = true;
    while width < n {
        if sorted_in_v {
            merge_pass(v, &mut scratch, width, &less);
        } else {
            merge_pass(&scratch, v, width, &less);
        }
        sorted_in_v = !sorted_in_v;
        width *= 2;
    }
    if !sorted_in_v {
        v.copy_from_slice(&scratch);
    }
}

/// Writes into `out` (as long as `src`) the runs of `width` of `src` merged pairwise
/// (stable).
fn merge_pass<T: Copy>(src: &[T], out: &mut [T], width: usize, less: &impl Fn(&T, &T) -> bool) {
    let n = src.len();
    let mut start = 0;
    while start < n {
        let mid = (start + width).min(n);
        let end = (start + 2 * width).min(n);
        let (mut i, mut j, mut k) = (start, mid, start);
        while i < mid && j < end {
            // Takes from the right run only when strictly less: stable.
            let right = less(&src[j], &src[i]);
            out[k] = if right { src[j] } else { src[i] };
            j += usize::from(right);
            i += usize::from(!right);
            k += 1;
        }
        // One of the two runs is used up; the rest of the other follows in order.
        let rest = if i < mid { &src[i..mid] } else { &src[j..end] };
        out[k..end].copy_from_slice(rest);
        start = end;
    }
}

/// Sorts `v` stably by `key`: through [`sort_keyed`] (position as the tie-break), so the
/// only code per element type is the key extraction and a permutation.
pub fn sort_by_u64_key<T: Copy>(v: &mut [T], key: impl Fn(&T) -> u64) {
    let mut keyed: Vec<(u64, u64, usize)> =
        v.iter().enumerate().map(|(p, x)| (key(x), 0, p)).collect();
    sort_keyed(&mut keyed);
    let old = v.to_vec();
    for (slot, (_, _, p)) in v.iter_mut().zip(keyed) {
        *slot = old[p];
    }
}

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
    sort_keyed(&mut keyed);
    for (slot, (_, _, i)) in idx.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// `0..n` sorted by `(key(i), i)`.
pub(crate) fn sorted_indices(n: usize, key: &dyn Fn(usize) -> (u64, u64)) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    sort_indices(&mut idx, key);
    idx
}

/// Sorts `(string, item)` pairs and drops repeats.
pub(crate) fn sort_str_pairs(v: &mut Vec<(&str, usize)>) {
    // Sorted by (first eight bytes as a number, string, item): the same order, but most
    // comparisons end at the number (the checkers sort every key and value of a history).
    let mut keyed: Vec<(u64, &str, usize)> = v.iter().map(|&(s, i)| (prefix(s), s, i)).collect();
    merge_sort(&mut keyed, |a, b| a < b);
    v.clear();
    v.extend(keyed.iter().map(|&(_, s, i)| (s, i)));
    v.dedup();
}

/// The first eight bytes of `s`, big-endian, zero-padded: `prefix(a) < prefix(b)` implies
/// `a < b` (a zero byte sorts at or before any byte, and before the end of nothing).
fn prefix(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Sorts the strings and drops repeats.
pub(crate) fn sort_strs(v: &mut Vec<&str>) {
    let mut pairs: Vec<(&str, usize)> = v.iter().map(|&s| (s, 0)).collect();
    sort_str_pairs(&mut pairs);
    v.clear();
    v.extend(pairs.iter().map(|p| p.0));
}

/// Items grouped by a string: what a `BTreeMap<&str, Vec<usize>>` built once and then
/// only read holds, in two flat vectors.
///
/// Invariants: `names` is sorted without repeats; group `g` (named `names[g]`) holds
/// `items[start[g]..start[g + 1]]`, in the order they were given; `start.len() ==
/// names.len() + 1`.
pub(crate) struct StrGroups<'a> {
    pub(crate) names: Vec<&'a str>,
    start: Vec<usize>,
    items: Vec<usize>,
}

impl<'a> StrGroups<'a> {
    /// Groups the items `(name, item)`, given in increasing order of item (as the callers
    /// list operation indices), which their groups keep.
    pub(crate) fn new(pairs: &[(&'a str, usize)]) -> Self {
        debug_assert!(pairs.windows(2).all(|w| w[0].1 < w[1].1));
        let mut sorted = pairs.to_vec();
        sort_str_pairs(&mut sorted);
        let mut g = StrGroups {
            names: Vec::new(),
            start: Vec::new(),
            items: Vec::with_capacity(sorted.len()),
        };
        for (k, &(name, item)) in sorted.iter().enumerate() {
            if k == 0 || sorted[k - 1].0 != name {
                g.names.push(name);
                g.start.push(k);
            }
            g.items.push(item);
        }
        g.start.push(sorted.len());
        g
    }

    /// How many groups.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The group named `name`.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.names.binary_search(&name).ok()
    }

    /// The items of group `g`.
    pub(crate) fn items(&self, g: usize) -> &[usize] {
        &self.items[self.start[g]..self.start[g + 1]]
    }

    /// The items of the group named `name`, if any.
    pub(crate) fn get(&self, name: &str) -> Option<&[usize]> {
        self.find(name).map(|g| self.items(g))
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
        assert_eq!(sorted_indices(keys.len(), &|i| keys[i]), expected);
    }

    #[test]
    fn groups_equal_a_btreemap_of_vecs() {
        let pairs = [("b", 0), ("a", 3), ("b", 4), ("", 5), ("a", 7), ("b", 9)];
        let groups = StrGroups::new(&pairs);
        let mut expected: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        for &(s, i) in &pairs {
            expected.entry(s).or_default().push(i);
        }
        let got: Vec<(&str, Vec<usize>)> = (0..groups.len())
            .map(|g| (groups.names[g], groups.items(g).to_vec()))
            .collect();
        assert_eq!(got, expected.into_iter().collect::<Vec<_>>());
        assert_eq!(groups.get("b"), Some(&[0, 4, 9][..]));
        assert_eq!(groups.get("c"), None);
        assert_eq!(StrGroups::new(&[]).len(), 0);
    }

    #[test]
    fn sorts_equal_a_stable_std_sort() {
        // Lengths around the run length and its powers of two; many ties, to see stability.
        let mut seed = 7u64;
        for n in [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257, 1000] {
            let keys: Vec<u64> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) % 13
                })
                .collect();
            let mut got: Vec<(u64, u64, usize)> = (0..n).map(|i| (keys[i], 0, i)).collect();
            sort_keyed(&mut got);
            let mut expected: Vec<usize> = (0..n).collect();
            expected.sort_by_key(|&i| keys[i]);
            let got: Vec<usize> = got.iter().map(|t| t.2).collect();
            assert_eq!(got, expected, "n = {n}");
            let mut pairs: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
            sort_by_u64_key(&mut pairs, |p| p.0);
            assert_eq!(pairs.iter().map(|p| p.1).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn sort_str_pairs_sorts_and_dedups() {
        let mut v = vec![("b", 2), ("a", 9), ("b", 1), ("a", 9), ("", 4)];
        sort_str_pairs(&mut v);
        assert_eq!(v, [("", 4), ("a", 9), ("b", 1), ("b", 2)]);
    }

    #[test]
    fn sort_str_pairs_equals_a_std_sort() {
        // Shared prefixes, prefixes of each other, zero bytes, long tails, repeats.
        let words = [
            "",
            "a",
            "a\0",
            "a\0b",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgg",
            "abcdefghj",
            "b",
            "\u{e9}",
            "\0",
            "k10",
            "k1",
            "k100;",
            "12;34;",
            "12;3",
        ];
        let mut v: Vec<(&str, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for j in 0..3 {
                v.push((w, (i * 7 + j * 5) % 4));
            }
        }
        let mut expected = v.clone();
        expected.sort();
        expected.dedup();
        sort_str_pairs(&mut v);
        assert_eq!(v, expected);
    }

    #[test]
    fn sort_strs_sorts_and_dedups() {
        let mut v = vec!["b", "a", "b", "", "a"];
        sort_strs(&mut v);
        assert_eq!(v, ["", "a", "b"]);
    }
}
