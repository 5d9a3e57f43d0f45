//! The wire: who talks ([`Endpoint`]), what kind of message ([`MsgKind`]) and what it
//! carries ([`Payload`]: a Raft message, a client request or a node's answer).
//!
//! A leaf: it knows the protocol's messages and the KV operations they carry, nothing of
//! the world that moves them.

use crate::ap::{ApKind, ApMessage};
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
/// there), client traffic, and the AP store's kinds ([`ApKind`]). Serialized as its name
/// (`append`, `client_request`, `ap_write`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MsgKind {
    /// Node ↔ node.
    Raft(MessageKind),
    /// Client → node request.
    ClientRequest,
    /// Node → client answer.
    ClientResponse,
    /// Replica ↔ replica of the AP store.
    Ap(ApKind),
}

const RAFT_KINDS: usize = MessageKind::ALL.len();
const AP_KINDS: usize = ApKind::ALL.len();
/// Raft's kinds that sit before the client kinds. Kinds Raft gained later
/// (`install_snapshot`) come after them, so that the codes the trace hash folds in, and so
/// every recorded trace hash, stay what they were.
const RAFT_KINDS_FIRST: usize = MessageKind::InstallSnapshot as usize;

impl MsgKind {
    /// Every kind: Raft's first ones, the client kinds, Raft's later ones, then the AP
    /// store's (`ALL[k.code()] == k`).
    pub const ALL: &'static [MsgKind] = &{
        let mut all = [MsgKind::ClientResponse; RAFT_KINDS + 2 + AP_KINDS];
        let mut i = 0;
        while i < RAFT_KINDS {
            let k = MessageKind::ALL[i];
            all[MsgKind::Raft(k).code() as usize] = MsgKind::Raft(k);
            i += 1;
        }
        all[RAFT_KINDS_FIRST] = MsgKind::ClientRequest;
        let mut i = 0;
        while i < AP_KINDS {
            all[RAFT_KINDS + 2 + i] = MsgKind::Ap(ApKind::ALL[i]);
            i += 1;
        }
        all
    };

    /// The name of each kind, indexed like [`MsgKind::ALL`].
    pub const NAMES: &'static [&'static str] = &{
        let mut names = [""; RAFT_KINDS + 2 + AP_KINDS];
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
            MsgKind::Ap(k) => k.name(),
        }
    }

    /// The position in [`MsgKind::ALL`]: what the trace hash folds in.
    #[inline]
    pub const fn code(self) -> u64 {
        match self {
            MsgKind::Raft(k) if (k as usize) < RAFT_KINDS_FIRST => k as u64,
            MsgKind::Raft(k) => k as u64 + 2,
            MsgKind::ClientRequest => RAFT_KINDS_FIRST as u64,
            MsgKind::ClientResponse => RAFT_KINDS_FIRST as u64 + 1,
            MsgKind::Ap(k) => (RAFT_KINDS + 2) as u64 + k as u64,
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
    /// Replica ↔ replica of the AP store.
    Ap(ApMessage),
}

impl Payload {
    /// The kind.
    pub fn kind(&self) -> MsgKind {
        match self {
            Payload::Raft(m) => m.kind().into(),
            Payload::Request(_) => MsgKind::ClientRequest,
            Payload::Response(_) => MsgKind::ClientResponse,
            Payload::Ap(m) => MsgKind::Ap(m.kind()),
        }
    }
    pub(crate) fn term(&self) -> u64 {
        match self {
            Payload::Raft(m) => m.term().0,
            Payload::Request(r) => r.seq,
            Payload::Response(r) => r.seq,
            Payload::Ap(_) => 0,
        }
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Raft(m) => write!(f, "{m}"),
            // (The message's text only with the AP store built in: see `Sim::is_ap`.)
            Payload::Ap(m) if cfg!(feature = "ap") => write!(f, "{m}"),
            Payload::Ap(m) => write!(f, "{}", m.kind().name()),
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
        // The codes of kinds older than install_snapshot never move (recorded trace hashes).
        assert_eq!(
            MsgKind::NAMES[9..12],
            ["client_request", "client_response", "install_snapshot"]
        );
        // The AP store's kinds come after every Raft and client kind.
        assert_eq!(MsgKind::NAMES[12..], *ApKind::NAMES);
    }
}
