//! One replica of the AP store: its versions, the requests it coordinates, its
//! anti-entropy turn. Pure: inputs are calls with the replica's local time, outputs are
//! drained with [`Replica::take_output`].

use super::message::ApMessage;
use super::version::{supersedes, Stamp, Versioned};
use super::ApConfig;
use crate::kv::{ClientId, KvOp, KvOutput, KvStore};
use raft::NodeId;
use std::collections::BTreeMap;

/// Requests one replica coordinates at once; past it the oldest is dropped unanswered
/// (its client times out).
pub const PENDING_REQUESTS_MAX: usize = 1_024;

/// What survives a crash: every version held and the highest stamp seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Durable {
    /// Versions by key.
    pub store: BTreeMap<String, Versioned>,
    /// The highest stamp seen (the next write's stamp is above it).
    pub stamp_max: Stamp,
}

/// A client's answer from its coordinator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Client.
    pub client: ClientId,
    /// The request's sequence number.
    pub seq: u64,
    /// The operation's output.
    pub output: KvOutput,
}

/// Outputs to drain after each input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Messages to other replicas, in sending order.
    pub messages: Vec<(NodeId, ApMessage)>,
    /// Answers to clients.
    pub answers: Vec<Answer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Waiting {
    /// A write: replicas known to hold it (the coordinator included) and what to answer.
    Write { acks: u32, output: KvOutput },
    /// A read: the replies so far, the newest version among them, whether answered.
    Read {
        replied: Vec<(NodeId, Option<Versioned>)>,
        newest: Option<Versioned>,
        answered: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pending {
    client: ClientId,
    seq: u64,
    key: String,
    deadline_local_us: u64,
    waiting: Waiting,
}

/// One AP replica (see the module documentation of [`crate::ap`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replica {
    id: NodeId,
    replicas: u32,
    config: ApConfig,
    durable: Durable,
    pending: BTreeMap<u64, Pending>,
    next_req: u64,
    /// The replica the next anti-entropy exchange goes to.
    sync_peer: NodeId,
    /// When it starts, local µs (`None`: anti-entropy off or no other replica).
    sync_at_local_us: Option<u64>,
    out: Output,
}

impl Replica {
    /// A replica `id` of `1..=replicas` with an empty store, at local time `now_local_us`.
    pub fn new(id: NodeId, replicas: u32, config: ApConfig, now_local_us: u64) -> Replica {
        Replica::restart(id, replicas, config, Durable::default(), now_local_us)
    }

    /// A replica rebuilt from what survived its crash.
    pub fn restart(
        id: NodeId,
        replicas: u32,
        config: ApConfig,
        durable: Durable,
        now_local_us: u64,
    ) -> Replica {
        let interval = config.anti_entropy_interval_us;
        let mut r = Replica {
            id,
            replicas,
            config,
            durable,
            pending: BTreeMap::new(),
            next_req: 1,
            sync_peer: id,
            // Replicas start their turns spread over one interval, not all at once.
            sync_at_local_us: (interval > 0 && replicas > 1)
                .then(|| now_local_us + interval * u64::from(id.0) / u64::from(replicas.max(1))),
            out: Output::default(),
        };
        r.sync_peer = r.next_peer(id);
        r
    }

    /// This replica's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// What survives a crash.
    pub fn durable(&self) -> &Durable {
        &self.durable
    }

    /// The version held for `key`.
    pub fn version(&self, key: &str) -> Option<&Versioned> {
        self.durable.store.get(key)
    }

    /// Requests being coordinated.
    pub fn pending_requests(&self) -> usize {
        self.pending.len()
    }

    /// The next local instant at which [`Replica::tick`] has work.
    pub fn next_deadline_us(&self) -> Option<u64> {
        let request = self.pending.values().map(|p| p.deadline_local_us).min();
        match (request, self.sync_at_local_us) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Moves the outputs gathered since the last call into `out` (which is cleared first).
    pub fn take_output(&mut self, out: &mut Output) {
        out.messages.clear();
        out.answers.clear();
        std::mem::swap(out, &mut self.out);
    }

    /// Whether outputs wait to be drained.
    pub fn has_output(&self) -> bool {
        !self.out.messages.is_empty() || !self.out.answers.is_empty()
    }

    /// A client's operation arrives at this replica, which coordinates it.
    pub fn client_request(&mut self, client: ClientId, seq: u64, op: &KvOp, now_local_us: u64) {
        let key = op.key().to_string();
        let deadline_local_us = now_local_us.saturating_add(self.config.request_timeout_us);
        let req = self.next_req;
        self.next_req += 1;
        if let KvOp::Get { .. } = op {
            let mine = self.durable.store.get(&key).cloned();
            let waiting = Waiting::Read {
                replied: vec![(self.id, mine.clone())],
                newest: mine,
                answered: false,
            };
            self.broadcast(|| ApMessage::Read {
                req,
                key: key.clone(),
            });
            self.add_pending(req, client, seq, key, deadline_local_us, waiting);
            self.maybe_answer_read(req);
            return;
        }
        // The new value from this replica's copy, by the KV store's own semantics.
        let mut one = KvStore::new();
        if let Some(v) = self.durable.store.get(&key) {
            one.execute(&KvOp::Put {
                key: key.clone(),
                value: v.value.clone(),
            });
        }
        let output = one.execute(op);
        let Some(value) = one.get(&key).cloned() else {
            // A cas that did not swap on an absent key: nothing to write.
            self.answer(client, seq, output);
            return;
        };
        let changed = self
            .durable
            .store
            .get(&key)
            .is_none_or(|v| v.value != value);
        if !changed && matches!(output, KvOutput::Swapped(false)) {
            // A cas that did not swap writes nothing.
            self.answer(client, seq, output);
            return;
        }
        let stamp = Stamp {
            time_us: now_local_us.max(self.durable.stamp_max.time_us + 1),
            node: self.id,
        };
        let version = Versioned { value, stamp };
        self.merge(&key, &version);
        if self.config.write_quorum <= 1 {
            self.answer(client, seq, output.clone());
        }
        self.broadcast(|| ApMessage::Write {
            req,
            key: key.clone(),
            version: version.clone(),
        });
        if self.config.write_quorum > 1 {
            let waiting = Waiting::Write { acks: 1, output };
            self.add_pending(req, client, seq, key, deadline_local_us, waiting);
        }
    }

    /// A message from replica `from` arrives.
    pub fn step(&mut self, from: NodeId, msg: ApMessage, _now_local_us: u64) {
        match msg {
            ApMessage::Write { req, key, version } => {
                self.merge(&key, &version);
                self.send(from, ApMessage::WriteAck { req });
            }
            ApMessage::WriteAck { req } => {
                let quorum = self.config.write_quorum;
                let Some(p) = self.pending.get_mut(&req) else {
                    return;
                };
                let Waiting::Write { acks, output } = &mut p.waiting else {
                    return;
                };
                *acks += 1;
                if *acks >= quorum {
                    let (client, seq, output) = (p.client, p.seq, output.clone());
                    self.pending.remove(&req);
                    self.answer(client, seq, output);
                }
            }
            ApMessage::Read { req, key } => {
                let version = self.durable.store.get(&key).cloned();
                self.send(from, ApMessage::ReadReply { req, version });
            }
            ApMessage::ReadReply { req, version } => self.read_reply(req, from, version),
            ApMessage::Repair { key, version } => self.merge(&key, &version),
            ApMessage::Sync { entries } => {
                let mut theirs: BTreeMap<&str, &Versioned> = BTreeMap::new();
                for (k, v) in &entries {
                    theirs.insert(k, v);
                }
                // What this replica holds newer, or the sender lacks, goes back.
                let back: Vec<(String, Versioned)> = self
                    .durable
                    .store
                    .iter()
                    .filter(|(k, v)| supersedes(v, theirs.get(k.as_str()).copied()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for (k, v) in &entries {
                    self.merge(k, v);
                }
                if !back.is_empty() {
                    self.send(from, ApMessage::SyncReply { entries: back });
                }
            }
            ApMessage::SyncReply { entries } => {
                for (k, v) in &entries {
                    self.merge(k, v);
                }
            }
        }
    }

    /// Time passes to `now_local_us`: requests past their deadline are dropped, and an
    /// anti-entropy exchange starts when its turn has come.
    pub fn tick(&mut self, now_local_us: u64) {
        self.pending
            .retain(|_, p| p.deadline_local_us > now_local_us);
        if let Some(at) = self.sync_at_local_us.filter(|&at| at <= now_local_us) {
            let entries: Vec<(String, Versioned)> = self
                .durable
                .store
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let peer = self.sync_peer;
            self.sync_peer = self.next_peer(peer);
            self.send(peer, ApMessage::Sync { entries });
            let interval = self.config.anti_entropy_interval_us;
            // The next turn one interval after this one, skipping turns missed while
            // paused (one exchange per tick, never a burst).
            let next = at.saturating_add(interval);
            self.sync_at_local_us = Some(if next <= now_local_us {
                now_local_us.saturating_add(interval)
            } else {
                next
            });
        }
    }

    fn read_reply(&mut self, req: u64, from: NodeId, version: Option<Versioned>) {
        let Some(p) = self.pending.get_mut(&req) else {
            return;
        };
        let Waiting::Read {
            replied,
            newest,
            answered,
        } = &mut p.waiting
        else {
            return;
        };
        if replied.iter().any(|(n, _)| *n == from) {
            return; // a duplicated reply
        }
        let key = p.key.clone();
        if *answered {
            // A late reply: repair it if it is behind, learn from it if it is ahead.
            let repair = newest
                .as_ref()
                .filter(|best| supersedes(best, version.as_ref()))
                .cloned();
            let learn = version
                .as_ref()
                .filter(|v| supersedes(v, newest.as_ref()))
                .cloned();
            if let Some(v) = &learn {
                *newest = Some(v.clone());
            }
            replied.push((from, version));
            if replied.len() as u32 >= self.replicas {
                self.pending.remove(&req);
            }
            if let Some(version) = repair {
                self.send(from, ApMessage::Repair { key, version });
            } else if let Some(v) = learn {
                self.merge(&key, &v);
            }
            return;
        }
        if let Some(v) = &version {
            if supersedes(v, newest.as_ref()) {
                *newest = Some(v.clone());
            }
        }
        replied.push((from, version));
        self.maybe_answer_read(req);
    }

    /// Answers a read once `R` replies are in, and repairs the repliers that were behind.
    fn maybe_answer_read(&mut self, req: u64) {
        let (quorum, replicas) = (self.config.read_quorum, self.replicas);
        let Some(p) = self.pending.get_mut(&req) else {
            return;
        };
        let Waiting::Read {
            replied,
            newest,
            answered,
        } = &mut p.waiting
        else {
            return;
        };
        if *answered || (replied.len() as u32) < quorum {
            return;
        }
        *answered = true;
        let (client, seq, key) = (p.client, p.seq, p.key.clone());
        let newest = newest.clone();
        let behind: Vec<NodeId> = replied
            .iter()
            .filter(|(_, v)| newest.as_ref().is_some_and(|n| supersedes(n, v.as_ref())))
            .map(|(n, _)| *n)
            .collect();
        let all_replied = replied.len() as u32 >= replicas;
        if all_replied {
            self.pending.remove(&req);
        }
        self.answer(
            client,
            seq,
            KvOutput::Value(newest.as_ref().map(|v| v.value.clone())),
        );
        if let Some(v) = newest {
            for n in behind {
                if n == self.id {
                    self.merge(&key, &v);
                } else {
                    self.send(
                        n,
                        ApMessage::Repair {
                            key: key.clone(),
                            version: v.clone(),
                        },
                    );
                }
            }
        }
    }

    fn add_pending(
        &mut self,
        req: u64,
        client: ClientId,
        seq: u64,
        key: String,
        deadline_local_us: u64,
        waiting: Waiting,
    ) {
        if self.pending.len() >= PENDING_REQUESTS_MAX {
            self.pending.pop_first();
        }
        self.pending.insert(
            req,
            Pending {
                client,
                seq,
                key,
                deadline_local_us,
                waiting,
            },
        );
    }

    /// Stores `version` if it supersedes what is held; the stamp seen rises either way.
    fn merge(&mut self, key: &str, version: &Versioned) {
        self.durable.stamp_max = self.durable.stamp_max.max(version.stamp);
        match self.durable.store.get_mut(key) {
            Some(v) if supersedes(version, Some(v)) => *v = version.clone(),
            Some(_) => {}
            None => {
                self.durable.store.insert(key.to_string(), version.clone());
            }
        }
    }

    fn broadcast(&mut self, mut msg: impl FnMut() -> ApMessage) {
        for n in 1..=self.replicas {
            if n != self.id.0 {
                self.send(NodeId(n), msg());
            }
        }
    }

    fn send(&mut self, to: NodeId, msg: ApMessage) {
        self.out.messages.push((to, msg));
    }

    fn answer(&mut self, client: ClientId, seq: u64, output: KvOutput) {
        self.out.answers.push(Answer {
            client,
            seq,
            output,
        });
    }

    /// The replica after `n` in `1..=replicas`, skipping this one.
    fn next_peer(&self, n: NodeId) -> NodeId {
        let next = n.0 % self.replicas + 1;
        if next == self.id.0 {
            NodeId(next % self.replicas + 1)
        } else {
            NodeId(next)
        }
    }
}
