//! A trace line as data: a [`LineCase`] and the values of its holes, in the order its
//! label names them. The English text (CLI, goldens, `TraceLine.text`) is the record's
//! `Display`; the page words the same case and holes in the reader's language (`line_<case>`
//! in its label tables, whose English must equal the label: `web/test/i18n.test.mjs`), and
//! a test here checks that the label filled with the holes is the `Display` text for every
//! record of a busy run. The holes are a plain list (a JSON array), not a map: a busy
//! frame carries many lines.

use super::TraceKind;
use crate::kv::ApplyKind;
use crate::vocab::vocab;
use raft::Event;

vocab! {
    /// What a trace line says. Each label is the English line, with `{hole}`s filled, in
    /// order, from the line's `params`.
    pub enum LineCase {
        /// A message left its sender.
        Send = "send" / "send #{id} {from}->{to} {kind} t{term}",
        /// A message arrived.
        Deliver = "deliver" / "deliver #{id} {from}->{to} {kind}",
        /// Lost: the link was down.
        DropLinkDown = "drop_link_down" / "drop #{id} {from}->{to} {kind}: link down",
        /// Lost at random.
        DropLost = "drop_lost" / "drop #{id} {from}->{to} {kind}: lost",
        /// Lost: the receiver was crashed.
        DropNodeCrashed = "drop_node_crashed" / "drop #{id} {from}->{to} {kind}: receiver crashed",
        /// Lost: the link was full.
        DropLinkOverflow = "drop_link_overflow" / "drop #{id} {from}->{to} {kind}: link_overflow",
        /// Dropped by the user.
        DropUser = "drop_user" / "drop #{id} {from}->{to} {kind}: dropped by user",
        /// Dropped by a `drop_next` rule.
        DropRule = "drop_rule" / "drop #{id} {from}->{to} {kind}: dropped by rule",
        /// The network duplicated a message.
        Duplicate = "duplicate" / "duplicate #{id} as #{copy}",
        /// A node's timer fired.
        Timer = "timer" / "{node} timer",
        /// Election timeout.
        ElectionTimeout = "election_timeout" / "{node} election timeout in {term}",
        /// A role change.
        RoleChanged = "role_changed" / "{node} {from_role} -> {to_role} in {term}",
        /// A term change.
        TermAdvanced = "term_advanced" / "{node} term {from} -> {to}",
        /// A vote granted.
        VoteGranted = "vote_granted" / "{node} grant vote to {candidate} in {term}",
        /// A pre-vote granted.
        PreVoteGranted = "pre_vote_granted" / "{node} grant pre-vote to {candidate} in {term}",
        /// A vote refused: its log is behind the voter's.
        VoteLogNotUpToDate = "vote_log_not_up_to_date"
            / "{node} reject vote for {candidate} in {term}: log not up to date (candidate last {candidate_last}, mine {voter_last})",
        /// A pre-vote refused: its log is behind the voter's.
        PreVoteLogNotUpToDate = "pre_vote_log_not_up_to_date"
            / "{node} reject pre-vote for {candidate} in {term}: log not up to date (candidate last {candidate_last}, mine {voter_last})",
        /// A vote refused: the voter already voted in this term.
        VoteAlreadyVoted = "vote_already_voted"
            / "{node} reject vote for {candidate} in {term}: already voted for {voted_for} in {voted_term}",
        /// A pre-vote refused: the voter already voted in this term.
        PreVoteAlreadyVoted = "pre_vote_already_voted"
            / "{node} reject pre-vote for {candidate} in {term}: already voted for {voted_for} in {voted_term}",
        /// A vote refused: the voter follows a leader of this term.
        VoteAlreadyFollowing = "vote_already_following"
            / "{node} reject vote for {candidate} in {term}: already following leader {leader}",
        /// A pre-vote refused: the voter follows a leader of this term.
        PreVoteAlreadyFollowing = "pre_vote_already_following"
            / "{node} reject pre-vote for {candidate} in {term}: already following leader {leader}",
        /// A vote refused: the request's term is over.
        VoteStaleTerm = "vote_stale_term"
            / "{node} reject vote for {candidate} in {term}: stale term",
        /// A pre-vote refused: the request's term is over.
        PreVoteStaleTerm = "pre_vote_stale_term"
            / "{node} reject pre-vote for {candidate} in {term}: stale term",
        /// A vote refused: the voter heard from a leader recently.
        VoteLeaderRecentlyHeard = "vote_leader_recently_heard"
            / "{node} reject vote for {candidate} in {term}: heard from leader {leader} recently",
        /// A pre-vote refused: the voter heard from a leader recently.
        PreVoteLeaderRecentlyHeard = "pre_vote_leader_recently_heard"
            / "{node} reject pre-vote for {candidate} in {term}: heard from leader {leader} recently",
        /// Entries removed from the log.
        LogTruncated = "log_truncated" / "{node} truncate log from {from} ({removed})",
        /// The commit index advanced.
        CommitAdvanced = "commit_advanced" / "{node} commit {from} -> {to}",
        /// A leader that heard no quorum steps down.
        CheckQuorumFailed = "check_quorum_failed"
            / "{node} no quorum heard within an election timeout; step down from {term}",
        /// A message ignored: the sender is not a peer.
        IgnoredNotAPeer = "ignored_not_a_peer"
            / "{node} ignore message from {from}: sender is not a peer",
        /// A message ignored: it is from an older term.
        IgnoredStaleTerm = "ignored_stale_term"
            / "{node} ignore message from {from}: stale term: {kind}",
        /// A message ignored: the receiver's role does not expect it.
        IgnoredUnexpectedInRole = "ignored_unexpected_in_role"
            / "{node} ignore message from {from}: unexpected by a {by_role}: {kind}",
        /// A message ignored: it acknowledges an index beyond the leader's log.
        IgnoredAckBeyondLog = "ignored_ack_beyond_log"
            / "{node} ignore message from {from}: acknowledges index {index} beyond the log",
        /// A leadership transfer began.
        TransferStarted = "transfer_started" / "{node} transfer leadership to {to}",
        /// A leadership transfer was abandoned.
        TransferAborted = "transfer_aborted" / "{node} abort leadership transfer to {to}",
        /// Replication to a follower stalled.
        ReplicationStalled = "replication_stalled"
            / "{node} replication to {to} stalled at {index}; probe again",
        /// The leader's lease was extended.
        LeaseExtended = "lease_extended" / "{node} lease until {until_us}us",
        /// The in-flight window to a follower is full.
        InflightWindowFull = "inflight_window_full"
            / "{node} in-flight window to {to} full ({max} msgs)",
        /// A TimeoutNow arrived.
        TimeoutNowReceived = "timeout_now_received" / "{node} TimeoutNow from {from}: campaign now",
        /// Committed entries were overwritten (a safety bug).
        CommittedEntriesTruncated = "committed_entries_truncated"
            / "{node} SAFETY: committed entries overwritten from {from} (commit was {commit})",
        /// A configuration took force.
        ConfigurationChanged = "configuration_changed"
            / "{node} configuration in force: {configuration} (from {index})",
        /// A configuration was rolled back.
        ConfigurationRolledBack = "configuration_rolled_back"
            / "{node} configuration rolled back to {configuration} (from {index})",
        /// The log was compacted into a snapshot.
        LogCompacted = "log_compacted" / "{node} log compacted through {entry}",
        /// A snapshot was installed.
        SnapshotInstalled = "snapshot_installed" / "{node} snapshot installed through {entry}",
        /// A removed leader stepped down.
        RemovedLeaderSteppedDown = "removed_leader_stepped_down"
            / "{node} removed from the configuration; step down from {term}",
        /// The joint configuration committed; the new one is proposed.
        JointLeaveProposed = "joint_leave_proposed"
            / "{node} joint configuration committed; propose the new one at {index}",
        /// A node event without a case of its own (`Event` is non-exhaustive): its English
        /// text.
        NodeEvent = "node_event" / "{node} {event}",
        /// State persisted.
        Persist = "persist" / "{node} persist {term} vote={vote} +{appended} last={last}",
        /// State persisted after a truncation.
        PersistTruncate = "persist_truncate"
            / "{node} persist {term} vote={vote} truncate>={from} +{appended} last={last}",
        /// An entry applied.
        Apply = "apply" / "{node} apply {term}/{index} {command}",
        /// A leader's no-op entry applied (it carries no command).
        ApplyNoop = "apply_noop" / "{node} apply {term}/{index} noop",
        /// A duplicate skipped by de-duplication.
        ApplyDeduplicated = "apply_deduplicated"
            / "{node} apply {term}/{index} {command} (duplicate, skipped)",
        /// A duplicate applied again (de-duplication off).
        ApplyAgain = "apply_again" / "{node} apply {term}/{index} {command} (duplicate, APPLIED AGAIN)",
        /// A client invoked an operation.
        ClientInvoke = "client_invoke" / "c{client} invoke op{op} seq={seq}",
        /// A client (re)sent a request.
        ClientAttempt = "client_attempt" / "c{client} op{op} attempt {attempt} -> {node}",
        /// A client's operation ended.
        ClientComplete = "client_complete" / "c{client} op{op} {outcome}",
        /// A user or scenario action (`{type}`: its JSON type).
        Action = "action" / "action {action}",
        /// A safety monitor fired.
        Violation = "violation" / "VIOLATION {monitor}",
        /// A follower refused an AppendEntries.
        AppendRejected = "append_rejected" / "{node} rejects append from {leader}: no match at {index}",
        /// A refusal with a backtracking hint.
        AppendRejectedHint = "append_rejected_hint"
            / "{node} rejects append from {leader}: no match at {index} (hint {hint_index}@{hint_term})",
        /// A lying node sent different entries for one index and term to different followers.
        LieEquivocate = "lie_equivocate"
            / "{node} LIES to {to} in #{id}: equivocating AppendEntries",
        /// A lying node granted a second vote in a term.
        LieDoubleVote = "lie_double_vote" / "{node} LIES to {to} in #{id}: votes twice in a term",
        /// A lying node claimed a commit index it lacks.
        LieFalseCommit = "lie_false_commit"
            / "{node} LIES to {to} in #{id}: claims a commit it lacks",
    }
    impl Serialize;
}

