//! The wire: who talks ([`Endpoint`]), what kind of message ([`MsgKind`]) and what it
//! carries ([`Payload`]: a Raft message, a client request or a node's answer).
//!
//! A leaf: it knows the protocol's messages and the KV operations they carry, nothing of
//! the world that moves them.

use crate::json::{FromJson, JsonResult, Value};
use crate::kv::{ClientId, KvCommand, KvOp, KvOutput};
use raft::{Message, MessageKind, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// One end of a message: a node or a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// A server.
    Node(NodeId),
    /// A client.
    Client(u32),
}

impl Endpoint {
    pub(crate) fn code(self) -> u64 {
        match self {
            Endpoint::Node(n) => u64::from(n.0),
            Endpoint::Client(c) => (1 << 32) | u64::from(c),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Node(n) => write!(f, "{n}"),
            Endpoint::Client(c) => write!(f, "c{c}"),
        }
    }
}

/// The kind of a message on the simulated network: Raft's kinds ([`MessageKind`], named
/// there) plus client traffic. Serialized as its name (`append`, `client_request`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MsgKind {
    /// Node ↔ node.
    Raft(MessageKind),
    /// Client → node request.
    ClientRequest,
    /// Node → client answer.
    ClientResponse,
}

const RAFT_KINDS: usize = MessageKind::ALL.len();

impl MsgKind {
    /// Every kind: Raft's in their order, then the client kinds (`ALL[k.code()] == k`).
    pub const ALL: &'static [MsgKind] = &{
        let mut all = [MsgKind::ClientResponse; RAFT_KINDS + 2];
        let mut i = 0;
        while i < RAFT_KINDS {
            all[i] = MsgKind::Raft(MessageKind::ALL[i]);
            i += 1;
        }
        all[RAFT_KINDS] = MsgKind::ClientRequest;
        all
    };

    /// The name of each kind, indexed like [`MsgKind::ALL`].
    pub const NAMES: &'static [&'static str] = &{
        let mut names = [""; RAFT_KINDS + 2];
        let mut i = 0;
        while i < names.len() {
            names[i] = MsgKind::ALL[i].name_of();
            i += 1;
        }
        names
    };

    /// The serialized name.
    pub const fn name(self) -> &'static str {
        MsgKind::NAMES[self.code() as usize]
    }

    /// The name, for building [`MsgKind::NAMES`] (at compile time only).
    const fn name_of(self) -> &'static str {
        match self {
            MsgKind::Raft(k) => k.as_str(),
            MsgKind::ClientRequest => "client_request",
            MsgKind::ClientResponse => "client_response",
        }
    }

    /// The position in [`MsgKind::ALL`].
    #[inline]
    pub const fn code(self) -> u64 {
        match self {
            MsgKind::Raft(k) => k as u64,
            MsgKind::ClientRequest => RAFT_KINDS as u64,
            MsgKind::ClientResponse => RAFT_KINDS as u64 + 1,
        }
    }

    /// What the trace hash folds in: the code the kind had before InstallSnapshot joined
    /// Raft's kinds, and the next free one for InstallSnapshot, so traces without
    /// snapshots keep their hashes.
    #[inline]
    pub const fn hash_code(self) -> u64 {
        match self {
            MsgKind::Raft(MessageKind::InstallSnapshot) => RAFT_KINDS as u64 + 1,
            MsgKind::Raft(k) => k as u64,
            MsgKind::ClientRequest => RAFT_KINDS as u64 - 1,
            MsgKind::ClientResponse => RAFT_KINDS as u64,
        }
    }
}

impl From<MessageKind> for MsgKind {
    fn from(k: MessageKind) -> Self {
        MsgKind::Raft(k)
    }
}

impl Serialize for MsgKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A client request on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    /// Client.
    pub client: ClientId,
    /// Sequence number (retries reuse it).
    pub seq: u64,
    /// Operation (shared with the client's pending operation and the log entry).
    pub op: Arc<KvOp>,
}

/// A node's answer to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientResponse {
    /// Client.
    pub client: ClientId,
    /// Sequence number answered.
    pub seq: u64,
    /// The output, or "not the leader" with a hint.
    pub result: Result<KvOutput, Option<NodeId>>,
}

/// What a message carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// Node ↔ node.
    Raft(Message<KvCommand>),
    /// Client → node.
    Request(ClientRequest),
    /// Node → client.
    Response(ClientResponse),
}

impl Payload {
    /// The kind.
    pub fn kind(&self) -> MsgKind {
        match self {
            Payload::Raft(m) => m.kind().into(),
            Payload::Request(_) => MsgKind::ClientRequest,
            Payload::Response(_) => MsgKind::ClientResponse,
        }
    }
    pub(crate) fn term(&self) -> u64 {
        match self {
            Payload::Raft(m) => m.term().0,
            Payload::Request(r) => r.seq,
            Payload::Response(r) => r.seq,
        }
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Raft(m) => write!(f, "{m}"),
            Payload::Request(r) => write!(f, "ClientRequest c{}#{} {}", r.client, r.seq, r.op),
            Payload::Response(r) => match &r.result {
                Ok(out) => write!(f, "ClientResponse c{}#{} ok {out}", r.client, r.seq),
                Err(Some(h)) => write!(
                    f,
                    "ClientResponse c{}#{} not leader (try {h})",
                    r.client, r.seq
                ),
                Err(None) => write!(
                    f,
                    "ClientResponse c{}#{} not leader (unknown)",
                    r.client, r.seq
                ),
            },
        }
    }
}

// ---- read from JSON: the `Serialize` form, defaults for the fields documented as such, unknown fields refused (see `json.rs`) ----

impl FromJson for MsgKind {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let i = crate::json::unit_index(v, MsgKind::NAMES)?;
        Ok(MsgKind::ALL[i])
    }
}

/// `{"node": 3}` or `{"client": 1}`.
impl FromJson for Endpoint {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let entry = v.as_object().filter(|m| m.len() == 1);
        let Some((key, id)) = entry.and_then(|m| m.iter().next()) else {
            return Err(crate::json::invalid_type(
                v,
                "map with a single key `node` or `client`",
            ));
        };
        let i = crate::json::name_index(key, &["node", "client"]).map_err(|e| e.in_field(key))?;
        let id = u32::from_json(id).map_err(|e| e.in_field(key))?;
        Ok(if i == 0 {
            Endpoint::Node(NodeId(id))
        } else {
            Endpoint::Client(id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_listed_in_order_with_raft_names() {
        for (i, k) in MessageKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
            let serde_name = serde_json::to_value(k).unwrap();
            assert_eq!(serde_name, k.as_str());
        }
        assert_eq!(MsgKind::ALL.len(), MsgKind::NAMES.len());
        for (i, k) in MsgKind::ALL.iter().enumerate() {
            assert_eq!(k.code(), i as u64);
            assert_eq!(MsgKind::NAMES[i], k.name());
        }
        assert_eq!(MsgKind::NAMES[4], "append");
        // The hash codes: InstallSnapshot last, the others as before it existed.
        assert_eq!(MessageKind::InstallSnapshot as usize, RAFT_KINDS - 1);
        let mut codes: Vec<u64> = MsgKind::ALL.iter().map(|k| k.hash_code()).collect();
        assert_eq!(MsgKind::ClientRequest.hash_code(), 9);
        codes.sort_unstable();
        assert_eq!(codes, (0..MsgKind::ALL.len() as u64).collect::<Vec<_>>());
        assert_eq!(
            MsgKind::NAMES[9..],
            ["install_snapshot", "client_request", "client_response"]
        );
    }
}
