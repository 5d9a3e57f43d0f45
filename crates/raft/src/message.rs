//! The messages servers exchange (Figure 2, §6.4 ReadIndex, §9.6 PreVote, §3.10 TimeoutNow).
//!
//! Every message carries the sender's term; the receiver applies the term rule before
//! anything else (step down on a higher term, reject a lower one).

use crate::entry::Entry;
use crate::snapshot_data::Snapshot;
use crate::types::{EntryId, LogIndex, NodeId, Term};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A message with its endpoints, as the driver moves it over the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<C> {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Content.
    pub msg: Message<C>,
}

/// A Raft RPC request or response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message<C> {
    /// RequestVote (§5.2), or a PreVote probe (§9.6) when `pre_vote` is set.
    RequestVote(RequestVote),
    /// Reply to [`Message::RequestVote`].
    RequestVoteResponse(RequestVoteResponse),
    /// AppendEntries carrying entries (§5.3).
    AppendEntries(AppendEntries<C>),
    /// Reply to [`Message::AppendEntries`].
    AppendEntriesResponse(AppendEntriesResponse),
    /// Leader heartbeat: asserts leadership, carries the commit index and a round number
    /// that ReadIndex, lease reads and CheckQuorum count acknowledgements of (§6.4).
    Heartbeat(Heartbeat),
    /// Reply to [`Message::Heartbeat`].
    HeartbeatResponse(HeartbeatResponse),
    /// Leadership transfer: start an election now, ignoring the timer (§3.10).
    TimeoutNow(TimeoutNow),
    /// A snapshot for a follower behind the leader's compaction point (§5 of the
    /// dissertation, chapter 5), whole; answered by an [`AppendEntriesResponse`] whose
    /// `index` is the snapshot's last included index. Boxed: it is rare and large.
    InstallSnapshot(Box<InstallSnapshot>),
}

/// The leader's snapshot for a follower that needs entries it has compacted away.
///
/// Whole, not chunked: the simulator delivers or loses a message as one unit and does
/// not model bandwidth, so chunks would add offsets and per-chunk state on both sides
/// without showing anything about Raft; the follower's progress holds one snapshot in
/// flight, and a lost one is sent again when the stall is detected (a heartbeat round
/// with no progress).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallSnapshot {
    /// Leader's term.
    pub term: Term,
    /// The snapshot: last included id, configuration in force there, state machine data.
    pub snapshot: Snapshot,
}

/// A (pre-)vote request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVote {
    /// The candidate's term; for a PreVote, the term it would campaign in (not yet adopted).
    pub term: Term,
    /// The candidate's last log entry, for the up-to-date check (§5.4.1).
    pub last_log: EntryId,
    /// A PreVote probe (§9.6): granting it changes no state on the voter.
    pub pre_vote: bool,
    /// Sent because of a leadership transfer: voters skip the "heard from a leader
    /// recently" check (§3.10, §4.2.3).
    pub leadership_transfer: bool,
}

/// A (pre-)vote reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVoteResponse {
    /// The voter's term (for a granted PreVote: the term of the request).
    pub term: Term,
    /// Whether the vote was granted.
    pub granted: bool,
    /// Reply to a PreVote probe.
    pub pre_vote: bool,
}

/// Log replication (§5.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendEntries<C> {
    /// Leader's term.
    pub term: Term,
    /// The entry immediately preceding `entries` (index 0 / term 0 before the log).
    pub prev: EntryId,
    /// Entries to store, consecutive from `prev.index + 1`; may be empty (a probe). Shared:
    /// the AppendEntries a leader sends its followers for the same range hold one copy.
    pub entries: Arc<[Entry<C>]>,
    /// Leader's commit index.
    pub leader_commit: LogIndex,
}

/// Reply to AppendEntries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendEntriesResponse {
    /// The follower's term.
    pub term: Term,
    /// True when the follower's log matched `prev` and now holds the entries.
    pub success: bool,
    /// On success: the index of the last entry known to match the leader's log.
    /// On rejection: the `prev.index` that was rejected.
    pub index: LogIndex,
    /// On rejection: a hint for fast backtracking — the follower's last entry at or below
    /// the rejected index whose term is at most the rejected `prev.term`. The leader can
    /// jump `next` straight past whole conflicting terms.
    pub reject_hint: Option<EntryId>,
}

/// Heartbeat (leader → follower).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// Leader's term.
    pub term: Term,
    /// `min(leader commit, follower's match index)`, so a follower never learns a commit
    /// index beyond the part of its log known to match.
    pub commit: LogIndex,
    /// The leader's heartbeat round; echoed in the response.
    pub round: u64,
}

/// Reply to a heartbeat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatResponse {
    /// The follower's term.
    pub term: Term,
    /// The round being acknowledged.
    pub round: u64,
}

/// Leadership transfer: the target should campaign immediately.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeoutNow {
    /// Leader's term.
    pub term: Term,
}