/// A line's holes, in its label's order. Strings: node and client ids keep their `n1`/`c1`
/// form, so the page fills them as they are.
pub type LineParams = Vec<String>;

/// `label` with its `{hole}`s replaced, in order, by `params` (a hole past the end of
/// `params` is left as written, which the tests would show).
pub fn fill(label: &str, params: &[String]) -> String {
    let mut out = String::with_capacity(label.len() + 16);
    // Writing to a String cannot fail.
    let _ = util::holes::fill(&mut out, label, params);
    out
}

impl TraceKind {
    /// This record's case and holes ([`LineCase`]).
    pub fn case(&self) -> (LineCase, LineParams) {
        use LineCase as C;
        let s = |v: &dyn std::fmt::Display| v.to_string();
        match self {
            TraceKind::Send {
                id,
                from,
                to,
                kind,
                term,
            } => (
                C::Send,
                vec![s(id), s(from), s(to), s(&kind.name()), s(term)],
            ),
            TraceKind::Deliver { id, from, to, kind } => {
                (C::Deliver, vec![s(id), s(from), s(to), s(&kind.name())])
            }
            TraceKind::Drop {
                id,
                from,
                to,
                kind,
                reason,
            } => {
                use super::DropReason as R;
                let case = match reason {
                    R::LinkDown => C::DropLinkDown,
                    R::Lost => C::DropLost,
                    R::NodeCrashed => C::DropNodeCrashed,
                    R::LinkOverflow => C::DropLinkOverflow,
                    R::User => C::DropUser,
                    R::Rule => C::DropRule,
                };
                (case, vec![s(id), s(from), s(to), s(&kind.name())])
            }
            TraceKind::Duplicate { id, copy } => (C::Duplicate, vec![s(id), s(copy)]),
            TraceKind::Timer { node } => (C::Timer, vec![s(node)]),
            TraceKind::Node { node, event } => {
                let (case, mut p) = event_case(event);
                p.insert(0, s(node));
                (case, p)
            }
            TraceKind::Persist {
                node,
                term,
                vote,
                truncate_from,
                appended,
                last_index,
            } => {
                let vote = vote.map_or("-".to_string(), |v| v.to_string());
                if truncate_from.0 > 0 {
                    let p = vec![
                        s(node),
                        s(term),
                        vote,
                        s(truncate_from),
                        s(appended),
                        s(last_index),
                    ];
                    (C::PersistTruncate, p)
                } else {
                    let p = vec![s(node), s(term), vote, s(appended), s(last_index)];
                    (C::Persist, p)
                }
            }
            TraceKind::Apply {
                node,
                index,
                term,
                client,
                seq,
                how,
            } => {
                let mut p = vec![s(node), s(&term.0), s(index)];
                // A no-op has no client session, so it is always applied fresh.
                if *client == 0 && *how == ApplyKind::Fresh {
                    return (C::ApplyNoop, p);
                }
                let case = match how {
                    ApplyKind::Fresh => C::Apply,
                    ApplyKind::Deduplicated => C::ApplyDeduplicated,
                    ApplyKind::AppliedAgain => C::ApplyAgain,
                };
                p.push(if *client > 0 {
                    format!("c{client}#{seq}")
                } else {
                    "noop".to_string()
                });
                (case, p)
            }
            TraceKind::ClientInvoke { client, op, seq } => {
                (C::ClientInvoke, vec![s(client), s(op), s(seq)])
            }
            TraceKind::ClientAttempt {
                client,
                op,
                attempt,
                node,
            } => (
                C::ClientAttempt,
                vec![s(client), s(op), s(attempt), s(node)],
            ),
            TraceKind::ClientComplete {
                client,
                op,
                outcome,
            } => (
                C::ClientComplete,
                vec![s(client), s(op), s(&crate::history::outcome_name(*outcome))],
            ),
            TraceKind::Action(a) => (C::Action, vec![s(a)]),
            TraceKind::Violation { monitor } => (C::Violation, vec![s(&monitor.name())]),
            TraceKind::AppendRejected {
                node,
                leader,
                index,
                hint,
            } => match hint {
                Some(h) => (
                    C::AppendRejectedHint,
                    vec![s(node), s(leader), s(index), s(&h.index), s(&h.term)],
                ),
                None => (C::AppendRejected, vec![s(node), s(leader), s(index)]),
            },
            TraceKind::Lie { id, node, to, mode } => {
                use crate::byzantine::ByzantineMode as B;
                let case = match mode {
                    B::Equivocate => C::LieEquivocate,
                    B::DoubleVote => C::LieDoubleVote,
                    B::FalseCommit => C::LieFalseCommit,
                };
                (case, vec![s(node), s(to), s(id)])
            }
        }
    }
}

