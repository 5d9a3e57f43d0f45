//! A server's role: a leaf module, so that events and the ready can both name it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A server's role (§5.1). `PreCandidate` exists only with PreVote (§9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Passive: answers leaders and candidates.
    Follower,
    /// Probing for a majority before starting a real election.
    PreCandidate,
    /// Collecting votes in its term.
    Candidate,
    /// Handles client requests and replicates the log.
    Leader,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Follower => "follower",
            Role::PreCandidate => "pre-candidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        })
    }
}
