//! The lying node's host: rewrites the messages a Byzantine node sends (the modes and the
//! monitors that catch them: [`crate::byzantine`]). The node's Raft core is never touched:
//! what it persisted, voted and committed stays honest; only the wire lies.

use super::Sim;
use crate::byzantine::ByzantineMode;
use crate::kv::{KvCommand, KvOp};
use crate::trace::TraceKind;
use crate::wire::{Endpoint, Payload};
use raft::{Entry, EntryPayload, Envelope, Message, NodeId};
use std::sync::Arc;

/// The forged value an equivocating leader tells the followers it lies to: the true value
/// with a prime, so the page and the goldens show both versions side by side.
fn forged(value: &str) -> String {
    format!("{value}'")
}

/// The entry with a write's value forged; `None` for entries with nothing to forge
/// (no-ops, configurations, reads).
fn forge_entry(e: &Entry<KvCommand>) -> Option<Entry<KvCommand>> {
    let EntryPayload::Command(c) = &e.payload else {
        return None;
    };
    let op = match &*c.op {
        KvOp::Put { key, value } => KvOp::Put {
            key: key.clone(),
            value: forged(value),
        },
        KvOp::Append { key, value } => KvOp::Append {
            key: key.clone(),
            value: forged(value),
        },
        KvOp::Cas {
            key,
            expected,
            value,
        } => KvOp::Cas {
            key: key.clone(),
            expected: expected.clone(),
            value: forged(value),
        },
        KvOp::Get { .. } => return None,
    };
    Some(Entry {
        id: e.id,
        payload: EntryPayload::Command(KvCommand {
            client: c.client,
            seq: c.seq,
            op: Arc::new(op),
        }),
    })
}

impl Sim {
    /// Sends `env` from the lying node as `mode` rewrites it, then records the lie (the
    /// record after the `send` line, naming the message) when something was rewritten.
    pub(super) fn send_lying(&mut self, env: Envelope<KvCommand>, mode: ByzantineMode) {
        let Envelope { from, to, mut msg } = env;
        let lied = match mode {
            ByzantineMode::Equivocate => self.equivocate(to, &mut msg),
            ByzantineMode::DoubleVote => match &mut msg {
                // Every refusal becomes a grant: the voter's own vote of this term (or its
                // own candidacy) no longer stops it. Pre-votes change no state: left honest.
                Message::RequestVoteResponse(r) if !r.pre_vote && !r.granted => {
                    r.granted = true;
                    true
                }
                _ => false,
            },
            ByzantineMode::FalseCommit => {
                // Its whole persisted log, as if a quorum held it.
                let claimed = self.nodes[from.0 as usize - 1].disk.last_index();
                let commit = match &mut msg {
                    Message::AppendEntries(ae) => Some(&mut ae.leader_commit),
                    Message::Heartbeat(hb) => Some(&mut hb.commit),
                    _ => None,
                };
                match commit {
                    Some(c) if *c < claimed => {
                        *c = claimed;
                        true
                    }
                    _ => false,
                }
            }
        };
        let id = self.next_msg_id;
        self.send(Endpoint::Node(from), Endpoint::Node(to), Payload::Raft(msg));
        if lied {
            let lie = TraceKind::Lie {
                id,
                node: from,
                to,
                mode,
            };
            self.trace.push(self.now_us, lie);
        }
    }

    /// Followers with an even id are told forged writes; the others the truth. Two camps
    /// that each hold a different entry at the same index and term. True when it forged.
    fn equivocate(&mut self, to: NodeId, msg: &mut Message<KvCommand>) -> bool {
        let Message::AppendEntries(ae) = msg else {
            return false;
        };
        if to.0 % 2 != 0 || !ae.entries.iter().any(|e| forge_entry(e).is_some()) {
            return false;
        }
        let entries: Vec<Entry<KvCommand>> = ae
            .entries
            .iter()
            .map(|e| forge_entry(e).unwrap_or_else(|| e.clone()))
            .collect();
        ae.entries = entries.into();
        true
    }
}
