//! A vector whose clones share everything but a short tail: the log behind checkpoints.
//!
//! ```text
//!   chunks: [Arc<Vec<T>> × CHUNK_LEN] [..] [..]   tail: Vec<T> (< CHUNK_LEN)
//!            └── shared by every clone ──┘          └── copied by a clone
//! ```
//!
//! A clone copies the tail and a few chunk pointers: the chunks themselves sit in shared
//! groups ([`chunk_list`]), so a clone's memory is about `CHUNK_LEN + GROUP_LEN` items and
//! pointers however long the vector. A truncation into a shared chunk copies that one
//! chunk's kept prefix; a write into a shared chunk copies that chunk (copy on write).
//!
//! Invariants: every chunk holds exactly [`CHUNK_LEN`] items; `tail.len() < CHUNK_LEN`;
//! item `i` lives in chunk `i / CHUNK_LEN` at `i % CHUNK_LEN`, or in the tail.

mod chunk_list;

use chunk_list::ChunkList;
pub use chunk_list::GROUP_LEN;
use std::fmt;
use std::sync::Arc;

/// Items per shared chunk. Larger chunks make clones cheaper (fewer pointers) and
/// truncations and tails dearer (more copied items); 64 keeps both small.
pub const CHUNK_LEN: usize = 64;

/// A persistent vector: full chunks shared between clones, a mutable tail.
pub struct ChunkVec<T> {
    chunks: ChunkList<T>,
    tail: Vec<T>,
}

impl<T> Default for ChunkVec<T> {
    fn default() -> Self {
        ChunkVec {
            chunks: ChunkList::default(),
            tail: Vec::new(),
        }
    }
}

impl<T: Clone> Clone for ChunkVec<T> {
    fn clone(&self) -> Self {
        ChunkVec {
            chunks: self.chunks.clone(),
            tail: self.tail.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ChunkVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for ChunkVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for ChunkVec<T> {}

impl<T> From<Vec<T>> for ChunkVec<T> {
    fn from(items: Vec<T>) -> Self {
        let mut v = ChunkVec::default();
        for item in items {
            v.push(item);
        }
        v
    }
}

impl<T> FromIterator<T> for ChunkVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = ChunkVec::default();
        for item in iter {
            v.push(item);
        }
        v
    }
}

impl<T> std::ops::Index<usize> for ChunkVec<T> {
    type Output = T;
    #[inline]
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(item) => item,
            None => panic!("index {i} out of range for length {}", self.len()),
        }
    }
}

impl<T: Clone> std::ops::IndexMut<usize> for ChunkVec<T> {
    /// Copies the item's chunk first when a clone shares it.
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len();
        match self.get_mut(i) {
            Some(item) => item,
            None => panic!("index {i} out of range for length {len}"),
        }
    }
}

impl<'a, T> IntoIterator for &'a ChunkVec<T> {
    type Item = &'a T;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = &'a T> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<T> ChunkVec<T> {
    /// An empty vector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items held.
    #[inline]
    pub fn len(&self) -> usize {
        self.chunks.len() * CHUNK_LEN + self.tail.len()
    }

    /// No items.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.tail.is_empty()
    }

    /// Item `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        let c = i / CHUNK_LEN;
        match self.chunks.get(c) {
            Some(chunk) => chunk.get(i % CHUNK_LEN),
            None if c == self.chunks.len() => self.tail.get(i % CHUNK_LEN),
            None => None,
        }
    }

    /// The last item.
    pub fn last(&self) -> Option<&T> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Appends an item; a full tail becomes a shared chunk (moved, not copied).
    pub fn push(&mut self, item: T) {
        self.tail.push(item);
        if self.tail.len() == CHUNK_LEN {
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK_LEN));
            self.chunks.push(Arc::new(full));
        }
    }

    /// Items `start..end` in order (clamped to the length).
    pub fn range(&self, start: usize, end: usize) -> impl DoubleEndedIterator<Item = &T> + '_ {
        let end = end.min(self.len());
        let start = start.min(end);
        let first = start / CHUNK_LEN;
        let last = end.div_ceil(CHUNK_LEN);
        (first..last).flat_map(move |c| {
            let items: &[T] = match self.chunks.get(c) {
                Some(chunk) => chunk,
                None => &self.tail,
            };
            let lo = start.saturating_sub(c * CHUNK_LEN);
            let hi = (end - c * CHUNK_LEN).min(items.len());
            items[lo..hi].iter()
        })
    }

    /// Every item in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.range(0, self.len())
    }

    /// The number of leading items for which `pred` holds, when it holds for a prefix
    /// (a binary search, as `slice::partition_point`).
    pub fn partition_point(&self, end: usize, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0, end.min(self.len()));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid).is_some_and(&mut pred) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Chunks held, shared or not.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Pointers a clone copies besides the tail's items (a cost estimate).
    pub fn clone_pointers(&self) -> usize {
        self.chunks.clone_pointers()
    }
}

