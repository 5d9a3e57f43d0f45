//! The bounded trace: the newest records in shared blocks, and the running hash over all.
//!
//! ```text
//!   sealed: [Arc<block × block_len>] [..] [..]   open: block (< block_len)
//!            └── shared by every clone ──┘          └── copied by a clone
//! ```
//!
//! Every checkpoint is a clone of the world, trace included. A flat ring of 4,096 records
//! made each of the 64 checkpoints cost a third of a megabyte; in blocks, a clone copies the
//! open block and a pointer per sealed block.

use super::{Fnv, TraceKind, TraceRecord};
use std::collections::VecDeque;
use std::sync::Arc;

/// Records per block: at most this many, and at most 1/16 of the capacity, so that a clone
/// copies a small part of the ring.
const BLOCK_LEN_MAX: usize = 256;

/// The bounded trace with its running hash.
///
/// Invariants: `len == min(total, capacity)` records are kept, the newest ones, oldest
/// first: the sealed blocks from `skip` on, then `open`; each sealed block holds
/// `block_len` records; `open.len() < block_len`; `skip < block_len`.
#[derive(Clone, Debug)]
pub struct Trace {
    sealed: VecDeque<Arc<Vec<TraceRecord>>>,
    open: Vec<TraceRecord>,
    /// Records of the oldest sealed block already evicted.
    skip: usize,
    /// The buffer of the last evicted block, when no clone held it: the next open block.
    spare: Option<Vec<TraceRecord>>,
    len: usize,
    block_len: usize,
    capacity: usize,
    total: u64,
    hash: Fnv,
}

impl Trace {
    /// An empty trace keeping at most `capacity` records (0 keeps none, hashing only).
    pub fn new(capacity: usize) -> Self {
        let block_len = (capacity / 16).clamp(1, BLOCK_LEN_MAX);
        Trace {
            sealed: VecDeque::new(),
            open: Vec::with_capacity(block_len.min(capacity)),
            skip: 0,
            spare: None,
            len: 0,
            block_len,
            capacity,
            total: 0,
            hash: Fnv::default(),
        }
    }

    /// Records an event.
    #[inline(always)]
    pub fn push(&mut self, time_us: u64, kind: TraceKind) {
        self.hash.u64(time_us);
        kind.hash_into(&mut self.hash);
        let record = TraceRecord {
            seq: self.total,
            time_us,
            kind,
        };
        self.total += 1;
        self.keep(record);
    }

    /// Records a note: kept and drained like any record, not folded into the hash (a
    /// record derived from hashed ones, e.g. [`TraceKind::AppendRejected`]).
    #[cold]
    pub fn note(&mut self, time_us: u64, kind: TraceKind) {
        let record = TraceRecord {
            seq: self.total,
            time_us,
            kind,
        };
        self.total += 1;
        self.keep(record);
    }

    /// Keeps a record as the newest, evicting the oldest at the bound.
    #[inline(always)]
    fn keep(&mut self, record: TraceRecord) {
        if self.capacity == 0 {
            return;
        }
        self.open.push(record);
        self.len += 1;
        if self.open.len() == self.block_len {
            self.seal();
        }
        if self.len > self.capacity {
            self.len -= 1;
            self.skip += 1;
            if self.skip == self.block_len {
                self.skip = 0;
                if let Some(Ok(mut buffer)) = self.sealed.pop_front().map(Arc::try_unwrap) {
                    buffer.clear();
                    self.spare = Some(buffer);
                }
            }
        }
    }

    /// Moves the full open block into the shared ones.
    #[cold]
    fn seal(&mut self) {
        let next = self
            .spare
            .take()
            .unwrap_or_else(|| Vec::with_capacity(self.block_len));
        let full = std::mem::replace(&mut self.open, next);
        self.sealed.push_back(Arc::new(full));
    }

    /// Records ever pushed.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The hash over all records, 16 hex digits.
    pub fn hash_hex(&self) -> String {
        format!("{:016x}", self.hash.0)
    }

    /// The raw hash.
    pub fn hash(&self) -> u64 {
        self.hash.0
    }

    /// Kept record `k` (oldest first), for `k < len`.
    fn at(&self, k: usize) -> &TraceRecord {
        let i = self.skip + k;
        match self.sealed.get(i / self.block_len) {
            Some(block) => &block[i % self.block_len],
            None => &self.open[i - self.sealed.len() * self.block_len],
        }
    }

    /// Records kept in memory, oldest first.
    pub fn records(&self) -> impl DoubleEndedIterator<Item = &TraceRecord> + ExactSizeIterator {
        (0..self.len).map(move |k| self.at(k))
    }

    /// Records with `seq >= from`, at most `max` of them (the kept ones only).
    pub fn since(&self, from: u64, max: usize) -> impl Iterator<Item = &TraceRecord> {
        let first = self.total - self.len as u64;
        let skip = (from.saturating_sub(first) as usize).min(self.len);
        let end = skip.saturating_add(max).min(self.len);
        (skip..end).map(move |k| self.at(k))
    }

