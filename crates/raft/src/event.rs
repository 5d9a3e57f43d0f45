//! Trace events: what a node did and why, one line each.

use crate::membership::Configuration;
use crate::reason::{IgnoreReason, VoteRejection};
use crate::role::Role;
use crate::types::{EntryId, LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Something a node did, reported in [`crate::Ready::events`] for the trace and the UI.
/// Messages, persistence and applied entries are reported through their own `Ready` fields,
/// not duplicated here.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The election timer fired (or a campaign was forced) in `term`.
    ElectionTimeout {
        /// The term at expiry.
        term: Term,
    },
    /// The role changed.
    RoleChanged {
        /// Old role.
        from: Role,
        /// New role.
        to: Role,
        /// Term after the change.
        term: Term,
    },
    /// The term advanced because a message carried a higher one (or the node campaigned).
    TermAdvanced {
        /// Old term.
        from: Term,
        /// New term.
        to: Term,
    },
    /// A (pre-)vote was granted.
    VoteGranted {
        /// The candidate.
        candidate: NodeId,
        /// The term of the request.
        term: Term,
        /// A PreVote.
        pre_vote: bool,
    },
    /// A (pre-)vote was refused, with the rule that refused it.
    VoteRejected {
        /// The candidate.
        candidate: NodeId,
        /// The term of the request.
        term: Term,
        /// A PreVote.
        pre_vote: bool,
        /// The rule that refused it.
        reason: VoteRejection,
    },
    /// Uncommitted conflicting entries were removed from the log (§5.3).
    LogTruncated {
        /// First removed index.
        from: LogIndex,
        /// The entries removed.
        removed: Vec<EntryId>,
    },
    /// The commit index advanced.
    CommitAdvanced {
        /// Old commit index.
        from: LogIndex,
        /// New commit index.
        to: LogIndex,
    },
    /// A leader saw no quorum within an election timeout and stepped down (CheckQuorum).
    CheckQuorumFailed {
        /// The term it led.
        term: Term,
    },
    /// A message was ignored, with the rule that ignored it (stale term, ...).
    MessageIgnored {
        /// Sender.
        from: NodeId,
        /// The rule that ignored it.
        reason: IgnoreReason,
    },
    /// A leadership transfer began.
    TransferStarted {
        /// The intended new leader.
        to: NodeId,
    },
    /// A leadership transfer gave up (the target did not take over within an election
    /// timeout).
    TransferAborted {
        /// The intended new leader.
        to: NodeId,
    },
    /// Replication to a follower stalled (its AppendEntries were lost): the leader falls
    /// back to probing from the follower's match index.
    ReplicationStalled {
        /// The follower.
        to: NodeId,
        /// Its match index, where probing resumes.
        match_index: LogIndex,
    },
    /// The leader's lease was extended to this local time (lease reads).
    LeaseExtended {
        /// Lease end, node-local microseconds.
        until_us: u64,
    },
    /// The in-flight window to a follower filled up: the leader stops streaming to it until
    /// an acknowledgement (or a heartbeat response) frees a slot.
    InflightWindowFull {
        /// The follower.
        to: NodeId,
        /// The window's size (`Config::inflight_msgs_max`).
        inflight_msgs_max: usize,
    },
    /// A leader asked this node to take over (leadership transfer, §3.10): it campaigns now,
    /// skipping PreVote.
    TimeoutNowReceived {
        /// The leader handing over.
        from: NodeId,
    },
    /// Entries at or below the commit index were overwritten. Impossible under the rules;
    /// it happens only with teaching toggles, and it means State Machine Safety is broken.
    /// Commit and applied indexes fall back to the truncation point.
    CommittedEntriesTruncated {
        /// First removed index.
        from: LogIndex,
        /// The commit index before the truncation.
        commit: LogIndex,
    },
    /// The configuration in force changed: a configuration entry was appended (it is in
    /// force from then on, committed or not, §4.1), or the one in force was truncated away
    /// and an earlier one is back (`rolled_back`).
    ConfigurationChanged {
        /// The index of the entry the configuration comes from (0 or a snapshot's index
        /// for the base configuration).
        index: LogIndex,
        /// The configuration now in force (boxed: events are moved a lot).
        configuration: Box<Configuration>,
        /// Whether a truncation brought an earlier configuration back.
        rolled_back: bool,
    },
    /// A leader that is not a voter of the configuration in force saw that configuration
    /// commit and stepped down (§4.2.2).
    RemovedLeaderSteppedDown {
        /// The term it led.
        term: Term,
    },
    /// The log was compacted behind a snapshot taken by this node's driver.
    LogCompacted {
        /// The snapshot's last included entry.
        last_included: EntryId,
    },
    /// A snapshot from the leader replaced this follower's log up to its last included
    /// entry (InstallSnapshot); the driver restores its state machine from it.
    SnapshotInstalled {
        /// The snapshot's last included entry.
        last_included: EntryId,
    },
    /// A leader proposed the final configuration of a joint change once the joint
    /// configuration committed (§4.3).
    JointLeaveProposed {
        /// The index of the proposed C_new entry.
        index: LogIndex,
    },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::ElectionTimeout { term } => write!(f, "election timeout in {term}"),
            Event::RoleChanged { from, to, term } => write!(f, "{from} -> {to} in {term}"),
            Event::TermAdvanced { from, to } => write!(f, "term {from} -> {to}"),
            Event::VoteGranted {
                candidate,
                term,
                pre_vote,
            } => {
                let what = if *pre_vote { "pre-vote" } else { "vote" };
                write!(f, "grant {what} to {candidate} in {term}")
            }
            Event::VoteRejected {
                candidate,
                term,
                pre_vote,
                reason,
            } => {
                let what = if *pre_vote { "pre-vote" } else { "vote" };
                write!(f, "reject {what} for {candidate} in {term}: {reason}")
            }
            Event::LogTruncated { from, removed } => {
                write!(f, "truncate log from {from} (")?;
                for (i, id) in removed.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{id}")?;
                }
                write!(f, ")")
            }
            Event::CommitAdvanced { from, to } => write!(f, "commit {from} -> {to}"),
            Event::CheckQuorumFailed { term } => {
                write!(
                    f,
                    "no quorum heard within an election timeout; step down from {term}"
                )
            }
            Event::MessageIgnored { from, reason } => {
                write!(f, "ignore message from {from}: {reason}")
            }
            Event::TransferStarted { to } => write!(f, "transfer leadership to {to}"),
            Event::TransferAborted { to } => write!(f, "abort leadership transfer to {to}"),
            Event::ReplicationStalled { to, match_index } => {
                write!(
                    f,
                    "replication to {to} stalled at {match_index}; probe again"
                )
            }
            Event::LeaseExtended { until_us } => write!(f, "lease until {until_us}us"),
            Event::InflightWindowFull {
                to,
                inflight_msgs_max,
            } => write!(
                f,
                "in-flight window to {to} full ({inflight_msgs_max} msgs)"
            ),
            Event::TimeoutNowReceived { from } => {
                write!(f, "TimeoutNow from {from}: campaign now")
            }
            Event::CommittedEntriesTruncated { from, commit } => write!(
                f,
                "SAFETY: committed entries overwritten from {from} (commit was {commit})"
            ),
            Event::ConfigurationChanged {
                index,
                configuration,
                rolled_back,
            } => {
                let how = if *rolled_back {
                    "rolled back to"
                } else {
                    "in force:"
                };
                write!(f, "configuration {how} {configuration} (from {index})")
            }
            Event::LogCompacted { last_included } => {
                write!(f, "log compacted through {last_included}")
            }
            Event::SnapshotInstalled { last_included } => {
                write!(f, "snapshot installed through {last_included}")
            }
            Event::RemovedLeaderSteppedDown { term } => {
                write!(f, "removed from the configuration; step down from {term}")
            }
            Event::JointLeaveProposed { index } => {
                write!(
                    f,
                    "joint configuration committed; propose the new one at {index}"
                )
            }
        }
    }
}
