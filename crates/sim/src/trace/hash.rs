//! The trace hash: FNV-1a over each record's fields as 64-bit words and string bytes,
//! integer-only and identical on every platform. Reasons and messages are hashed as stable
//! codes and fields, never as their English text, so rewording a line changes no hash.

use super::TraceKind;
use crate::wire::MsgKind;
use raft::{Event, IgnoreReason, Role, VoteRejection};

/// FNV-1a, 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Folds bytes in.
    #[inline]
    pub fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 ^= u64::from(x);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    /// Folds a u64 in as one 64-bit word (FNV-1a step on words: xor, then multiply by the
    /// FNV prime; integer-only, identical on every platform).
    #[inline]
    pub fn u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x0000_0100_0000_01b3);
    }
    /// Folds a string in (length, bytes).
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
}

fn role_code(r: Role) -> u64 {
    match r {
        Role::Follower => 0,
        Role::PreCandidate => 1,
        Role::Candidate => 2,
        Role::Leader => 3,
    }
}

fn hash_event(h: &mut Fnv, e: &Event) {
    match e {
        Event::ElectionTimeout { term } => {
            h.u64(1);
            h.u64(term.0)
        }
        Event::RoleChanged { from, to, term } => {
            h.u64(2);
            h.u64(role_code(*from) << 8 | role_code(*to));
            h.u64(term.0);
        }
        Event::TermAdvanced { from, to } => {
            h.u64(3);
            h.u64(from.0);
            h.u64(to.0)
        }
        Event::VoteGranted {
            candidate,
            term,
            pre_vote,
        } => {
            h.u64(4);
            h.u64(u64::from(candidate.0) << 1 | u64::from(*pre_vote));
            h.u64(term.0);
        }
        Event::VoteRejected {
            candidate,
            term,
            pre_vote,
            reason,
        } => {
            h.u64(5);
            h.u64(u64::from(candidate.0) << 1 | u64::from(*pre_vote));
            h.u64(term.0);
            hash_vote_rejection(h, reason);
        }
        Event::LogTruncated { from, removed } => {
            h.u64(6);
            h.u64(from.0);
            for id in removed {
                h.u64(id.term.0);
            }
        }
        Event::CommitAdvanced { from, to } => {
            h.u64(7);
            h.u64(from.0);
            h.u64(to.0);
        }
        Event::CheckQuorumFailed { term } => {
            h.u64(8);
            h.u64(term.0)
        }
        Event::MessageIgnored { from, reason } => {
            h.u64(9);
            h.u64(u64::from(from.0));
            hash_ignore_reason(h, reason);
        }
        Event::TransferStarted { to } => {
            h.u64(10);
            h.u64(u64::from(to.0))
        }
        Event::TransferAborted { to } => {
            h.u64(11);
            h.u64(u64::from(to.0))
        }
        Event::LeaseExtended { until_us } => {
            h.u64(12);
            h.u64(*until_us)
        }
        Event::ReplicationStalled { to, match_index } => {
            h.u64(14);
            h.u64(u64::from(to.0));
            h.u64(match_index.0);
        }
        Event::InflightWindowFull {
            to,
            inflight_msgs_max,
        } => {
            h.u64(15);
            h.u64(u64::from(to.0));
            h.u64(*inflight_msgs_max as u64);
        }
        Event::TimeoutNowReceived { from } => {
            h.u64(16);
            h.u64(u64::from(from.0));
        }
        Event::CommittedEntriesTruncated { from, commit } => {
            h.u64(17);
            h.u64(from.0);
            h.u64(commit.0);
        }
        // `Event` is non-exhaustive: a kind added later hashes its text until it gets a
        // code here.
        other => {
            h.u64(13);
            h.str(&other.to_string())
        }
    }
}

/// A vote refusal as a stable code and its fields (never its English text, so rewording
/// a reason changes no hash).
fn hash_vote_rejection(h: &mut Fnv, r: &VoteRejection) {
    match r {
        VoteRejection::LogNotUpToDate {
            candidate_last,
            voter_last,
        } => {
            h.u64(1);
            h.u64(candidate_last.term.0);
            h.u64(candidate_last.index.0);
            h.u64(voter_last.term.0);
            h.u64(voter_last.index.0);
        }
        VoteRejection::AlreadyVoted { voted_for, term } => {
            h.u64(2);
            h.u64(u64::from(voted_for.0));
            h.u64(term.0);
        }
        VoteRejection::AlreadyFollowing { leader } => {
            h.u64(3);
            h.u64(u64::from(leader.0));
        }
        VoteRejection::StaleTerm => h.u64(4),
        VoteRejection::LeaderRecentlyHeard { leader } => {
            h.u64(5);
            h.u64(u64::from(leader.0));
        }
    }
}

