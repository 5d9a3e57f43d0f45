//! A map for a handful of entries: a vector sorted by key.
//!
//! The simulator's small tables (writes and reads waiting for their entry, client sessions:
//! at most one entry per client; leaders per term) hold few entries. A `BTreeMap` per
//! key/value type compiles to several kilobytes of Wasm that every reader of a page
//! downloads; this compiles to a few hundred bytes.

/// A map of few entries, sorted by key (so equality does not depend on insertion order).
/// Inserting and removing move the entries after the key: use it only for tables bounded by
/// something small (clients, terms).
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
    fn search(&self, key: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    fn position(&self, key: &K) -> Option<usize> {
        self.search(key).ok()
    }

    /// The value for `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.position(key).map(|i| &self.entries[i].1)
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
    pub fn remove(&mut self, key: &K) -> Option<V> {
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

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A map, as serde writes a `BTreeMap`.
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
        assert_eq!(m.remove(&1), Some("b"));
        assert_eq!(m.remove(&1), None);
        m.clear();
        assert_eq!(m.get(&3), None);
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
}
