//! The bounded trace: a ring of the newest records, and the running hash over all.

use super::{Fnv, TraceKind, TraceRecord};

/// The bounded trace with its running hash.
///
/// Invariants: `records.len() <= capacity`; the records form a ring whose oldest record is
/// at `head`; `head == 0` until the ring is full.
#[derive(Clone, Debug)]
pub struct Trace {
    records: Vec<TraceRecord>,
    head: usize,
    capacity: usize,
    total: u64,
    hash: Fnv,
}

impl Trace {
    /// An empty trace keeping at most `capacity` records (0 keeps none, hashing only).
    pub fn new(capacity: usize) -> Self {
        Trace {
            records: Vec::with_capacity(capacity.min(1024)),
            head: 0,
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
        self.keep(time_us, kind);
    }

    /// Keeps a hashed record, evicting the oldest at the bound.
    #[inline(always)]
    fn keep(&mut self, time_us: u64, kind: TraceKind) {
        let record = TraceRecord {
            seq: self.total,
            time_us,
            kind,
        };
        self.total += 1;
        if self.records.len() < self.capacity {
            self.records.push(record);
        } else if let Some(oldest) = self.records.get_mut(self.head) {
            // At the bound: the newest record replaces the oldest in place.
            *oldest = record;
            self.head += 1;
            if self.head == self.records.len() {
                self.head = 0;
            }
        }
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

    /// Records kept in memory, oldest first.
    pub fn records(&self) -> impl DoubleEndedIterator<Item = &TraceRecord> + ExactSizeIterator {
        let (len, head) = (self.records.len(), self.head);
        (0..len).map(move |k| {
            let i = head + k;
            &self.records[if i < len { i } else { i - len }]
        })
    }

    /// Records with `seq >= from`, at most `max` of them (the kept ones only).
    pub fn since(&self, from: u64, max: usize) -> impl Iterator<Item = &TraceRecord> {
        let first = self.records.get(self.head).map_or(self.total, |r| r.seq);
        let skip = from.saturating_sub(first) as usize;
        self.records().skip(skip).take(max)
    }

    /// The time of the newest kept record earlier than `t_us`. Exact whenever it is
    /// `Some` (the kept records are the newest ones, so none in between was dropped);
    /// `None` when no kept record is earlier: none happened, or the ring dropped them.
    pub fn time_before(&self, t_us: u64) -> Option<u64> {
        // The ring is two time-ordered runs: the newer `[..head]`, the older `[head..]`.
        let (newer, older) = self.records.split_at(self.head);
        [newer, older].into_iter().find_map(|run| {
            let i = run.partition_point(|r| r.time_us < t_us);
            i.checked_sub(1).map(|i| run[i].time_us)
        })
    }

    /// The configured bound.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Changes the bound (drops the oldest records if needed).
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        self.records.rotate_left(self.head);
        self.head = 0;
        let excess = self.records.len().saturating_sub(capacity);
        self.records.drain(..excess);
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
}
