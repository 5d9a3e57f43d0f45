//! The in-memory log behind a small interface.
//!
//! All log access in the node goes through [`RaftLog`]. The entries before a compaction
//! point are replaced by the snapshot's last included id (`snapshot`, `0/0` without one):
//! `entries[i]` has index `snapshot.index + i + 1`. The entries sit in a [`ChunkVec`]: a
//! copy of the node (a simulator checkpoint) shares every full chunk of the log instead of
//! copying it.
//!
//! Invariants: indexes are consecutive from `snapshot.index + 1`; terms never decrease
//! along the log, from `snapshot.term` on.

use crate::chunked::ChunkVec;
use crate::entry::Entry;
use crate::types::{EntryId, LogIndex, Term};
use std::sync::Arc;

/// One node's log.
#[derive(Clone, Debug)]
pub(crate) struct RaftLog<C> {
    /// The last entry the snapshot replaces (`0/0` when there is none).
    snapshot: EntryId,
    entries: ChunkVec<Entry<C>>,
    /// The latest range handed out by [`RaftLog::shared_slice`], with its first index.
    /// Appends leave it valid; a truncation clears it.
    shared: Option<(LogIndex, Arc<[Entry<C>]>)>,
    /// The empty range, allocated once.
    empty: Arc<[Entry<C>]>,
}

impl<C> RaftLog<C> {
    /// A log holding `entries` after the snapshot's last id `snapshot` (`0/0` for none);
    /// `Err` names the first misplaced entry.
    pub(crate) fn new(snapshot: EntryId, entries: Vec<Entry<C>>) -> Result<Self, String> {
        let mut prev_term = snapshot.term;
        for (i, e) in entries.iter().enumerate() {
            let at = snapshot.index.0 + i as u64 + 1;
            if e.id.index != LogIndex(at) {
                return Err(format!("entry {} at position {at}", e.id));
            }
            if e.id.term < prev_term {
                return Err(format!(
                    "entry {} has a lower term than its predecessor",
                    e.id
                ));
            }
            prev_term = e.id.term;
        }
        Ok(RaftLog {
            snapshot,
            entries: entries.into(),
            shared: None,
            empty: Arc::new([]),
        })
    }

    /// Index of the last entry (the snapshot's when there are no entries after it).
    pub(crate) fn last_index(&self) -> LogIndex {
        LogIndex(self.snapshot.index.0 + self.entries.len() as u64)
    }

    /// Id of the last entry (the snapshot's, `0/0` when empty).
    pub(crate) fn last_id(&self) -> EntryId {
        self.entries.last().map_or(self.snapshot, |e| e.id)
    }

    /// The last id the snapshot replaces (`0/0` when there is no snapshot).
    pub(crate) fn snapshot_id(&self) -> EntryId {
        self.snapshot
    }

    /// The position in `entries` of `index`, which must follow the snapshot.
    fn pos(&self, index: LogIndex) -> usize {
        debug_assert!(index > self.snapshot.index, "{index} is compacted");
        (index.0 - self.snapshot.index.0 - 1) as usize
    }

    /// The term of the entry at `index`: the snapshot's term at its index (`t0` at index 0),
    /// `None` before it (compacted) or past the end.
    pub(crate) fn term_at(&self, index: LogIndex) -> Option<Term> {
        if index <= self.snapshot.index {
            return (index == self.snapshot.index).then_some(self.snapshot.term);
        }
        self.entries.get(self.pos(index)).map(|e| e.id.term)
    }

    /// Whether the log holds the entry `id` (index 0 always matches).
    pub(crate) fn matches(&self, id: EntryId) -> bool {
        self.term_at(id.index) == Some(id.term)
    }

    /// All entries after the snapshot.
    pub(crate) fn entries(&self) -> &ChunkVec<Entry<C>> {
        &self.entries
    }

