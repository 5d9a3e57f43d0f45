//! Orderings and groupings shared by the checkers, each through one instantiation of the
//! standard library's code.
//!
//! Each `sort_by_key` with its own closure type compiles its own copy of the standard
//! library's sort, and each `BTreeMap<K, V>` its own copy of the B-tree (several kilobytes
//! each in the Wasm that every reader downloads). The checkers' maps are built once and
//! then only read, so they are sorted vectors instead: numeric keys go through
//! [`sort_indices`], string keys through [`sort_str_pairs`] (and [`sort_strs`],
//! [`StrGroups`] built on it).

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

/// `0..n` sorted by `(key(i), i)`.
pub(crate) fn sorted_indices(n: usize, key: &dyn Fn(usize) -> (u64, u64)) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    sort_indices(&mut idx, key);
    idx
}

/// Sorts `(string, item)` pairs and drops repeats.
pub(crate) fn sort_str_pairs(v: &mut Vec<(&str, usize)>) {
    v.sort_unstable();
    v.dedup();
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
    fn sort_strs_sorts_and_dedups() {
        let mut v = vec!["b", "a", "b", "", "a"];
        sort_strs(&mut v);
        assert_eq!(v, ["", "a", "b"]);
    }
}
