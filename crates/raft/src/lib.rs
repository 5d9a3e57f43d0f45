//! A complete Raft server as a pure, synchronous state machine.
//!
//! (Crate documentation: written with the implementation.)

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod entry;
mod event;
mod log;
mod membership;
mod message;
mod node;
pub mod quorum;
mod ready;
mod types;
mod view;

pub use config::{Config, ConfigError, ReadMode, TeachingToggles};
pub use entry::{Entry, EntryPayload};
pub use event::Event;
pub use membership::Configuration;
pub use message::{
    AppendEntries, AppendEntriesResponse, Envelope, Heartbeat, HeartbeatResponse, Message,
    MessageKind, RequestVote, RequestVoteResponse, TimeoutNow,
};
pub use node::Node;
pub use ready::{
    HardState, PersistentState, ProposeError, ReadError, ReadId, ReadState, Ready, Role, SoftState,
    TransferError,
};
pub use types::{EntryId, LogIndex, NodeId, Term};
pub use view::{NodeView, ProgressView, ReplicationState};
