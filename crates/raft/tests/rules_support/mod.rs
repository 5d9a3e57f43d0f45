//! Builders shared by the rule tests (`rules.rs`: terms, election, replication;
//! `rules_extensions.rs`: clients, reads, CheckQuorum, PreVote, transfer): nodes in a known
//! state, messages, and readers of a node's outputs.

#![allow(dead_code, unused_imports)]

pub use raft::{
    AppendEntries, AppendEntriesResponse, Config, Configuration, Entry, EntryId, EntryPayload,
    Envelope, Event, HardState, Heartbeat, HeartbeatResponse, LogIndex, Message, Node, NodeId,
    PersistentState, ProposeError, ReadMode, ReadState, Ready, ReplicationState, RequestVote,
    RequestVoteResponse, Role, TeachingToggles, Term, TimeoutNow, VoteRejection,
};

pub const TIMEOUT: u64 = 200_000;

pub fn n(id: u32) -> NodeId {
    NodeId(id)
}

pub fn plain() -> Config {
    Config {
        pre_vote: false,
        check_quorum: false,
        ..Config::default()
    }
}

pub fn ent(term: u64, index: u64) -> Entry<u64> {
    Entry {
        id: EntryId::new(term, index),
        payload: EntryPayload::Command(index),
    }
}

pub fn log(terms: &[u64]) -> Vec<Entry<u64>> {
    terms
        .iter()
        .enumerate()
        .map(|(i, &t)| ent(t, i as u64 + 1))
        .collect()
}

/// Node `id` of a `size`-node cluster, restarted from the given state at time 0.
pub fn node(
    id: u32,
    size: u32,
    config: Config,
    term: u64,
    vote: Option<u32>,
    terms: &[u64],
) -> Node<u64> {
    let persisted = PersistentState {
        hard_state: HardState {
            term: Term(term),
            vote: vote.map(NodeId),
        },
        log: log(terms),
        snapshot: None,
    };
    let conf = Configuration::new((1..=size).map(NodeId));
    Node::restart(n(id), config, conf, persisted, TIMEOUT, 0).unwrap()
}

/// Node 1 as leader of a `size`-node cluster, elected at time 0 by nodes 2.. (outputs
/// drained). Its log is `terms` plus its no-op.
pub fn leader(size: u32, config: Config, terms: &[u64]) -> Node<u64> {
    let last = terms.last().copied().unwrap_or(0);
    let mut nd = node(1, size, config, last, None, terms);
    nd.campaign(0);
    for p in 2..=size {
        let term = nd.view().term;
        let msg = match nd.view().role {
            Role::PreCandidate => vote_resp(term.0 + 1, true, true),
            Role::Candidate => vote_resp(term.0, true, false),
            _ => break,
        };
        nd.step(0, n(p), msg);
    }
    assert_eq!(nd.view().role, Role::Leader);
    nd.take_ready();
    nd
}

pub fn env(from: u32, to: u32, msg: Message<u64>) -> Envelope<u64> {
    Envelope {
        from: n(from),
        to: n(to),
        msg,
    }
}

pub fn append(term: u64, prev: (u64, u64), entries: &[(u64, u64)], commit: u64) -> Message<u64> {
    Message::AppendEntries(AppendEntries {
        term: Term(term),
        prev: EntryId::new(prev.0, prev.1),
        entries: entries.iter().map(|&(t, i)| ent(t, i)).collect(),
        leader_commit: LogIndex(commit),
    })
}

pub fn append_resp(term: u64, success: bool, index: u64, hint: Option<(u64, u64)>) -> Message<u64> {
    Message::AppendEntriesResponse(AppendEntriesResponse {
        term: Term(term),
        success,
        index: LogIndex(index),
        reject_hint: hint.map(|(t, i)| EntryId::new(t, i)),
    })
}

pub fn vote_req(term: u64, last: (u64, u64), pre_vote: bool) -> Message<u64> {
    Message::RequestVote(RequestVote {
        term: Term(term),
        last_log: EntryId::new(last.0, last.1),
        pre_vote,
        leadership_transfer: false,
    })
}

pub fn vote_resp(term: u64, granted: bool, pre_vote: bool) -> Message<u64> {
    Message::RequestVoteResponse(RequestVoteResponse {
        term: Term(term),
        granted,
        pre_vote,
    })
}

pub fn hb_resp(term: u64, round: u64) -> Message<u64> {
    Message::HeartbeatResponse(HeartbeatResponse {
        term: Term(term),
        round,
    })
}

/// AppendEntries reduced to `(to, prev, entry ids, leader commit)`.
pub fn appends(r: &Ready<u64>) -> Vec<(u32, EntryId, Vec<EntryId>, u64)> {
    r.messages
        .iter()
        .filter_map(|e| match &e.msg {
            Message::AppendEntries(ae) => {
                Some((e.to.0, ae.prev, ids(&ae.entries), ae.leader_commit.0))
            }
            _ => None,
        })
        .collect()
}

pub fn ids(entries: &[Entry<u64>]) -> Vec<EntryId> {
    entries.iter().map(|e| e.id).collect()
}

pub fn hs(term: u64, vote: Option<u32>) -> Option<HardState> {
    Some(HardState {
        term: Term(term),
        vote: vote.map(NodeId),
    })
}

pub fn heartbeat_round(r: &Ready<u64>) -> u64 {
    r.messages
        .iter()
        .find_map(|e| match e.msg {
            Message::Heartbeat(ref h) => Some(h.round),
            _ => None,
        })
        .expect("a heartbeat")
}
