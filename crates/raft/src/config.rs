//! Node configuration: timing, optional protocol extensions, limits and teaching toggles.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a leader serves linearizable reads that do not go through the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadMode {
    /// ReadIndex (§6.4): record the commit index, confirm leadership with a quorum
    /// heartbeat round, serve once `applied >= read index`.
    #[default]
    ReadIndex,
    /// Lease reads (§6.4.1): while the leader holds a lease, serve at the commit index with
    /// no round trip. The lease runs from the send time of the last heartbeat round a quorum
    /// acknowledged, for `election_timeout_us_min - lease_clock_drift_us_max`. Safe only
    /// while clocks drift less than the bound and followers honour the "heard from a leader
    /// recently" rule (PreVote or CheckQuorum on); outside the lease it falls back to
    /// ReadIndex. Once a leadership transfer has sent TimeoutNow, the lease is off for the
    /// rest of the term.
    Lease,
}

/// Rules that can be switched off on purpose so a learner can watch the safety monitors and
/// the linearizability checker catch the resulting bug. All are off (rules enforced) by
/// default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeachingToggles {
    /// Grant votes without the "candidate's log is at least as up-to-date" check (§5.4.1).
    /// Breaks Leader Completeness: a leader missing committed entries can be elected and
    /// overwrite them on followers (a committed entry is lost; State Machine Safety fails).
    pub vote_without_log_check: bool,
    /// Commit entries of earlier terms by counting replicas (§5.4.2, Figure 8). Breaks
    /// Leader Completeness / State Machine Safety: an entry counted as committed can later
    /// be overwritten by a leader of a higher term that never had it.
    pub commit_old_terms_by_counting: bool,
    /// Do not persist the vote: a restarted node forgets whom it voted for in its term and
    /// may vote twice (§5.2). Breaks Election Safety: two leaders in one term. Implemented
    /// by handing the driver a `HardState` whose `vote` is always `None`; the in-memory vote
    /// still holds until the crash.
    pub forget_vote_on_restart: bool,
    /// Do not append a no-op entry on becoming leader (§8). With the current-term commit
    /// rule, entries of earlier terms then stay uncommitted until a client writes, and
    /// ReadIndex cannot serve reads until then (reads stall rather than go wrong).
    pub skip_noop_on_election: bool,
    /// Let a leader propose a membership change before it has committed an entry of its
    /// own term (the fix to single-server changes, Ongaro's raft-dev post of 2015, §4.1 of
    /// the dissertation's errata). Breaks Election Safety: a change proposed by a new
    /// leader can commit in a configuration that does not overlap with an uncommitted
    /// change of the previous leader, so each configuration elects its own leader — two
    /// leaders in one term.
    pub change_membership_before_own_term_commit: bool,
}

/// Per-node protocol configuration. Times are in microseconds of the node's local clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The lower bound of the randomized election timeout. The driver supplies each actual
    /// timeout (see [`crate::Node::set_election_timeout`]); this bound is what the lease and
    /// the "heard from a leader recently" vote check rely on.
    pub election_timeout_us_min: u64,
    /// How often a leader sends heartbeats.
    pub heartbeat_interval_us: u64,
    /// PreVote (§9.6): probe for a majority before incrementing the term, so a node that
    /// rejoins from a partition cannot disrupt a working leader.
    pub pre_vote: bool,
    /// CheckQuorum (§6.2, §9.6): a leader that has not heard from a quorum within an election
    /// timeout steps down; followers that heard from a leader within the minimum election
    /// timeout ignore vote requests (§4.2.3).
    pub check_quorum: bool,
    /// The read path used by [`crate::Node::read`].
    pub read_mode: ReadMode,
    /// Clock-drift allowance subtracted from the lease (see [`ReadMode::Lease`]).
    pub lease_clock_drift_us_max: u64,
    /// At most this many entries in one AppendEntries.
    pub entries_per_msg_max: usize,
    /// At most this many AppendEntries in flight to one follower in replicate state.
    pub inflight_msgs_max: usize,
    /// The "caught up" rule for promoting a learner (§4.2.1): its match index must be
    /// within this many entries of the leader's last index ...
    pub learner_caught_up_lag_entries_max: u64,
    /// ... at this many consecutive heartbeat rounds (sampled as each round goes out).
    pub learner_caught_up_rounds_min: u32,
    /// Compact the log once this many entries have been applied since the last snapshot
    /// (see [`crate::Node::snapshot_due`]); 0 never does.
    pub snapshot_threshold_entries: u64,
    /// Rules switched off for teaching.
    pub toggles: TeachingToggles,
}

impl Default for Config {
    /// The playground preset: 150 ms minimum election timeout, 50 ms heartbeats, PreVote
    /// and CheckQuorum on, ReadIndex reads; a learner is caught up after 3 heartbeat
    /// rounds within 8 entries of the leader.
    fn default() -> Self {
        Config {
            election_timeout_us_min: 150_000,
            heartbeat_interval_us: 50_000,
            pre_vote: true,
            check_quorum: true,
            read_mode: ReadMode::ReadIndex,
            lease_clock_drift_us_max: 15_000,
            entries_per_msg_max: 64,
            inflight_msgs_max: 16,
            learner_caught_up_lag_entries_max: 8,
            learner_caught_up_rounds_min: 3,
            snapshot_threshold_entries: 0,
            toggles: TeachingToggles::default(),
        }
    }
}

/// A configuration value that cannot work, naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The offending field, e.g. `heartbeat_interval_us`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Checks the relations the protocol needs: heartbeats faster than elections, a positive
    /// lease, non-zero limits.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |field, problem: String| Err(ConfigError { field, problem });
        if self.heartbeat_interval_us == 0 {
            return err("heartbeat_interval_us", "must be positive".into());
        }
        if self.election_timeout_us_min <= self.heartbeat_interval_us {
            return err(
                "election_timeout_us_min",
                format!(
                    "must exceed heartbeat_interval_us ({} <= {})",
                    self.election_timeout_us_min, self.heartbeat_interval_us
                ),
            );
        }
        if self.read_mode == ReadMode::Lease
            && self.lease_clock_drift_us_max >= self.election_timeout_us_min
        {
            return err(
                "lease_clock_drift_us_max",
                "must be below election_timeout_us_min, or the lease is empty".into(),
            );
        }
        if self.entries_per_msg_max == 0 {
            return err("entries_per_msg_max", "must be at least 1".into());
        }
        if self.inflight_msgs_max == 0 {
            return err("inflight_msgs_max", "must be at least 1".into());
        }
        if self.learner_caught_up_rounds_min == 0 {
            return err("learner_caught_up_rounds_min", "must be at least 1".into());
        }
        Ok(())
    }
}
