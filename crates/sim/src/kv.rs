//! The replicated key-value state machine every node runs, with client sessions.
//!
//! A command carries its client session (client id, sequence number). With de-duplication
//! on, a command whose sequence number the session has already applied is not applied
//! again: the cached response of the latest one is returned (§6.3 of the Raft
//! dissertation). With it off, a retried command is applied twice.

use crate::vocab::vocab;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use util::SmallMap;

/// A client id (`c3`). Clients are numbered from 1.
pub type ClientId = u32;

/// The session of the commands proposed by the `start` action (a tester's `Start`, no
/// client behind it): the largest id, which no configured client has.
pub const TESTER_CLIENT: ClientId = ClientId::MAX;

vocab! {
    /// The kinds of KV operation: the `op` of a [`KvOp`], a history operation and a client
    /// action (`type`), by name.
    pub enum OpKind {
        /// `key := value`.
        Put = "put",
        /// Read `key`.
        Get = "get",
        /// `key := key ++ value`.
        Append = "append",
        /// Compare-and-set.
        Cas = "cas",
    }
    impl Serialize;
}

/// One KV operation (its `op` tag is its [`OpKind`]'s name; a test pins them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum KvOp {
    /// `key := value`.
    Put {
        /// Key.
        key: String,
        /// New value.
        value: String,
    },
    /// Read `key`.
    Get {
        /// Key.
        key: String,
    },
    /// `key := key ++ value` (absent counts as empty).
    Append {
        /// Key.
        key: String,
        /// Suffix.
        value: String,
    },
    /// If `key == expected` (`null`: absent) then `key := value`.
    Cas {
        /// Key.
        key: String,
        /// Required current value; `None` means absent.
        expected: Option<String>,
        /// New value.
        value: String,
    },
}

impl KvOp {
    /// The key.
    pub fn key(&self) -> &str {
        match self {
            KvOp::Put { key, .. }
            | KvOp::Get { key }
            | KvOp::Append { key, .. }
            | KvOp::Cas { key, .. } => key,
        }
    }

    /// Which operation.
    pub fn kind(&self) -> OpKind {
        match self {
            KvOp::Put { .. } => OpKind::Put,
            KvOp::Get { .. } => OpKind::Get,
            KvOp::Append { .. } => OpKind::Append,
            KvOp::Cas { .. } => OpKind::Cas,
        }
    }

    /// `put`, `get`, `append` or `cas`.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Reads change nothing.
    pub fn is_read(&self) -> bool {
        matches!(self, KvOp::Get { .. })
    }
}

impl fmt::Display for KvOp {
    /// `put x=1`, `get x`, `append x+=ab`, `cas x 1->2` (`_` for absent).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvOp::Put { key, value } => write!(f, "put {key}={value}"),
            KvOp::Get { key } => write!(f, "get {key}"),
            KvOp::Append { key, value } => write!(f, "append {key}+={value}"),
            KvOp::Cas {
                key,
                expected,
                value,
            } => write!(
                f,
                "cas {key} {}->{value}",
                expected.as_deref().unwrap_or("_")
            ),
        }
    }
}

/// A command in the replicated log: an operation with its client session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KvCommand {
    /// The client session.
    pub client: ClientId,
    /// The client's sequence number for this request (retries reuse it).
    pub seq: u64,
    /// The operation, shared: a command is copied into every log, message and ready that
    /// carries it, and sharing makes each copy a reference count instead of string copies.
    #[serde(serialize_with = "shared_op")]
    pub op: Arc<KvOp>,
}

fn shared_op<S: serde::Serializer>(op: &Arc<KvOp>, s: S) -> Result<S::Ok, S::Error> {
    op.as_ref().serialize(s)
}

impl fmt::Display for KvCommand {
    /// `c2#7 put x=1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.client {
            TESTER_CLIENT => write!(f, "tester#{} {}", self.seq, self.op),
            c => write!(f, "c{c}#{} {}", self.seq, self.op),
        }
    }
}

/// The result of an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KvOutput {
    /// `put` and `append`.
    Done,
    /// `get`: the value, `None` when absent.
    Value(Option<String>),
    /// `cas`: whether it swapped.
    Swapped(bool),
}

impl fmt::Display for KvOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvOutput::Done => write!(f, "done"),
            KvOutput::Value(Some(v)) => write!(f, "{v:?}"),
            KvOutput::Value(None) => write!(f, "absent"),
            KvOutput::Swapped(b) => write!(f, "swapped={b}"),
        }
    }
}

/// How applying a command went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyKind {
    /// First application of this session request.
    Fresh,
    /// A retry, recognised by the session table, not applied again.
    Deduplicated,
    /// A retry applied a second time (de-duplication off).
    AppliedAgain,
}

/// A client's session in one replica: the last request applied and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Session {
    /// The highest sequence number applied.
    last_seq: u64,
    /// Its output (what a retry of it gets with de-duplication on).
    output: KvOutput,
}