    /// Entries `from..=to` (empty when `from > to`). Both must lie within
    /// `snapshot.index + 1..=last`.
    pub(crate) fn range(
        &self,
        from: LogIndex,
        to: LogIndex,
    ) -> impl DoubleEndedIterator<Item = &Entry<C>> + '_ {
        let (start, end) = if from > to {
            (0, 0)
        } else {
            (self.pos(from), self.pos(to) + 1)
        };
        self.entries.range(start, end)
    }

    /// Entries `from..=to` like [`RaftLog::slice`], as a shared copy: asked for the same
    /// range again (the AppendEntries for each follower in step), it hands out the same
    /// copy instead of cloning the entries again.
    pub(crate) fn shared_slice(&mut self, from: LogIndex, to: LogIndex) -> Arc<[Entry<C>]>
    where
        C: Clone,
    {
        if from > to {
            return Arc::clone(&self.empty);
        }
        if let Some((first, shared)) = &self.shared {
            if *first == from && shared.len() as u64 == to.0 - from.0 + 1 {
                return Arc::clone(shared);
            }
        }
        let shared: Arc<[Entry<C>]> = self.range(from, to).cloned().collect();
        self.shared = Some((from, Arc::clone(&shared)));
        shared
    }

    /// See [`crate::Node::share_log_chunks_with`].
    pub(crate) fn share_chunks_with(&mut self, other: &ChunkVec<Entry<C>>)
    where
        C: PartialEq,
    {
        self.entries.share_chunks_with(other);
    }

    /// Appends one entry, which must directly follow the last one.
    pub(crate) fn append(&mut self, entry: Entry<C>) {
        debug_assert_eq!(entry.id.index, self.last_index().next(), "log append gap");
        debug_assert!(entry.id.term >= self.last_id().term, "log term decreases");
        self.entries.push(entry);
    }

    /// Removes the entries at `from` and after; returns their ids.
    pub(crate) fn truncate_from(&mut self, from: LogIndex) -> Vec<EntryId>
    where
        C: Clone,
    {
        let keep = from.0.saturating_sub(self.snapshot.index.0 + 1) as usize;
        // The shared range may hold removed entries.
        self.shared = None;
        if keep >= self.entries.len() {
            return Vec::new();
        }
        let removed = (self.entries.range(keep, usize::MAX))
            .map(|e| e.id)
            .collect();
        self.entries.truncate(keep);
        removed
    }

    /// The last entry at or below `at_or_below` whose term is at most `term` (`0/0` when
    /// none). Terms never decrease along the log, so this is a binary search.
    pub(crate) fn last_id_with_term_at_most(&self, at_or_below: LogIndex, term: Term) -> EntryId {
        // Before the first entry only the snapshot's id is known.
        let snapshot = if self.snapshot.term <= term {
            self.snapshot
        } else {
            EntryId::default()
        };
        let end =
            (at_or_below.0.saturating_sub(self.snapshot.index.0) as usize).min(self.entries.len());
        // The common case (a follower behind a leader of the same term, e.g. after messages
        // were reordered) is answered by the entry at the bound itself.
        match end.checked_sub(1).map(|i| self.entries[i].id) {
            Some(id) if id.term <= term => return id,
            None => return snapshot,
            Some(_) => {}
        }
        let n = self.entries.partition_point(end, |e| e.id.term <= term);
        if n == 0 {
            snapshot
        } else {
            self.entries[n - 1].id
        }
    }

    /// Replaces the entries up to `id` by a snapshot whose last included entry is `id`:
    /// the entries after it stay when the log holds `id` (a compaction, or a snapshot the
    /// log agrees with), else the whole log goes (§7: a snapshot that conflicts with or
    /// reaches beyond the log replaces it). `id` must follow the current snapshot.
    pub(crate) fn compact_to(&mut self, id: EntryId)
    where
        C: Clone,
    {
        debug_assert!(id.index > self.snapshot.index, "compacting backwards");
        let rest = if self.matches(id) {
            let start = self.pos(id.index) + 1;
            self.entries.to_vec_range(start, self.entries.len())
        } else {
            Vec::new()
        };
        self.entries = rest.into();
        self.snapshot = id;
        self.shared = None;
    }

    /// Whether a candidate whose last entry is `last` has a log at least as up to date as
    /// this one (§5.4.1): a later last term, or the same last term and at least as long.
    pub(crate) fn candidate_is_up_to_date(&self, last: EntryId) -> bool {
        let mine = self.last_id();
        (last.term, last.index) >= (mine.term, mine.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::EntryPayload;

    fn log(terms: &[u64]) -> RaftLog<()> {
        let entries = terms
            .iter()
            .enumerate()
            .map(|(i, &t)| Entry {
                id: EntryId::new(t, i as u64 + 1),
                payload: EntryPayload::Noop,
            })
            .collect();
        RaftLog::new(EntryId::default(), entries).unwrap()
    }

    #[test]
    fn shared_slice_is_reused_for_the_same_range_and_rebuilt_after_a_truncation() {
        let mut l = log(&[1, 1, 2]);
        let a = l.shared_slice(LogIndex(2), LogIndex(3));
        assert_eq!(
            a.to_vec(),
            l.range(LogIndex(2), LogIndex(3))
                .cloned()
                .collect::<Vec<_>>()
        );
        assert!(Arc::ptr_eq(&a, &l.shared_slice(LogIndex(2), LogIndex(3))));
        // Another range, and the empty one.
        assert_eq!(
            l.shared_slice(LogIndex(1), LogIndex(3)).to_vec(),
            l.entries().to_vec()
        );
        assert!(l.shared_slice(LogIndex(4), LogIndex(3)).is_empty());
        // A truncation, then a different entry at the same index: the range is rebuilt.
        let b = l.shared_slice(LogIndex(2), LogIndex(3));
        l.truncate_from(LogIndex(3));
        l.append(Entry {
            id: EntryId::new(3, 3),
            payload: EntryPayload::Noop,
        });
        let c = l.shared_slice(LogIndex(2), LogIndex(3));
        assert!(!Arc::ptr_eq(&b, &c));
        assert_eq!(c[1].id, EntryId::new(3, 3));
    }

    #[test]
    fn term_at_index_zero_is_zero_and_past_end_is_none() {
        let l = log(&[1, 1, 2]);
        assert_eq!(l.term_at(LogIndex(0)), Some(Term(0)));
        assert_eq!(l.term_at(LogIndex(3)), Some(Term(2)));
        assert_eq!(l.term_at(LogIndex(4)), None);
    }

    #[test]
    fn last_id_with_term_at_most_finds_the_last_entry_of_an_earlier_term() {
        let l = log(&[1, 1, 2, 2, 4, 4, 4]);
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(7), Term(3)),
            EntryId::new(2, 4)
        );
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(3), Term(4)),
            EntryId::new(2, 3)
        );
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(100), Term(9)),
            EntryId::new(4, 7)
        );
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(7), Term(0)),
            EntryId::default()
        );
    }

    proptest::proptest! {
        #[test]
        fn last_id_with_term_at_most_matches_a_scan(
            steps in proptest::collection::vec(0u64..3, 0..40),
            at_or_below in 0u64..45,
            term in 0u64..12,
        ) {
            // Non-decreasing terms from 1.
            let terms: Vec<u64> = steps.iter().scan(1, |t, d| { *t += d; Some(*t) }).collect();
            let l = log(&terms);
            let scan = l.entries().to_vec()[..(at_or_below as usize).min(terms.len())]
                .iter()
                .rev()
                .find(|e| e.id.term.0 <= term)
                .map_or(EntryId::default(), |e| e.id);
            proptest::prop_assert_eq!(
                l.last_id_with_term_at_most(LogIndex(at_or_below), Term(term)),
                scan
            );
        }
    }

    #[test]
    fn new_rejects_gaps_and_decreasing_terms() {
        let gap = vec![Entry::<()> {
            id: EntryId::new(1, 2),
            payload: EntryPayload::Noop,
        }];
        assert!(RaftLog::new(EntryId::default(), gap).is_err());
        let down = vec![
            Entry::<()> {
                id: EntryId::new(2, 1),
                payload: EntryPayload::Noop,
            },
            Entry {
                id: EntryId::new(1, 2),
                payload: EntryPayload::Noop,
            },
        ];
        assert!(RaftLog::new(EntryId::default(), down).is_err());
    }

    #[test]
    fn a_compacted_log_answers_from_the_snapshot_id_before_its_first_entry() {
        let mut l = log(&[1, 1, 2, 2, 3]);
        l.compact_to(EntryId::new(2, 3));
        assert_eq!(l.snapshot_id(), EntryId::new(2, 3));
        assert_eq!((l.last_index(), l.entries().len()), (LogIndex(5), 2));
        assert_eq!(l.term_at(LogIndex(3)), Some(Term(2)));
        assert_eq!(l.term_at(LogIndex(2)), None, "compacted");
        assert_eq!(l.range(LogIndex(4), LogIndex(5)).count(), 2);
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(9), Term(2)),
            EntryId::new(2, 4)
        );
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(2), Term(2)),
            EntryId::new(2, 3)
        );
        assert_eq!(
            l.last_id_with_term_at_most(LogIndex(9), Term(1)),
            EntryId::default()
        );
        assert_eq!(l.truncate_from(LogIndex(5)), vec![EntryId::new(3, 5)]);
        // A snapshot the log does not hold replaces it entirely.
        l.compact_to(EntryId::new(4, 9));
        assert_eq!((l.last_id(), l.entries().len()), (EntryId::new(4, 9), 0));
        let again = RaftLog::<()>::new(EntryId::new(4, 9), vec![]).unwrap();
        assert_eq!(again.last_id(), EntryId::new(4, 9));
    }

    #[test]
    fn truncate_returns_removed_ids() {
        let mut l = log(&[1, 1, 2]);
        assert_eq!(
            l.truncate_from(LogIndex(2)),
            vec![EntryId::new(1, 2), EntryId::new(2, 3)]
        );
        assert_eq!(l.last_id(), EntryId::new(1, 1));
        assert!(l.truncate_from(LogIndex(5)).is_empty());
    }
}
