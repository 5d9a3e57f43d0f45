//! The event queue: what happens next, in (time, sequence number) order.

use raft::NodeId;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ev {
    Deliver(u32),
    Timer(NodeId),
    ClientTimer(u32),
    ClientNext(u32),
}

impl Ev {
    /// The event as one word: kind in the high half, index in the low half.
    #[inline(always)]
    pub(super) fn encode(self) -> u64 {
        let (kind, i) = match self {
            Ev::Deliver(i) => (0u64, i),
            Ev::Timer(n) => (1, n.0),
            Ev::ClientTimer(i) => (2, i),
            Ev::ClientNext(i) => (3, i),
        };
        kind << 32 | u64::from(i)
    }
    #[inline(always)]
    pub(super) fn decode(code: u64) -> Ev {
        let i = code as u32;
        match code >> 32 {
            0 => Ev::Deliver(i),
            1 => Ev::Timer(NodeId(i)),
            2 => Ev::ClientTimer(i),
            _ => Ev::ClientNext(i),
        }
    }
}

/// A queue item. The event is kept encoded in one word: written as an enum (tag and index
/// by separate 4-byte stores), it was read back whole by the heap's next sift, a load
/// that cannot be forwarded from those stores and stalled every push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct QItem {
    pub(super) at: u64,
    pub(super) seq: u64,
    pub(super) ev_code: u64,
}

impl QItem {
    #[inline(always)]
    pub(super) fn ev(&self) -> Ev {
        Ev::decode(self.ev_code)
    }

    /// (time, sequence number) as one integer, compared without branches.
    #[inline(always)]
    pub(super) fn key(&self) -> u128 {
        u128::from(self.at) << 64 | u128::from(self.seq)
    }
}

impl Ord for QItem {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on (time, sequence number): a total, deterministic order.
        other.key().cmp(&self.key())
    }
}
impl PartialOrd for QItem {
    #[inline(always)]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
    // The heap sifts with `<=`: one integer comparison, no `Ordering` in between.
    #[inline(always)]
    fn le(&self, other: &Self) -> bool {
        other.key() <= self.key()
    }
    #[inline(always)]
    fn lt(&self, other: &Self) -> bool {
        other.key() < self.key()
    }
    #[inline(always)]
    fn ge(&self, other: &Self) -> bool {
        other.key() >= self.key()
    }
    #[inline(always)]
    fn gt(&self, other: &Self) -> bool {
        other.key() > self.key()
    }
}

/// The event queue: a min-queue on (time, sequence number). Client timeouts have a heap of
/// their own: most of them are stale (the operation completed first) and would otherwise
/// deepen the heap that every delivery goes through. A pop takes the earlier of the two
/// tops, so items come out in exactly the order of a single heap.
#[derive(Clone, Debug, Default)]
pub(super) struct EventQueue {
    pub(super) main: BinaryHeap<QItem>,
    pub(super) client_timers: BinaryHeap<QItem>,
}

impl EventQueue {
    pub(super) fn push(&mut self, item: QItem) {
        match item.ev() {
            Ev::ClientTimer(_) => self.client_timers.push(item),
            _ => self.main.push(item),
        }
    }

    /// Whether the earliest item is in `main` (false when both are empty).
    #[inline]
    pub(super) fn first_in_main(&self) -> bool {
        match (self.main.peek(), self.client_timers.peek()) {
            // `QItem`'s order is reversed: the greater item is the earlier one.
            (Some(m), Some(c)) => m > c,
            (m, _) => m.is_some(),
        }
    }

    #[inline]
    pub(super) fn peek(&self) -> Option<&QItem> {
        if self.first_in_main() {
            self.main.peek()
        } else {
            self.client_timers.peek()
        }
    }

    /// Removes and returns the earliest item if it is due at or before `t_us` (`peek` and
    /// `pop` in one: the two heaps' tops are compared once).
    #[inline]
    pub(super) fn pop_due(&mut self, t_us: u64) -> Option<QItem> {
        let heap = if self.first_in_main() {
            &mut self.main
        } else {
            &mut self.client_timers
        };
        match heap.peek() {
            Some(top) if top.at <= t_us => heap.pop(),
            _ => None,
        }
    }
}
