//! Linearizable reads without the log: the ReadIndex queue (§6.4) and the leader lease
//! (§6.4.1), both confirmed by heartbeat rounds.
//!
//! A leader numbers its heartbeat rounds. A read is recorded at the commit index (once
//! the leader has committed an entry of its term) and waits for a quorum to acknowledge a
//! round started after it. The lease runs from the send time of the latest round a quorum
//! acknowledged, for `election_timeout_us_min - lease_clock_drift_us_max`; under a valid
//! lease a read is served at once. Once TimeoutNow has gone out (leadership transfer),
//! another node may lead without waiting for this lease, so the lease is off for the rest
//! of the term.

use crate::config::{Config, ReadMode};
use crate::event::Event;
use crate::ready::{ReadId, ReadState};
use crate::types::LogIndex;
use std::collections::VecDeque;

/// At most this many heartbeat rounds' send times are remembered for the lease. Dropping
/// the oldest only makes a future lease shorter (never unsafe).
const ROUND_SEND_TIMES_MAX: usize = 1024;

/// A heartbeat round's number and when it went out (node-local µs).
#[derive(Clone, Copy, Debug)]
struct RoundSent {
    round: u64,
    sent_us: u64,
}

/// A read waiting for a quorum to acknowledge `round`.
#[derive(Clone, Copy, Debug)]
struct PendingRead {
    id: ReadId,
    index: LogIndex,
    round: u64,
}

/// The leader's read state: heartbeat rounds, the reads waiting on them, the lease.
///
/// Invariants: `quorum_round <= round`; `pending` is ordered by round, each above
/// `quorum_round` and at most `round`; `round_sent` holds rounds above `quorum_round`,
/// oldest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reads {
    /// The latest heartbeat round started.
    round: u64,
    /// Send times of recent rounds not yet acknowledged by a quorum, oldest first.
    round_sent: VecDeque<RoundSent>,
    /// The latest round a quorum (counting the leader) acknowledged.
    quorum_round: u64,
    lease_until_us: Option<u64>,
    /// Set once TimeoutNow went out.
    lease_disabled: bool,
    /// Reads waiting until this leader commits an entry of its own term.
    waiting: Vec<ReadId>,
    /// Reads waiting for a quorum to acknowledge their round.
    pending: VecDeque<PendingRead>,
}

impl Reads {
    /// The latest heartbeat round started.
    pub(crate) fn round(&self) -> u64 {
        self.round
    }

    /// The latest round a quorum acknowledged.
    pub(crate) fn quorum_round(&self) -> u64 {
        self.quorum_round
    }

    /// Starts a heartbeat round at `now_us` and returns its number.
    pub(crate) fn start_round(&mut self, now_us: u64, config: &Config) -> u64 {
        self.round += 1;
        let horizon = config.election_timeout_us_min;
        while self
            .round_sent
            .front()
            .is_some_and(|r| r.sent_us + horizon <= now_us)
            || self.round_sent.len() >= ROUND_SEND_TIMES_MAX
        {
            self.round_sent.pop_front();
        }
        self.round_sent.push_back(RoundSent {
            round: self.round,
            sent_us: now_us,
        });
        self.round
    }

    /// A quorum has now acknowledged round `q`: serve the reads waiting on it (into
    /// `served`) and extend the lease from that round's send time.
    pub(crate) fn on_quorum_round(
        &mut self,
        q: u64,
        config: &Config,
        served: &mut Vec<ReadState>,
        events: &mut Vec<Event>,
    ) {
        if q <= self.quorum_round {
            return;
        }
        self.quorum_round = q;
        while let Some(r) = self.pending.front().filter(|r| r.round <= q).copied() {
            self.pending.pop_front();
            served.push(ReadState {
                id: r.id,
                index: r.index,
            });
        }
        let mut sent = None;
        while let Some(&r) = self.round_sent.front() {
            if r.round > q {
                break;
            }
            if r.round == q {
                sent = Some(r.sent_us);
            }
            self.round_sent.pop_front();
        }
        if let (ReadMode::Lease, Some(t), false) = (config.read_mode, sent, self.lease_disabled) {
            let until = t + config.election_timeout_us_min - config.lease_clock_drift_us_max;
            if self.lease_until_us.is_none_or(|u| until > u) {
                self.lease_until_us = Some(until);
                events.push(Event::LeaseExtended { until_us: until });
            }
        }
    }

    /// The lease end if the lease is usable at `now_us` (lease mode only).
    pub(crate) fn valid_lease(&self, config: &Config, now_us: u64) -> Option<u64> {
        if config.read_mode != ReadMode::Lease || self.lease_disabled {
            return None;
        }
        self.lease_until_us.filter(|&u| now_us < u)
    }

    /// Turns the lease off for the rest of the term (TimeoutNow was sent).
    pub(crate) fn disable_lease(&mut self) {
        self.lease_disabled = true;
    }

    /// Parks reads until the leader has committed an entry of its own term.
    pub(crate) fn wait_for_own_term(&mut self, id: ReadId) {
        self.waiting.push(id);
    }

    /// The reads parked by [`Reads::wait_for_own_term`], now to be started.
    pub(crate) fn take_waiting(&mut self) -> Vec<ReadId> {
        std::mem::take(&mut self.waiting)
    }

    /// Reads at commit index `index`: served at once under a valid lease (returns true),
    /// else queued for the next round (returns false: the caller starts that round).
    pub(crate) fn accept(
        &mut self,
        ids: &[ReadId],
        index: LogIndex,
        config: &Config,
        now_us: u64,
        served: &mut Vec<ReadState>,
    ) -> bool {
        if self.valid_lease(config, now_us).is_some() {
            served.extend(ids.iter().map(|&id| ReadState { id, index }));
            return true;
        }
        let round = self.round + 1;
        self.pending
            .extend(ids.iter().map(|&id| PendingRead { id, index, round }));
        false
    }

    /// Every read not yet served, in the order accepted (leadership was lost).
    pub(crate) fn into_unserved(self) -> impl Iterator<Item = ReadId> {
        self.waiting
            .into_iter()
            .chain(self.pending.into_iter().map(|r| r.id))
    }

    /// Checks the invariants on [`Reads`].
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.quorum_round > self.round {
            return Err(format!(
                "quorum round {} beyond round {}",
                self.quorum_round, self.round
            ));
        }
        let mut after = self.quorum_round;
        for r in &self.pending {
            if r.round < after || r.round <= self.quorum_round || r.round > self.round {
                return Err(format!(
                    "pending read {} at round {} out of order",
                    r.id, r.round
                ));
            }
            after = r.round;
        }
        Ok(())
    }
}