    /// The time of the newest kept record earlier than `t_us`. Exact whenever it is
    /// `Some` (the kept records are the newest ones, so none in between was dropped);
    /// `None` when no kept record is earlier: none happened, or the ring dropped them.
    pub fn time_before(&self, t_us: u64) -> Option<u64> {
        // Kept records are in time order: binary search over the positions.
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.at(mid).time_us < t_us {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.checked_sub(1).map(|k| self.at(k).time_us)
    }

    /// Drops all but the newest `n` kept records (the bound stays): a checkpoint keeps
    /// only the trace's recent past, since checkpoints far apart share no records.
    pub fn keep_newest(&mut self, n: usize) {
        while self.len > n {
            if self.sealed.is_empty() {
                let cut = self.len - n;
                self.open.drain(..cut);
                self.len = n;
                break;
            }
            let cut = (self.block_len - self.skip).min(self.len - n);
            self.skip += cut;
            self.len -= cut;
            if self.skip == self.block_len {
                self.skip = 0;
                self.sealed.pop_front();
            }
        }
    }

    /// The configured bound.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Changes the bound (drops the oldest records if needed).
    pub fn set_capacity(&mut self, capacity: usize) {
        let kept: Vec<TraceRecord> = self.records().cloned().collect();
        let mut resized = Trace::new(capacity);
        resized.total = self.total;
        resized.hash = self.hash;
        for r in kept.into_iter().skip(self.len.saturating_sub(capacity)) {
            resized.keep(r);
        }
        *self = resized;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft::NodeId;

    fn pushed(capacity: usize, n: u64) -> Trace {
        let mut t = Trace::new(capacity);
        for i in 0..n {
            t.push(i, TraceKind::Timer { node: NodeId(1) });
        }
        t
    }

    #[test]
    fn time_before_finds_the_newest_earlier_record_across_the_wrap() {
        let t = pushed(4, 10); // keeps times 6..=9, wrapped (head 2)
        assert_eq!(t.time_before(9), Some(8));
        assert_eq!(t.time_before(7), Some(6));
        assert_eq!(t.time_before(100), Some(9));
        // 6 is the oldest kept: earlier ones were dropped, so the answer is unknown.
        assert_eq!(t.time_before(6), None);
        assert_eq!(pushed(0, 10).time_before(5), None);
        let mut same = Trace::new(8);
        for time in [1, 3, 3, 3, 5] {
            same.push(time, TraceKind::Timer { node: NodeId(1) });
        }
        assert_eq!(same.time_before(5), Some(3));
        assert_eq!(same.time_before(3), Some(1));
        assert_eq!(same.time_before(1), None);
    }

    fn seqs<'a>(it: impl Iterator<Item = &'a TraceRecord>) -> Vec<u64> {
        it.map(|r| r.seq).collect()
    }

    #[test]
    fn ring_keeps_the_newest_records_oldest_first() {
        let t = pushed(4, 10);
        assert_eq!(seqs(t.records()), vec![6, 7, 8, 9]);
        assert_eq!(t.records().len(), 4);
        assert_eq!(seqs(t.records().rev()), vec![9, 8, 7, 6]);
        assert_eq!(seqs(t.since(7, 2)), vec![7, 8]);
        assert_eq!(seqs(t.since(0, 100)), vec![6, 7, 8, 9]);
        assert_eq!(t.total(), 10);
        assert_eq!(seqs(pushed(4, 3).records()), vec![0, 1, 2]);
        assert_eq!(pushed(0, 3).records().len(), 0);
    }

    #[test]
    fn resizing_a_wrapped_ring_keeps_order() {
        let mut t = pushed(4, 10);
        t.set_capacity(2);
        assert_eq!(seqs(t.records()), vec![8, 9]);
        t.set_capacity(3);
        t.push(10, TraceKind::Timer { node: NodeId(1) });
        t.push(11, TraceKind::Timer { node: NodeId(1) });
        assert_eq!(seqs(t.records()), vec![9, 10, 11]);
        assert_eq!(t.hash(), pushed(0, 12).hash());
    }

    #[test]
    fn a_clone_shares_the_sealed_blocks_and_both_go_on_alone() {
        let mut t = pushed(64, 200); // blocks of 4
        let c = t.clone();
        for (a, b) in t.sealed.iter().zip(c.sealed.iter()) {
            assert!(Arc::ptr_eq(a, b));
        }
        for i in 200..300 {
            t.push(i, TraceKind::Timer { node: NodeId(1) });
        }
        assert_eq!(seqs(c.records()), (136..200).collect::<Vec<_>>());
        assert_eq!(seqs(t.records()), (236..300).collect::<Vec<_>>());
        assert_eq!(t.hash(), pushed(0, 300).hash());
    }

    #[test]
    fn every_capacity_keeps_exactly_the_newest_records() {
        for capacity in [1, 2, 3, 16, 17, 31, 32, 33, 100, 4096] {
            for n in [
                0,
                1,
                capacity as u64 - 1,
                capacity as u64,
                3 * capacity as u64 + 5,
            ] {
                let t = pushed(capacity, n);
                let first = n.saturating_sub(capacity as u64);
                assert_eq!(
                    seqs(t.records()),
                    (first..n).collect::<Vec<_>>(),
                    "{capacity} {n}"
                );
                assert_eq!(t.records().len() as u64, n - first);
            }
        }
    }

    #[test]
    fn keeping_the_newest_drops_the_oldest_and_the_ring_refills_to_its_bound() {
        for keep in [0, 1, 3, 4, 5, 20, 64, 100] {
            let mut t = pushed(64, 200); // blocks of 4
            t.keep_newest(keep);
            let first = 200 - keep.min(64) as u64;
            assert_eq!(
                seqs(t.records()),
                (first..200).collect::<Vec<_>>(),
                "keep {keep}"
            );
            assert_eq!(t.time_before(200), (keep > 0).then_some(199));
            for i in 200..300 {
                t.push(i, TraceKind::Timer { node: NodeId(1) });
            }
            assert_eq!(
                seqs(t.records()),
                (236..300).collect::<Vec<_>>(),
                "keep {keep}"
            );
        }
    }
}
