//! Message counts and bytes by kind, per world: what a tester asserts on ("an election
//! costs at most N RequestVotes", "a heartbeat carries no entries").
//!
//! Bytes are an estimate, the simulator moves no bytes: [`wire_bytes`] charges
//! [`HEADER_BYTES`] per message (ends, kind, term and the fixed fields), plus per log entry
//! [`ENTRY_BYTES`] (index, term, client and sequence number) and its key and value bytes,
//! plus a request's key and value bytes, a response's value bytes, and a snapshot's data.

use crate::kv::{KvOp, KvOutput};
use crate::wire::{MsgKind, Payload};
use raft::{EntryPayload, Message};
use serde::Serialize;

/// Bytes charged to every message: sender, receiver, kind and term, and the fixed fields
/// of the largest fixed-size message (AppendEntries: `prev`, `leader_commit`).
pub const HEADER_BYTES: u64 = 48;
/// Bytes charged to each log entry a message carries, besides its command's key and value.
pub const ENTRY_BYTES: u64 = 24;

const KINDS: usize = MsgKind::ALL.len();

/// Counters by kind, indexed by [`MsgKind::code`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct MsgStats {
    pub sent: [u64; KINDS],
    pub bytes_sent: [u64; KINDS],
    pub delivered: [u64; KINDS],
    pub dropped: [u64; KINDS],
    pub duplicated: [u64; KINDS],
}

/// One kind's counters ([`crate::timeline::MsgCounts`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    /// The kind (`append`, `client_request`, ...).
    pub kind: MsgKind,
    /// Messages sent (a network copy is not a send).
    pub sent: u64,
    /// Their estimated bytes ([`wire_bytes`]).
    pub bytes_sent: u64,
    /// Messages (copies included) that arrived.
    pub delivered: u64,
    /// Messages (copies included) lost, for any reason.
    pub dropped: u64,
    /// Copies the network made.
    pub duplicated: u64,
}

impl MsgStats {
    #[inline]
    pub fn on_send(&mut self, kind: MsgKind, payload: &Payload) {
        let k = kind.code() as usize;
        self.sent[k] += 1;
        self.bytes_sent[k] += wire_bytes(payload);
    }

    /// The kinds with any traffic, in [`MsgKind::ALL`] order.
    pub fn by_kind(&self) -> Vec<KindCounts> {
        MsgKind::ALL
            .iter()
            .enumerate()
            .map(|(k, &kind)| KindCounts {
                kind,
                sent: self.sent[k],
                bytes_sent: self.bytes_sent[k],
                delivered: self.delivered[k],
                dropped: self.dropped[k],
                duplicated: self.duplicated[k],
            })
            .filter(|c| c.sent + c.delivered + c.dropped + c.duplicated > 0)
            .collect()
    }
}

fn op_bytes(op: &KvOp) -> u64 {
    let n = match op {
        KvOp::Put { key, value } | KvOp::Append { key, value } => key.len() + value.len(),
        KvOp::Get { key } => key.len(),
        KvOp::Cas {
            key,
            expected,
            value,
        } => key.len() + value.len() + expected.as_ref().map_or(0, String::len),
    };
    n as u64
}

/// The estimated size of a message on the wire (see the module's doc).
pub fn wire_bytes(payload: &Payload) -> u64 {
    HEADER_BYTES
        + match payload {
            Payload::Raft(Message::AppendEntries(ae)) => ae
                .entries
                .iter()
                .map(|e| {
                    ENTRY_BYTES
                        + match &e.payload {
                            EntryPayload::Command(c) => op_bytes(&c.op),
                            _ => 0,
                        }
                })
                .sum(),
            Payload::Raft(Message::InstallSnapshot(s)) => s.snapshot.data.len() as u64,
            Payload::Raft(_) => 0,
            Payload::Request(r) => op_bytes(&r.op),
            Payload::Response(r) => match &r.result {
                Ok(KvOutput::Value(Some(v))) => v.len() as u64,
                _ => 0,
            },
            Payload::Ap(m) => m.payload_bytes() as u64,
        }
}