impl<T: Clone> ChunkVec<T> {
    /// Item `i`, writable: a chunk shared with a clone is copied first.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let c = i / CHUNK_LEN;
        if c < self.chunks.len() {
            let chunk = self.chunks.get_mut(c)?;
            Arc::make_mut(chunk).get_mut(i % CHUNK_LEN)
        } else if c == self.chunks.len() {
            self.tail.get_mut(i % CHUNK_LEN)
        } else {
            None
        }
    }

    /// Keeps the first `len` items. Cutting into a chunk copies its kept prefix into the
    /// tail (other clones keep the whole chunk).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        let c = len / CHUNK_LEN;
        if let Some(cut) = self.chunks.split_off_at(c) {
            self.tail = cut[..len % CHUNK_LEN].to_vec();
            self.tail.reserve(CHUNK_LEN - self.tail.len());
        } else {
            self.tail.truncate(len % CHUNK_LEN);
        }
    }

    /// Items `start..end` as a vector.
    pub fn to_vec_range(&self, start: usize, end: usize) -> Vec<T> {
        self.range(start, end).cloned().collect()
    }

    /// Every item as a vector.
    pub fn to_vec(&self) -> Vec<T> {
        self.iter().cloned().collect()
    }
}

impl<T: PartialEq> ChunkVec<T> {
    /// Shares the last full chunk with `other` when `other` holds an equal chunk at the same
    /// position (two vectors built from the same items, e.g. a node's raft log and its
    /// disk's copy): one chunk in memory instead of two. Called after a push sealed a
    /// chunk; costs one comparison of `CHUNK_LEN` items then.
    pub fn share_last_chunk_with(&mut self, other: &ChunkVec<T>) {
        let Some(c) = self.chunks.len().checked_sub(1) else {
            return;
        };
        if let (Some(mine), Some(theirs)) = (self.chunks.get(c), other.chunks.get(c)) {
            if !Arc::ptr_eq(mine, theirs) && mine == theirs {
                let theirs = Arc::clone(theirs);
                if let Some(slot) = self.chunks.get_mut(c) {
                    *slot = theirs;
                }
            }
        }
    }

    /// Shares every full chunk equal to the one at the same position in `other` (e.g. two
    /// nodes' logs over their common prefix): one copy in memory instead of one per node.
    /// Chunks already shared cost a pointer comparison, whole shared groups one per group.
    pub fn share_chunks_with(&mut self, other: &ChunkVec<T>) {
        self.chunks.share_with(&other.chunks);
    }

    /// Whether chunk `c` is the same allocation in both (for tests of sharing).
    pub fn shares_chunk_with(&self, other: &ChunkVec<T>, c: usize) -> bool {
        self.chunks.shares_chunk_with(&other.chunks, c)
    }
}

