//! Why a vote was refused or a message ignored: reasons as data, their English made at the
//! edge (`Display`), so that a trace can hash a stable code and rewording a message
//! changes no hash.

use crate::message::MessageKind;
use crate::role::Role;
use crate::types::{EntryId, LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a (pre-)vote was refused ([`crate::Event::VoteRejected`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum VoteRejection {
    /// The candidate's log is behind the voter's (§5.4.1).
    LogNotUpToDate {
        /// The candidate's last entry.
        candidate_last: EntryId,
        /// The voter's last entry.
        voter_last: EntryId,
    },
    /// The voter already voted for another candidate in this term (§5.2).
    AlreadyVoted {
        /// Whom it voted for.
        voted_for: NodeId,
        /// The term of that vote.
        term: Term,
    },
    /// The voter has not voted but follows a leader of this term.
    AlreadyFollowing {
        /// The leader.
        leader: NodeId,
    },
    /// The request is for a term the voter has already left.
    StaleTerm,
    /// With PreVote or CheckQuorum, the voter heard from a leader within the minimum
    /// election timeout (or is the leader), so it disregards the request (§4.2.3).
    LeaderRecentlyHeard {
        /// That leader (the voter itself when it leads).
        leader: NodeId,
    },
}

/// Why a message was ignored ([`crate::Event::MessageIgnored`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum IgnoreReason {
    /// The sender is this node or not a voter of its configuration.
    NotAPeer,
    /// The message is from an older term (requests are answered with the current term).
    StaleTerm {
        /// What was ignored.
        kind: MessageKind,
    },
    /// The message makes no sense for the receiver's role (e.g. a vote response to a
    /// follower).
    UnexpectedInRole {
        /// The receiver's role.
        role: Role,
        /// What was ignored.
        kind: MessageKind,
    },
    /// An AppendEntries response acknowledges an index the leader's log does not have.
    AckBeyondLog {
        /// The acknowledged index.
        index: LogIndex,
    },
}

impl fmt::Display for VoteRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VoteRejection::LogNotUpToDate {
                candidate_last,
                voter_last,
            } => write!(
                f,
                "log not up to date (candidate last {candidate_last}, mine {voter_last})"
            ),
            VoteRejection::AlreadyVoted { voted_for, term } => {
                write!(f, "already voted for {voted_for} in {term}")
            }
            VoteRejection::AlreadyFollowing { leader } => {
                write!(f, "already following leader {leader}")
            }
            VoteRejection::StaleTerm => f.write_str("stale term"),
            VoteRejection::LeaderRecentlyHeard { leader } => {
                write!(f, "heard from leader {leader} recently")
            }
        }
    }
}

impl fmt::Display for IgnoreReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IgnoreReason::NotAPeer => f.write_str("sender is not a peer"),
            IgnoreReason::StaleTerm { kind } => write!(f, "stale term: {}", kind.as_str()),
            IgnoreReason::UnexpectedInRole { role, kind } => {
                let by = match role {
                    Role::Follower => "a follower",
                    Role::PreCandidate | Role::Candidate => "a candidate",
                    Role::Leader => "a leader",
                };
                write!(f, "unexpected by {by}: {}", kind.as_str())
            }
            IgnoreReason::AckBeyondLog { index } => {
                write!(f, "acknowledges index {index} beyond the log")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_display_as_the_trace_has_always_shown_them() {
        let cases: [(String, &str); 9] = [
            (
                VoteRejection::LogNotUpToDate {
                    candidate_last: EntryId::new(1, 2),
                    voter_last: EntryId::new(2, 3),
                }
                .to_string(),
                "log not up to date (candidate last 1/2, mine 2/3)",
            ),
            (
                VoteRejection::AlreadyVoted {
                    voted_for: NodeId(1),
                    term: Term(4),
                }
                .to_string(),
                "already voted for n1 in t4",
            ),
            (
                VoteRejection::AlreadyFollowing { leader: NodeId(3) }.to_string(),
                "already following leader n3",
            ),
            (VoteRejection::StaleTerm.to_string(), "stale term"),
            (
                VoteRejection::LeaderRecentlyHeard { leader: NodeId(2) }.to_string(),
                "heard from leader n2 recently",
            ),
            (IgnoreReason::NotAPeer.to_string(), "sender is not a peer"),
            (
                IgnoreReason::StaleTerm {
                    kind: MessageKind::Append,
                }
                .to_string(),
                "stale term: append",
            ),
            (
                IgnoreReason::UnexpectedInRole {
                    role: Role::PreCandidate,
                    kind: MessageKind::TimeoutNow,
                }
                .to_string(),
                "unexpected by a candidate: timeout_now",
            ),
            (
                IgnoreReason::AckBeyondLog { index: LogIndex(9) }.to_string(),
                "acknowledges index 9 beyond the log",
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }
}