/// A node event's case and holes, without the leading `{node}`.
fn event_case(e: &Event) -> (LineCase, LineParams) {
    use LineCase as C;
    let s = |v: &dyn std::fmt::Display| v.to_string();
    match e {
        Event::ElectionTimeout { term } => (C::ElectionTimeout, vec![s(term)]),
        Event::RoleChanged { from, to, term } => (C::RoleChanged, vec![s(from), s(to), s(term)]),
        Event::TermAdvanced { from, to } => (C::TermAdvanced, vec![s(from), s(to)]),
        Event::VoteGranted {
            candidate,
            term,
            pre_vote,
        } => {
            let case = if *pre_vote {
                C::PreVoteGranted
            } else {
                C::VoteGranted
            };
            (case, vec![s(candidate), s(term)])
        }
        Event::VoteRejected {
            candidate,
            term,
            pre_vote,
            reason,
        } => {
            use raft::VoteRejection as V;
            let (vote, pre_vote_case, extra) = match reason {
                V::LogNotUpToDate {
                    candidate_last,
                    voter_last,
                } => (
                    C::VoteLogNotUpToDate,
                    C::PreVoteLogNotUpToDate,
                    vec![s(candidate_last), s(voter_last)],
                ),
                V::AlreadyVoted { voted_for, term } => (
                    C::VoteAlreadyVoted,
                    C::PreVoteAlreadyVoted,
                    vec![s(voted_for), s(term)],
                ),
                V::AlreadyFollowing { leader } => (
                    C::VoteAlreadyFollowing,
                    C::PreVoteAlreadyFollowing,
                    vec![s(leader)],
                ),
                V::StaleTerm => (C::VoteStaleTerm, C::PreVoteStaleTerm, vec![]),
                V::LeaderRecentlyHeard { leader } => (
                    C::VoteLeaderRecentlyHeard,
                    C::PreVoteLeaderRecentlyHeard,
                    vec![s(leader)],
                ),
            };
            let case = if *pre_vote { pre_vote_case } else { vote };
            let mut p = vec![s(candidate), s(term)];
            p.extend(extra);
            (case, p)
        }
        Event::LogTruncated { from, removed } => {
            let ids: Vec<String> = removed.iter().map(|id| id.to_string()).collect();
            (C::LogTruncated, vec![s(from), ids.join(",")])
        }
        Event::CommitAdvanced { from, to } => (C::CommitAdvanced, vec![s(from), s(to)]),
        Event::CheckQuorumFailed { term } => (C::CheckQuorumFailed, vec![s(term)]),
        Event::MessageIgnored { from, reason } => {
            use raft::{IgnoreReason as I, Role};
            match reason {
                I::NotAPeer => (C::IgnoredNotAPeer, vec![s(from)]),
                I::StaleTerm { kind } => (C::IgnoredStaleTerm, vec![s(from), s(&kind.as_str())]),
                I::UnexpectedInRole { role, kind } => {
                    // As `Display` words it: a pre-candidate is "a candidate".
                    let by_role = match role {
                        Role::Follower => "follower",
                        Role::PreCandidate | Role::Candidate => "candidate",
                        Role::Leader => "leader",
                    };
                    let p = vec![s(from), by_role.to_string(), s(&kind.as_str())];
                    (C::IgnoredUnexpectedInRole, p)
                }
                I::AckBeyondLog { index } => (C::IgnoredAckBeyondLog, vec![s(from), s(index)]),
            }
        }
        Event::TransferStarted { to } => (C::TransferStarted, vec![s(to)]),
        Event::TransferAborted { to } => (C::TransferAborted, vec![s(to)]),
        Event::ReplicationStalled { to, match_index } => {
            (C::ReplicationStalled, vec![s(to), s(match_index)])
        }
        Event::LeaseExtended { until_us } => (C::LeaseExtended, vec![s(until_us)]),
        Event::InflightWindowFull {
            to,
            inflight_msgs_max,
        } => (C::InflightWindowFull, vec![s(to), s(inflight_msgs_max)]),
        Event::TimeoutNowReceived { from } => (C::TimeoutNowReceived, vec![s(from)]),
        Event::CommittedEntriesTruncated { from, commit } => {
            (C::CommittedEntriesTruncated, vec![s(from), s(commit)])
        }
        Event::ConfigurationChanged {
            index,
            configuration,
            rolled_back,
        } => {
            let case = if *rolled_back {
                C::ConfigurationRolledBack
            } else {
                C::ConfigurationChanged
            };
            (case, vec![s(configuration), s(index)])
        }
        Event::LogCompacted { last_included } => (C::LogCompacted, vec![s(last_included)]),
        Event::SnapshotInstalled { last_included } => {
            (C::SnapshotInstalled, vec![s(last_included)])
        }
        Event::RemovedLeaderSteppedDown { term } => (C::RemovedLeaderSteppedDown, vec![s(term)]),
        Event::JointLeaveProposed { index } => (C::JointLeaveProposed, vec![s(index)]),
        other => (C::NodeEvent, vec![s(other)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::DropReason;
    use crate::wire::{Endpoint, MsgKind};
    use raft::NodeId;

    /// The cases the ready scenarios do not reach (tests/trace_cases.rs covers the rest).
    #[test]
    fn rare_lines_are_their_case_filled_in() {
        let kinds = [
            TraceKind::Drop {
                id: 4,
                from: Endpoint::Node(NodeId(1)),
                to: Endpoint::Client(2),
                kind: MsgKind::ALL[0],
                reason: DropReason::Lost,
            },
            TraceKind::Duplicate { id: 4, copy: 9 },
            TraceKind::Node {
                node: NodeId(1),
                event: Event::TransferStarted { to: NodeId(2) },
            },
            TraceKind::AppendRejected {
                node: NodeId(2),
                leader: NodeId(1),
                index: raft::LogIndex(5),
                hint: None,
            },
        ];
        for k in kinds {
            let (case, params) = k.case();
            assert_eq!(fill(case.label(), &params), k.to_string(), "{case:?}");
        }
    }

    /// Every refusal and ignore reason, and the no-op apply, whatever the ready scenarios
    /// reach.
    #[test]
    fn reasons_are_their_case_filled_in() {
        use raft::{
            EntryId, IgnoreReason as I, LogIndex, MessageKind, Role, Term, VoteRejection as V,
        };
        let last = |t, i| EntryId {
            term: Term(t),
            index: LogIndex(i),
        };
        let votes = [
            V::LogNotUpToDate {
                candidate_last: last(1, 2),
                voter_last: last(2, 3),
            },
            V::AlreadyVoted {
                voted_for: NodeId(3),
                term: Term(4),
            },
            V::AlreadyFollowing { leader: NodeId(2) },
            V::StaleTerm,
            V::LeaderRecentlyHeard { leader: NodeId(5) },
        ];
        let ignores = [
            I::NotAPeer,
            I::StaleTerm {
                kind: MessageKind::Append,
            },
            I::UnexpectedInRole {
                role: Role::PreCandidate,
                kind: MessageKind::VoteResponse,
            },
            I::UnexpectedInRole {
                role: Role::Leader,
                kind: MessageKind::Vote,
            },
            I::AckBeyondLog { index: LogIndex(9) },
        ];
        let mut events: Vec<Event> = Vec::new();
        for reason in votes {
            for pre_vote in [false, true] {
                events.push(Event::VoteRejected {
                    candidate: NodeId(2),
                    term: Term(4),
                    pre_vote,
                    reason,
                });
            }
        }
        for reason in ignores {
            events.push(Event::MessageIgnored {
                from: NodeId(4),
                reason,
            });
        }
        let mut kinds: Vec<TraceKind> = events
            .into_iter()
            .map(|event| TraceKind::Node {
                node: NodeId(1),
                event,
            })
            .collect();
        for how in [ApplyKind::Fresh, ApplyKind::Deduplicated] {
            kinds.push(TraceKind::Apply {
                node: NodeId(1),
                index: LogIndex(3),
                term: Term(2),
                client: 0,
                seq: 0,
                how,
            });
        }
        let mut cases = std::collections::BTreeSet::new();
        for k in kinds {
            let (case, params) = k.case();
            assert_eq!(fill(case.label(), &params), k.to_string(), "{case:?}");
            cases.insert(case.name());
        }
        assert_eq!(cases.len(), 16, "{cases:?}");
    }

    #[test]
    fn fill_takes_holes_in_order_and_leaves_missing_ones() {
        let p = vec!["n1".to_string()];
        assert_eq!(fill("{node} timer", &p), "n1 timer");
        assert_eq!(fill("{a} and {b}", &p), "n1 and {b}");
    }
}