/// One node's replica: the map and the session table.
///
/// Invariant: for every session, `last_seq` is the highest sequence number applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvStore {
    data: SmallMap<String, String>,
    /// Per client: the last sequence number applied and its output.
    sessions: SmallMap<ClientId, Session>,
}

impl KvStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current value of `key`.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.data.get(key)
    }

    /// The whole map.
    pub fn data(&self) -> &SmallMap<String, String> {
        &self.data
    }

    /// The session table, by client: (client, last sequence number applied, its output).
    pub(crate) fn sessions(&self) -> Vec<(ClientId, u64, &KvOutput)> {
        self.sessions
            .iter()
            .map(|(c, s)| (*c, s.last_seq, &s.output))
            .collect()
    }

    /// Sets a client's session (restoring a snapshot).
    pub(crate) fn restore_session(&mut self, client: ClientId, last_seq: u64, output: KvOutput) {
        self.sessions.insert(client, Session { last_seq, output });
    }

    /// Applies `cmd`. With `dedup`, a sequence number at or below the session's last one
    /// returns the cached output (of the last request) without applying.
    pub fn apply(&mut self, cmd: &KvCommand, dedup: bool) -> (KvOutput, ApplyKind) {
        let seen = match self.sessions.get(&cmd.client) {
            Some(s) if cmd.seq <= s.last_seq => Some(&s.output),
            _ => None,
        };
        if let (true, Some(out)) = (dedup, seen) {
            return (out.clone(), ApplyKind::Deduplicated);
        }
        let seen = seen.is_some();
        let out = self.execute(&cmd.op);
        let kind = if seen {
            ApplyKind::AppliedAgain
        } else {
            ApplyKind::Fresh
        };
        let entry = self.sessions.get_or_insert_with(cmd.client, || Session {
            last_seq: 0,
            output: KvOutput::Done,
        });
        if cmd.seq >= entry.last_seq {
            *entry = Session {
                last_seq: cmd.seq,
                output: out.clone(),
            };
        }
        (out, kind)
    }

    /// Executes an operation on the map (no session bookkeeping).
    pub fn execute(&mut self, op: &KvOp) -> KvOutput {
        match op {
            KvOp::Put { key, value } => {
                self.set(key, value);
                KvOutput::Done
            }
            KvOp::Get { key } => KvOutput::Value(self.data.get(key).cloned()),
            KvOp::Append { key, value } => {
                match self.data.get_mut(key) {
                    Some(v) => v.push_str(value),
                    None => {
                        self.data.insert(key.clone(), value.clone());
                    }
                }
                KvOutput::Done
            }
            KvOp::Cas {
                key,
                expected,
                value,
            } => {
                // One lookup: a matching value is replaced in place.
                let swapped = match (self.data.get_mut(key), expected) {
                    (Some(v), Some(e)) if v == e => {
                        v.clear();
                        v.push_str(value);
                        true
                    }
                    (None, None) => {
                        self.data.insert(key.clone(), value.clone());
                        true
                    }
                    _ => false,
                };
                KvOutput::Swapped(swapped)
            }
        }
    }

    /// `key := value`, reusing the key and the old value's buffer when the key exists
    /// (the common case: workloads cycle over a few keys).
    fn set(&mut self, key: &str, value: &str) {
        match self.data.get_mut(key) {
            Some(v) => {
                v.clear();
                v.push_str(value);
            }
            None => {
                self.data.insert(key.to_string(), value.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(seq: u64) -> KvCommand {
        KvCommand {
            client: 1,
            seq,
            op: Arc::new(KvOp::Append {
                key: "x".into(),
                value: "a".into(),
            }),
        }
    }

    #[test]
    fn retried_command_is_applied_once_with_dedup() {
        let mut kv = KvStore::new();
        assert_eq!(kv.apply(&append(1), true).1, ApplyKind::Fresh);
        assert_eq!(kv.apply(&append(1), true).1, ApplyKind::Deduplicated);
        assert_eq!(kv.get("x").map(String::as_str), Some("a"));
    }

    #[test]
    fn retried_command_is_applied_twice_without_dedup() {
        let mut kv = KvStore::new();
        kv.apply(&append(1), false);
        assert_eq!(kv.apply(&append(1), false).1, ApplyKind::AppliedAgain);
        assert_eq!(kv.get("x").map(String::as_str), Some("aa"));
    }

    #[test]
    fn cas_swaps_only_on_match_and_absent_matches_none() {
        let mut kv = KvStore::new();
        let cas = |e: Option<&str>, v: &str| KvOp::Cas {
            key: "k".into(),
            expected: e.map(String::from),
            value: v.into(),
        };
        assert_eq!(kv.execute(&cas(None, "1")), KvOutput::Swapped(true));
        assert_eq!(kv.execute(&cas(Some("2"), "3")), KvOutput::Swapped(false));
        assert_eq!(kv.execute(&cas(Some("1"), "3")), KvOutput::Swapped(true));
        assert_eq!(kv.get("k").map(String::as_str), Some("3"));
    }
}
