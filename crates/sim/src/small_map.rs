//! A map for a handful of entries: a vector searched from the front.
//!
//! The simulator's per-node tables (writes and reads waiting for their entry, a few per
//! client) and its leaders-per-term table hold few entries and are looked up rarely. A
//! `BTreeMap` per key/value type compiles to several kilobytes of Wasm that every reader of a
//! page downloads; this compiles to a few hundred bytes.

/// A map of few entries, in insertion order. Lookups are linear: use it only for tables
/// bounded by something small (clients, terms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SmallMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap {
            entries: Vec::new(),
        }
    }
}

impl<K: PartialEq, V> SmallMap<K, V> {
    fn position(&self, key: &K) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    /// The value for `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// Sets the value for `key`, returning the old one.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.position(key).map(|i| self.entries.remove(i).1)
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
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
}