/// The kind of a message, for rendering and statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// [`Message::RequestVote`] with `pre_vote == false`.
    Vote,
    /// [`Message::RequestVoteResponse`] with `pre_vote == false`.
    VoteResponse,
    /// [`Message::RequestVote`] with `pre_vote == true`.
    PreVote,
    /// [`Message::RequestVoteResponse`] with `pre_vote == true`.
    PreVoteResponse,
    /// [`Message::AppendEntries`].
    Append,
    /// [`Message::AppendEntriesResponse`].
    AppendResponse,
    /// [`Message::Heartbeat`].
    Heartbeat,
    /// [`Message::HeartbeatResponse`].
    HeartbeatResponse,
    /// [`Message::TimeoutNow`].
    TimeoutNow,
    /// [`Message::InstallSnapshot`].
    InstallSnapshot,
}

impl<C> Message<C> {
    /// The sender's term.
    pub fn term(&self) -> Term {
        match self {
            Message::RequestVote(m) => m.term,
            Message::RequestVoteResponse(m) => m.term,
            Message::AppendEntries(m) => m.term,
            Message::AppendEntriesResponse(m) => m.term,
            Message::Heartbeat(m) => m.term,
            Message::HeartbeatResponse(m) => m.term,
            Message::TimeoutNow(m) => m.term,
            Message::InstallSnapshot(m) => m.term,
        }
    }

    /// The message's kind.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::RequestVote(m) if m.pre_vote => MessageKind::PreVote,
            Message::RequestVote(_) => MessageKind::Vote,
            Message::RequestVoteResponse(m) if m.pre_vote => MessageKind::PreVoteResponse,
            Message::RequestVoteResponse(_) => MessageKind::VoteResponse,
            Message::AppendEntries(_) => MessageKind::Append,
            Message::AppendEntriesResponse(_) => MessageKind::AppendResponse,
            Message::Heartbeat(_) => MessageKind::Heartbeat,
            Message::HeartbeatResponse(_) => MessageKind::HeartbeatResponse,
            Message::TimeoutNow(_) => MessageKind::TimeoutNow,
            Message::InstallSnapshot(_) => MessageKind::InstallSnapshot,
        }
    }
}

impl MessageKind {
    /// Every kind, in declaration order (`ALL[k as usize] == k`).
    pub const ALL: [MessageKind; 10] = [
        MessageKind::Vote,
        MessageKind::VoteResponse,
        MessageKind::PreVote,
        MessageKind::PreVoteResponse,
        MessageKind::Append,
        MessageKind::AppendResponse,
        MessageKind::Heartbeat,
        MessageKind::HeartbeatResponse,
        MessageKind::TimeoutNow,
        MessageKind::InstallSnapshot,
    ];

    /// A short stable name (`append`, `pre_vote_response`, ...), as serialized.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageKind::Vote => "vote",
            MessageKind::VoteResponse => "vote_response",
            MessageKind::PreVote => "pre_vote",
            MessageKind::PreVoteResponse => "pre_vote_response",
            MessageKind::Append => "append",
            MessageKind::AppendResponse => "append_response",
            MessageKind::Heartbeat => "heartbeat",
            MessageKind::HeartbeatResponse => "heartbeat_response",
            MessageKind::TimeoutNow => "timeout_now",
            MessageKind::InstallSnapshot => "install_snapshot",
        }
    }
}

impl<C> fmt::Display for Message<C> {
    /// One line, e.g. `AppendEntries t3 prev=3/7 [3/8,3/9] commit=7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::RequestVote(m) => {
                let name = if m.pre_vote { "PreVote" } else { "RequestVote" };
                write!(f, "{name} {} last={}", m.term, m.last_log)?;
                if m.leadership_transfer {
                    write!(f, " transfer")?;
                }
                Ok(())
            }
            Message::RequestVoteResponse(m) => {
                let name = if m.pre_vote {
                    "PreVoteResponse"
                } else {
                    "RequestVoteResponse"
                };
                let verdict = if m.granted { "granted" } else { "rejected" };
                write!(f, "{name} {} {verdict}", m.term)
            }
            Message::AppendEntries(m) => {
                write!(f, "AppendEntries {} prev={} [", m.term, m.prev)?;
                for (i, e) in m.entries.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{}", e.id)?;
                }
                write!(f, "] commit={}", m.leader_commit)
            }
            Message::AppendEntriesResponse(m) => {
                if m.success {
                    write!(f, "AppendEntriesResponse {} ok match={}", m.term, m.index)
                } else {
                    write!(f, "AppendEntriesResponse {} reject at={}", m.term, m.index)?;
                    if let Some(h) = m.reject_hint {
                        write!(f, " hint={h}")?;
                    }
                    Ok(())
                }
            }
            Message::Heartbeat(m) => {
                write!(
                    f,
                    "Heartbeat {} commit={} round={}",
                    m.term, m.commit, m.round
                )
            }
            Message::HeartbeatResponse(m) => {
                write!(f, "HeartbeatResponse {} round={}", m.term, m.round)
            }
            Message::TimeoutNow(m) => write!(f, "TimeoutNow {}", m.term),
            Message::InstallSnapshot(m) => write!(f, "InstallSnapshot {} {}", m.term, m.snapshot),
        }
    }
}

impl<C> fmt::Display for Envelope<C> {
    /// `2->5 AppendEntries t3 prev=3/7 [3/8,3/9] commit=7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{} {}", self.from.0, self.to.0, self.msg)
    }
}
