//! What AP replicas say to each other.

use super::version::Versioned;
use crate::vocab::vocab;
use std::fmt;

vocab! {
    /// The kinds of AP store message (each a [`crate::wire::MsgKind`]), by name.
    #[derive(PartialOrd, Ord)]
    pub enum ApKind {
        /// [`ApMessage::Write`].
        Write = "ap_write",
        /// [`ApMessage::WriteAck`].
        WriteAck = "ap_write_ack",
        /// [`ApMessage::Read`].
        Read = "ap_read",
        /// [`ApMessage::ReadReply`].
        ReadReply = "ap_read_reply",
        /// [`ApMessage::Repair`].
        Repair = "ap_repair",
        /// [`ApMessage::Sync`].
        Sync = "ap_sync",
        /// [`ApMessage::SyncReply`].
        SyncReply = "ap_sync_reply",
    }
}

/// A message between two replicas of the AP store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApMessage {
    /// Coordinator → replica: store this version (acknowledged).
    Write {
        /// The coordinator's request id.
        req: u64,
        /// Key.
        key: String,
        /// The version written.
        version: Versioned,
    },
    /// Replica → coordinator: the version of `req` is stored (or a newer one was there).
    WriteAck {
        /// The coordinator's request id.
        req: u64,
    },
    /// Coordinator → replica: what do you hold for `key`?
    Read {
        /// The coordinator's request id.
        req: u64,
        /// Key.
        key: String,
    },
    /// Replica → coordinator: what it holds.
    ReadReply {
        /// The coordinator's request id.
        req: u64,
        /// Its version, `None` when it holds nothing for the key.
        version: Option<Versioned>,
    },
    /// Coordinator → replica that answered a read with an older version: the newer one
    /// (read repair; not acknowledged).
    Repair {
        /// Key.
        key: String,
        /// The newer version.
        version: Versioned,
    },
    /// Anti-entropy, push: every version the sender holds.
    Sync {
        /// Key and version, by key.
        entries: Vec<(String, Versioned)>,
    },
    /// Anti-entropy, pull: the versions the receiver of a `Sync` held that were newer, or
    /// that the `Sync` lacked.
    SyncReply {
        /// Key and version, by key.
        entries: Vec<(String, Versioned)>,
    },
}

impl ApMessage {
    /// The kind.
    pub fn kind(&self) -> ApKind {
        match self {
            ApMessage::Write { .. } => ApKind::Write,
            ApMessage::WriteAck { .. } => ApKind::WriteAck,
            ApMessage::Read { .. } => ApKind::Read,
            ApMessage::ReadReply { .. } => ApKind::ReadReply,
            ApMessage::Repair { .. } => ApKind::Repair,
            ApMessage::Sync { .. } => ApKind::Sync,
            ApMessage::SyncReply { .. } => ApKind::SyncReply,
        }
    }

    /// Values and keys carried, in bytes (for message-size accounting).
    pub fn payload_bytes(&self) -> usize {
        let entry = |k: &str, v: &Versioned| k.len() + v.value.len() + 16;
        match self {
            ApMessage::Write { key, version, .. } | ApMessage::Repair { key, version } => {
                entry(key, version)
            }
            ApMessage::WriteAck { .. } => 0,
            ApMessage::Read { key, .. } => key.len(),
            ApMessage::ReadReply { version, .. } => {
                version.as_ref().map_or(0, |v| v.value.len() + 16)
            }
            ApMessage::Sync { entries } | ApMessage::SyncReply { entries } => {
                entries.iter().map(|(k, v)| entry(k, v)).sum()
            }
        }
    }
}

impl fmt::Display for ApMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, entries: &[(String, Versioned)]| {
            for (i, (k, v)) in entries.iter().enumerate() {
                write!(f, "{}{k}={v}", if i == 0 { "" } else { ", " })?;
            }
            Ok(())
        };
        match self {
            ApMessage::Write { req, key, version } => write!(f, "Write #{req} {key}={version}"),
            ApMessage::WriteAck { req } => write!(f, "WriteAck #{req}"),
            ApMessage::Read { req, key } => write!(f, "Read #{req} {key}"),
            ApMessage::ReadReply { req, version } => match version {
                Some(v) => write!(f, "ReadReply #{req} {v}"),
                None => write!(f, "ReadReply #{req} absent"),
            },
            ApMessage::Repair { key, version } => write!(f, "Repair {key}={version}"),
            ApMessage::Sync { entries } => {
                write!(f, "Sync [")?;
                list(f, entries)?;
                write!(f, "]")
            }
            ApMessage::SyncReply { entries } => {
                write!(f, "SyncReply [")?;
                list(f, entries)?;
                write!(f, "]")
            }
        }
    }
}
