//! The wire: who talks ([`Endpoint`]), what kind of message ([`MsgKind`]) and what it
//! carries ([`Payload`]: a Raft message, a client request or a node's answer).
//!
//! A leaf: it knows the protocol's messages and the KV operations they carry, nothing of
//! the world that moves them.

use crate::json::{unit_enum, FromJson, JsonResult, Value};
use crate::kv::{ClientId, KvCommand, KvOp, KvOutput};
use raft::{Message, MessageKind};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// One end of a message: a node or a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// A server.
    Node(u32),
    /// A client.
    Client(u32),
}

impl Endpoint {
    pub(crate) fn code(self) -> u64 {
        match self {
            Endpoint::Node(n) => u64::from(n),
            Endpoint::Client(c) => (1 << 32) | u64::from(c),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Node(n) => write!(f, "n{n}"),
            Endpoint::Client(c) => write!(f, "c{c}"),
        }
    }
}

/// The kind of a message on the simulated network: Raft's kinds plus client traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgKind {
    /// RequestVote.
    Vote,
    /// RequestVote reply.
    VoteResponse,
    /// PreVote.
    PreVote,
    /// PreVote reply.
    PreVoteResponse,
    /// AppendEntries.
    Append,
    /// AppendEntries reply.
    AppendResponse,
    /// Heartbeat.
    Heartbeat,
    /// Heartbeat reply.
    HeartbeatResponse,
    /// TimeoutNow.
    TimeoutNow,
    /// Client → node request.
    ClientRequest,
    /// Node → client answer.
    ClientResponse,
}

/// Every message kind, in declaration order.
pub const MSG_KINDS: [MsgKind; 11] = [
    MsgKind::Vote,
    MsgKind::VoteResponse,
    MsgKind::PreVote,
    MsgKind::PreVoteResponse,
    MsgKind::Append,
    MsgKind::AppendResponse,
    MsgKind::Heartbeat,
    MsgKind::HeartbeatResponse,
    MsgKind::TimeoutNow,
    MsgKind::ClientRequest,
    MsgKind::ClientResponse,
];

impl From<MessageKind> for MsgKind {
    fn from(k: MessageKind) -> Self {
        match k {
            MessageKind::Vote => MsgKind::Vote,
            MessageKind::VoteResponse => MsgKind::VoteResponse,
            MessageKind::PreVote => MsgKind::PreVote,
            MessageKind::PreVoteResponse => MsgKind::PreVoteResponse,
            MessageKind::Append => MsgKind::Append,
            MessageKind::AppendResponse => MsgKind::AppendResponse,
            MessageKind::Heartbeat => MsgKind::Heartbeat,
            MessageKind::HeartbeatResponse => MsgKind::HeartbeatResponse,
            MessageKind::TimeoutNow => MsgKind::TimeoutNow,
        }
    }
}

impl MsgKind {
    /// The serialized name.
    pub fn as_str(self) -> &'static str {
        match self {
            MsgKind::Vote => "vote",
            MsgKind::VoteResponse => "vote_response",
            MsgKind::PreVote => "pre_vote",
            MsgKind::PreVoteResponse => "pre_vote_response",
            MsgKind::Append => "append",
            MsgKind::AppendResponse => "append_response",
            MsgKind::Heartbeat => "heartbeat",
            MsgKind::HeartbeatResponse => "heartbeat_response",
            MsgKind::TimeoutNow => "timeout_now",
            MsgKind::ClientRequest => "client_request",
            MsgKind::ClientResponse => "client_response",
        }
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
    pub result: Result<KvOutput, Option<u32>>,
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
                    "ClientResponse c{}#{} not leader (try n{h})",
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
        unit_enum(v, &MSG_KINDS, MsgKind::as_str)
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
            Endpoint::Node(id)
        } else {
            Endpoint::Client(id)
        })
    }
}
