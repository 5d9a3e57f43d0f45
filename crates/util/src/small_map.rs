//! A map as a vector sorted by key.
//!
//! For the small tables of the checkers and the simulator (writes and reads waiting for
//! their entry, client sessions, leaders per term, the KV store's keys, the histories'
//! final states). Against `BTreeMap` (`cargo bench -p raftlab-util --bench small_map`):
//! a lookup, one binary search over a contiguous slice, is as fast with integer keys and
//! faster with string keys up to about a thousand; a clone of an integer-keyed map is one
//! allocation and one copy, 6 to 17 times faster from 16 entries up (the simulator's
//! timeline clones whole worlds); building it in random key order costs more beyond a few
//! hundred keys, since each insert moves the entries after it.

use std::borrow::Borrow;
use std::cmp::Ordering;

/// A map sorted by key (so equality does not depend on insertion order).
/// Inserting a new key and removing one move the entries after it (O(n)): use it only for
/// tables bounded by something small (clients, terms, keys), or filled in key order
/// (appending at the end moves nothing).
///
/// In JSON it is an object, as a `BTreeMap` is (same keys, same order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmallMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> SmallMap<K, V> {
    fn search<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        // Stops at the first equal key (std's `binary_search_by` always narrows down to one
        // entry): for a handful of string keys, fewer comparisons than a B-tree's scan.
        let (mut lo, mut hi) = (0, self.entries.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.entries[mid].0.borrow().cmp(key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok()
    }

    /// The value for `key` (a `&str` for `String` keys, as with `BTreeMap`).
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// The value for `key`, to change in place.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.position(key).map(|i| &mut self.entries[i].1)
    }

    /// Sets the value for `key`, returning the old one.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.search(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The value for `key`, inserted by `make` when absent.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.search(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Removes `key`, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.position(key).map(|i| self.entries.remove(i).1)
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A map, as serde writes a `BTreeMap`.
#[cfg(feature = "serde")]
impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for SmallMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(k, v)| (k, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_map() {
        let mut m = SmallMap::default();
        assert_eq!(m.insert(3u64, "a"), None);
        assert_eq!(m.insert(1, "b"), None);
        assert_eq!(m.insert(3, "c"), Some("a"));
        assert_eq!(m.get(&3), Some(&"c"));
        assert_eq!(m.get(&2), None);
        *m.get_mut(&3).unwrap() = "d";
        assert_eq!(m.iter().collect::<Vec<_>>(), [(&1, &"b"), (&3, &"d")]);
        assert_eq!(m.remove(&1), Some("b"));
        assert_eq!(m.remove(&1), None);
        assert_eq!(m.len(), 1);
        m.clear();
        assert_eq!(m.get(&3), None);
        assert!(m.is_empty());
    }

    #[test]
    fn equality_ignores_insertion_order() {
        let mut a = SmallMap::default();
        let mut b = SmallMap::default();
        for k in [5u32, 1, 3] {
            a.insert(k, k * 10);
        }
        for k in [3u32, 5, 1] {
            b.insert(k, k * 10);
        }
        assert_eq!(a, b);
        *a.get_or_insert_with(7, || 0) += 70;
        *a.get_or_insert_with(7, || 0) += 1;
        assert_eq!(a.get(&7), Some(&71));
    }

    #[test]
    fn string_keys_are_looked_up_by_str_and_kept_in_byte_order() {
        let mut m = SmallMap::default();
        for k in ["k10", "k2", "K", "k1"] {
            m.insert(k.to_string(), k.len());
        }
        assert_eq!(m.keys().collect::<Vec<_>>(), ["K", "k1", "k10", "k2"]);
        assert_eq!(m.get("k10"), Some(&3));
        assert_eq!(m.remove("K"), Some(1));
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [2, 3, 2]);
    }
}