impl<T: Clone> Extend<T> for ChunkVec<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for item in iter {
            self.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        Push(u32),
        Truncate(usize),
        Set(usize, u32),
        Clone,
        ShareWithLastClone,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => any::<u32>().prop_map(Op::Push),
            1 => (0usize..400).prop_map(Op::Truncate),
            1 => (0usize..400, any::<u32>()).prop_map(|(i, v)| Op::Set(i, v)),
            1 => Just(Op::Clone),
            1 => Just(Op::ShareWithLastClone),
        ]
    }

    fn same(v: &ChunkVec<u32>, oracle: &[u32]) {
        assert_eq!(v.len(), oracle.len());
        assert_eq!(v.is_empty(), oracle.is_empty());
        assert_eq!(v.to_vec(), oracle);
        assert_eq!(v.last(), oracle.last());
        assert_eq!(v.iter().rev().copied().collect::<Vec<_>>(), {
            let mut r = oracle.to_vec();
            r.reverse();
            r
        });
        for i in [0, 1, 63, 64, 65, 127, 128, oracle.len(), oracle.len() + 1] {
            assert_eq!(v.get(i), oracle.get(i));
        }
    }

    proptest! {
        /// Every operation matches `Vec`, and clones taken along the way keep their own
        /// contents whatever the original does later (sharing is invisible).
        #[test]
        fn behaves_like_vec_and_clones_are_independent(
            ops in proptest::collection::vec(op(), 0..600),
            start in 0usize..300,
            len in 0usize..300,
        ) {
            let mut v = ChunkVec::new();
            let mut oracle: Vec<u32> = Vec::new();
            let mut clones: Vec<(ChunkVec<u32>, Vec<u32>)> = Vec::new();
            for op in ops {
                match op {
                    Op::Push(x) => { v.push(x); oracle.push(x); }
                    Op::Truncate(n) => { v.truncate(n); oracle.truncate(n); }
                    Op::Set(i, x) => {
                        let got = v.get_mut(i).map(|slot| *slot = x);
                        prop_assert_eq!(got.is_some(), i < oracle.len());
                        if let Some(slot) = oracle.get_mut(i) { *slot = x; }
                    }
                    Op::Clone => clones.push((v.clone(), oracle.clone())),
                    Op::ShareWithLastClone => {
                        if let Some((c, _)) = clones.last() {
                            v.share_chunks_with(c);
                        }
                    }
                }
            }
            same(&v, &oracle);
            for (c, o) in &clones {
                same(c, o);
            }
            let end = start + len;
            let expect: Vec<u32> = oracle[start.min(oracle.len())..end.min(oracle.len())].to_vec();
            prop_assert_eq!(v.to_vec_range(start, end), expect);
            let probe = oracle.len() / 2;
            let sorted: ChunkVec<u32> = (0..oracle.len() as u32).collect();
            prop_assert_eq!(sorted.partition_point(oracle.len(), |&x| (x as usize) < probe), probe);
        }
    }

    #[test]
    fn a_clone_shares_full_chunks_and_copies_only_the_tail() {
        let v: ChunkVec<u32> = (0..(3 * CHUNK_LEN as u32 + 5)).collect();
        let c = v.clone();
        assert_eq!(v.chunk_count(), 3);
        for i in 0..3 {
            assert!(v.shares_chunk_with(&c, i));
        }
        assert_eq!(c.tail.len(), 5);
    }

    #[test]
    fn a_clone_copies_one_pointer_per_group_of_chunks() {
        let chunks = 5 * GROUP_LEN + 2;
        let v: ChunkVec<u32> = (0..(chunks * CHUNK_LEN) as u32).collect();
        assert_eq!(v.chunk_count(), chunks);
        assert_eq!(v.clone_pointers(), 5 + 2);
    }

    #[test]
    fn logs_built_apart_share_every_equal_chunk_and_keep_the_ones_that_differ() {
        let len = (4 * GROUP_LEN + 1) * CHUNK_LEN + 7;
        let a: ChunkVec<u32> = (0..len as u32).collect();
        let mut b: ChunkVec<u32> = (0..len as u32).collect();
        // One item differs in chunk `odd`, inside a group.
        let odd = GROUP_LEN + 1;
        b[odd * CHUNK_LEN + 3] = u32::MAX;
        let before = b.to_vec();
        let checkpoint = b.clone();
        b.share_chunks_with(&a);
        assert_eq!(b.to_vec(), before, "sharing never changes the contents");
        assert_eq!(checkpoint.to_vec(), before, "nor a clone's");
        for c in 0..b.chunk_count() {
            assert_eq!(b.shares_chunk_with(&a, c), c != odd, "chunk {c}");
        }
        // A second pass changes nothing and the clone still shares what it shared.
        b.share_chunks_with(&a);
        assert!(!b.shares_chunk_with(&a, odd));
        assert!(checkpoint.shares_chunk_with(&b, odd));
    }

    #[test]
    fn equal_chunks_built_apart_are_shared_after_sealing() {
        let mut a: ChunkVec<u32> = ChunkVec::new();
        let mut b: ChunkVec<u32> = ChunkVec::new();
        for x in 0..CHUNK_LEN as u32 {
            a.push(x);
            b.push(x);
        }
        assert!(!b.shares_chunk_with(&a, 0));
        b.share_last_chunk_with(&a);
        assert!(b.shares_chunk_with(&a, 0));
        // A chunk that differs is not shared.
        let mut c: ChunkVec<u32> = (1..=CHUNK_LEN as u32).collect();
        c.share_last_chunk_with(&a);
        assert!(!c.shares_chunk_with(&a, 0));
        assert_eq!(c[0], 1);
    }

    #[test]
    fn truncating_into_a_shared_chunk_leaves_the_clone_whole() {
        let mut v: ChunkVec<u32> = (0..(2 * CHUNK_LEN as u32)).collect();
        let c = v.clone();
        v.truncate(CHUNK_LEN + 3);
        assert_eq!(v.len(), CHUNK_LEN + 3);
        assert!(v.shares_chunk_with(&c, 0));
        assert_eq!(c.len(), 2 * CHUNK_LEN);
        assert_eq!(c[2 * CHUNK_LEN - 1], 2 * CHUNK_LEN as u32 - 1);
    }
}
