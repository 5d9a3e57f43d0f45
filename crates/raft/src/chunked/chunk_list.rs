//! The sealed chunks of a [`super::ChunkVec`], grouped so that a clone copies one pointer
//! per group of chunks instead of one per chunk.
//!
//! ```text
//!   groups: [Arc<[chunk × GROUP_LEN]>] [..]   open: [chunk] (< GROUP_LEN)
//!            └── shared by every clone ─┘           └── pointers copied by a clone
//! ```
//!
//! A world checkpointed 64 times over an hour holds 64 clones of every log: with one
//! pointer per chunk their pointer arrays alone grew with the run (a few hundred kilobytes
//! per checkpoint after an hour); grouped, a clone costs `len / (CHUNK_LEN × GROUP_LEN)`
//! pointers plus at most `GROUP_LEN`.
//!
//! Invariants: every group holds exactly [`GROUP_LEN`] chunks; `open.len() < GROUP_LEN`;
//! chunk `c` lives in group `c / GROUP_LEN` at `c % GROUP_LEN`, or in `open`.

use std::sync::Arc;

/// Chunks per shared group.
#[cfg(not(test))]
pub const GROUP_LEN: usize = 64;
/// Chunks per shared group: small in unit tests, so that the property tests cross group
/// boundaries with short vectors.
#[cfg(test)]
pub const GROUP_LEN: usize = 3;

/// One sealed chunk of items.
pub(super) type Chunk<T> = Arc<Vec<T>>;

/// A persistent list of chunks: full groups shared between clones, an open group copied.
pub(super) struct ChunkList<T> {
    groups: Vec<Arc<Vec<Chunk<T>>>>,
    open: Vec<Chunk<T>>,
}

impl<T> Default for ChunkList<T> {
    fn default() -> Self {
        ChunkList {
            groups: Vec::new(),
            open: Vec::new(),
        }
    }
}

impl<T> Clone for ChunkList<T> {
    fn clone(&self) -> Self {
        ChunkList {
            groups: self.groups.clone(),
            open: self.open.clone(),
        }
    }
}

impl<T> ChunkList<T> {
    /// Chunks held.
    #[inline]
    pub fn len(&self) -> usize {
        self.groups.len() * GROUP_LEN + self.open.len()
    }

    /// No chunks.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.open.is_empty()
    }

    /// Chunk `c`.
    #[inline]
    pub fn get(&self, c: usize) -> Option<&Chunk<T>> {
        let g = c / GROUP_LEN;
        match self.groups.get(g) {
            Some(group) => group.get(c % GROUP_LEN),
            None if g == self.groups.len() => self.open.get(c % GROUP_LEN),
            None => None,
        }
    }

    /// Chunk `c`'s slot, writable: a group shared with a clone is copied first (its
    /// pointers, not its chunks).
    pub fn get_mut(&mut self, c: usize) -> Option<&mut Chunk<T>> {
        let g = c / GROUP_LEN;
        if g < self.groups.len() {
            Arc::make_mut(&mut self.groups[g]).get_mut(c % GROUP_LEN)
        } else if g == self.groups.len() {
            self.open.get_mut(c % GROUP_LEN)
        } else {
            None
        }
    }

    /// Appends a chunk; a full open group becomes a shared group.
    pub fn push(&mut self, chunk: Chunk<T>) {
        self.open.push(chunk);
        if self.open.len() == GROUP_LEN {
            let full = std::mem::replace(&mut self.open, Vec::with_capacity(GROUP_LEN));
            self.groups.push(Arc::new(full));
        }
    }

    /// Removes chunk `c` and every later one; returns chunk `c` when there was one.
    pub fn split_off_at(&mut self, c: usize) -> Option<Chunk<T>> {
        let cut = Arc::clone(self.get(c)?);
        let g = c / GROUP_LEN;
        if g < self.groups.len() {
            self.open = self.groups[g][..c % GROUP_LEN].to_vec();
            self.open.reserve(GROUP_LEN - self.open.len());
            self.groups.truncate(g);
        } else {
            self.open.truncate(c % GROUP_LEN);
        }
        Some(cut)
    }

    /// Pointers a clone copies: one per group and one per open chunk.
    pub fn clone_pointers(&self) -> usize {
        self.groups.len() + self.open.len()
    }
}

impl<T: PartialEq> ChunkList<T> {
    /// Points every chunk of `self` that equals the chunk at the same position in `other`
    /// to `other`'s copy; a group whose chunks all match is shared whole. Already shared
    /// groups and chunks cost one pointer comparison each.
    pub fn share_with(&mut self, other: &ChunkList<T>) {
        let same = |a: &Chunk<T>, b: &Chunk<T>| Arc::ptr_eq(a, b) || a == b;
        let groups = self.groups.len().min(other.groups.len());
        for g in 0..groups {
            let theirs = &other.groups[g];
            if Arc::ptr_eq(&self.groups[g], theirs) {
                continue;
            }
            if self.groups[g]
                .iter()
                .zip(theirs.iter())
                .all(|(a, b)| same(a, b))
            {
                self.groups[g] = Arc::clone(theirs);
                continue;
            }
            let adoptable = |(a, b): (&Chunk<T>, &Chunk<T>)| !Arc::ptr_eq(a, b) && a == b;
            if !self.groups[g].iter().zip(theirs.iter()).any(adoptable) {
                continue;
            }
            let mine = Arc::make_mut(&mut self.groups[g]);
            for (a, b) in mine.iter_mut().zip(theirs.iter()) {
                if adoptable((&*a, b)) {
                    *a = Arc::clone(b);
                }
            }
        }
        // Chunks past the shared groups: compared before any write, so that a group shared
        // with a clone is copied only when one of its chunks really changes.
        for c in groups * GROUP_LEN..self.len().min(other.len()) {
            let (Some(mine), Some(theirs)) = (self.get(c), other.get(c)) else {
                break;
            };
            if Arc::ptr_eq(mine, theirs) || mine != theirs {
                continue;
            }
            let theirs = Arc::clone(theirs);
            if let Some(slot) = self.get_mut(c) {
                *slot = theirs;
            }
        }
    }

    /// Whether chunk `c` is the same allocation in both.
    pub fn shares_chunk_with(&self, other: &ChunkList<T>, c: usize) -> bool {
        match (self.get(c), other.get(c)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}