/// An ignore reason as a stable code and its fields.
fn hash_ignore_reason(h: &mut Fnv, r: &IgnoreReason) {
    match r {
        IgnoreReason::NotAPeer => h.u64(1),
        IgnoreReason::StaleTerm { kind } => {
            h.u64(2);
            h.u64(MsgKind::from(*kind).code());
        }
        IgnoreReason::UnexpectedInRole { role, kind } => {
            h.u64(3);
            h.u64(role_code(*role));
            h.u64(MsgKind::from(*kind).code());
        }
        IgnoreReason::AckBeyondLog { index } => {
            h.u64(4);
            h.u64(index.0);
        }
    }
}

impl TraceKind {
    /// Folds a platform-independent encoding of this record into `h`.
    // Inlined into `Trace::push`, itself inlined where a record is built, so that only the
    // arm of the variant being pushed remains.
    #[inline(always)]
    pub fn hash_into(&self, h: &mut Fnv) {
        match self {
            TraceKind::Send {
                id,
                from,
                to,
                kind,
                term,
            } => {
                h.u64(1);
                h.u64(*id);
                h.u64(from.code());
                h.u64(to.code());
                h.u64(kind.code());
                h.u64(*term);
            }
            TraceKind::Deliver { id, kind, .. } => {
                h.u64(2);
                h.u64(*id);
                h.u64(kind.code());
            }
            TraceKind::Drop { id, reason, .. } => {
                h.u64(3);
                h.u64(*id);
                h.u64(*reason as u64);
            }
            TraceKind::Duplicate { id, copy } => {
                h.u64(4);
                h.u64(*id);
                h.u64(*copy);
            }
            TraceKind::Timer { node } => {
                h.u64(5);
                h.u64(u64::from(node.0));
            }
            TraceKind::Node { node, event } => {
                h.u64(6);
                h.u64(u64::from(node.0));
                hash_event(h, event);
            }
            TraceKind::Persist {
                node,
                term,
                vote,
                truncate_from,
                appended,
                last_index,
            } => {
                h.u64(7);
                h.u64(u64::from(node.0));
                h.u64(term.0);
                h.u64(vote.map_or(0, |v| u64::from(v.0)));
                h.u64(truncate_from.0);
                h.u64(u64::from(*appended));
                h.u64(last_index.0);
            }
            TraceKind::Apply {
                node,
                index,
                term,
                client,
                seq,
                how,
            } => {
                h.u64(8);
                h.u64(u64::from(node.0));
                h.u64(index.0);
                h.u64(term.0);
                h.u64(u64::from(*client));
                h.u64(*seq);
                h.u64(*how as u64);
            }
            TraceKind::ClientInvoke { client, op, seq } => {
                h.u64(9);
                h.u64(u64::from(*client));
                h.u64(*op);
                h.u64(*seq);
            }
            TraceKind::ClientAttempt {
                client,
                op,
                attempt,
                node,
            } => {
                h.u64(10);
                h.u64(u64::from(*client));
                h.u64(*op);
                h.u64(u64::from(*attempt));
                h.u64(u64::from(node.0));
            }
            TraceKind::ClientComplete {
                client,
                op,
                outcome,
            } => {
                h.u64(11);
                h.u64(u64::from(*client));
                h.u64(*op);
                h.u64(*outcome as u64);
            }
            TraceKind::Action(a) => {
                h.u64(12);
                h.str(&crate::json::to_string(a).unwrap_or_default());
            }
            TraceKind::Violation { monitor } => {
                h.u64(13);
                h.u64(*monitor as u64);
            }
            // Not hashed (`Trace::note`); were it pushed, it would fold in its fields.
            TraceKind::AppendRejected {
                node,
                leader,
                index,
                ..
            } => {
                h.u64(14);
                h.u64(u64::from(node.0));
                h.u64(u64::from(leader.0));
                h.u64(index.0);
            }
            TraceKind::Lie { id, node, to, mode } => {
                h.u64(15);
                h.u64(*id);
                h.u64(u64::from(node.0));
                h.u64(u64::from(to.0));
                h.u64(*mode as u64);
            }
        }
    }
}
