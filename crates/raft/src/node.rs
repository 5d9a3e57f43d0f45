//! One server's protocol state machine.

use crate::config::{Config, ConfigError};
use crate::membership::Configuration;
use crate::message::Message;
use crate::ready::{PersistentState, ProposeError, ReadError, ReadId, Ready, TransferError};
use crate::types::{EntryId, NodeId};
use crate::view::NodeView;

/// A Raft server. See the crate docs for the driving loop.
#[derive(Clone, Debug)]
pub struct Node<C> {
    _todo: std::marker::PhantomData<C>,
}

impl<C: Clone> Node<C> {
    /// A fresh server with an empty log in term 0, as a follower whose election timer fires
    /// at `now_us + election_timeout_us`.
    pub fn new(
        id: NodeId,
        config: Config,
        configuration: Configuration,
        election_timeout_us: u64,
        now_us: u64,
    ) -> Result<Self, ConfigError> {
        let _ = (id, config, configuration, election_timeout_us, now_us);
        unimplemented!()
    }

    /// A server recovering from persisted state after a crash: term, vote and log come back;
    /// commit index, applied index, role and leader are volatile and start over (the state
    /// machine is rebuilt by re-applying committed entries as the commit index is learned).
    pub fn restart(
        id: NodeId,
        config: Config,
        configuration: Configuration,
        persisted: PersistentState<C>,
        election_timeout_us: u64,
        now_us: u64,
    ) -> Result<Self, ConfigError> {
        let _ = (
            id,
            config,
            configuration,
            persisted,
            election_timeout_us,
            now_us,
        );
        unimplemented!()
    }

    /// Stages the next randomized election timeout. Each reset of the election timer uses the
    /// staged value and sets [`Ready::needs_election_timeout`].
    pub fn set_election_timeout(&mut self, election_timeout_us: u64) {
        let _ = election_timeout_us;
        unimplemented!()
    }

    /// The earliest node-local time at which [`Node::tick`] has work to do; `None` when no
    /// timer is armed. A driver that calls `tick` only at this time simulates idle nodes
    /// at no cost.
    pub fn next_deadline_us(&self) -> Option<u64> {
        unimplemented!()
    }

    /// Advances the node's clock to `now_us` and fires due timers (election timeout,
    /// heartbeat, CheckQuorum, transfer timeout). `now_us` never decreases across calls.
    pub fn tick(&mut self, now_us: u64) {
        let _ = now_us;
        unimplemented!()
    }

    /// Handles a message from `from` received at `now_us`.
    pub fn step(&mut self, now_us: u64, from: NodeId, msg: Message<C>) {
        let _ = (now_us, from, msg);
        unimplemented!()
    }

    /// Proposes a command. On a leader the command is appended to the log and replicated;
    /// the returned id is where it will commit if this leader stays in power.
    pub fn propose(&mut self, now_us: u64, command: C) -> Result<EntryId, ProposeError> {
        let _ = (now_us, command);
        unimplemented!()
    }

    /// Requests a linearizable read by the configured [`crate::ReadMode`]. When it can be
    /// served, a [`crate::ReadState`] with this `id` appears in a later (or the next) ready.
    pub fn read(&mut self, now_us: u64, id: ReadId) -> Result<(), ReadError> {
        let _ = (now_us, id);
        unimplemented!()
    }

    /// Starts transferring leadership to `to` (§3.10): stop accepting proposals, bring `to`
    /// up to date, then send it TimeoutNow.
    pub fn transfer_leadership(&mut self, now_us: u64, to: NodeId) -> Result<(), TransferError> {
        let _ = (now_us, to);
        unimplemented!()
    }

    /// Makes the election timer fire now (the UI's "force timeout"). A leader ignores it.
    pub fn campaign(&mut self, now_us: u64) {
        let _ = now_us;
        unimplemented!()
    }

    /// Whether [`Node::take_ready`] would return anything.
    pub fn has_ready(&self) -> bool {
        unimplemented!()
    }

    /// Drains the outputs accumulated since the last call. Obey the persistence rule on
    /// [`Ready`].
    pub fn take_ready(&mut self) -> Ready<C> {
        unimplemented!()
    }

    /// A read-only view of the node's state.
    pub fn view(&self) -> NodeView<'_, C> {
        unimplemented!()
    }
}
