//! The network: links, the messages in flight and the user's message rules; sending,
//! duplicating, dropping and delivering.

use super::queue::Ev;
use super::Sim;
use crate::kv::{ClientId, KvOutput};
use crate::trace::{DropReason, TraceKind};
use crate::wire::{ClientResponse, Endpoint, MsgKind, Payload};
use raft::{AppendEntriesResponse, Message, NodeId};

/// A message on the wire.
///
/// Invariant: exactly one of — scheduled (`!held && !waiting`, one live queue item with
/// `qseq`), held by the user, or arrived at a paused node (`waiting`, in its inbox).
#[derive(Clone, Debug)]
pub struct InFlight {
    /// Stable id.
    pub id: u64,
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// Content.
    pub payload: Payload,
    /// Send time.
    pub sent_at_us: u64,
    /// Planned arrival.
    pub deliver_at_us: u64,
    /// Held by the user.
    pub held: bool,
    /// Arrived at a paused node; delivered on resume.
    pub waiting: bool,
    pub(super) qseq: u64,
}

/// In-flight messages in a slab: a message keeps its slot from send to arrival or drop, so
/// the queue refers to it by slot (a small `Copy` key) and a delivery costs no map lookup.
/// Slots are reused LIFO; the choice of slot never affects behaviour (ids and queue order
/// do). Lookups by id (user actions, views) scan the slab.
#[derive(Clone, Debug, Default)]
pub(crate) struct MsgSlab {
    pub(super) slots: Vec<Option<InFlight>>,
    pub(super) free: Vec<u32>,
}

impl MsgSlab {
    #[inline]
    pub(super) fn insert(&mut self, m: InFlight) -> u32 {
        match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(m);
                s
            }
            None => {
                self.slots.push(Some(m));
                (self.slots.len() - 1) as u32
            }
        }
    }
    #[inline]
    pub(super) fn get(&self, slot: u32) -> Option<&InFlight> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }
    #[inline]
    pub(super) fn get_mut(&mut self, slot: u32) -> Option<&mut InFlight> {
        self.slots.get_mut(slot as usize).and_then(Option::as_mut)
    }
    #[inline(always)]
    pub(super) fn remove(&mut self, slot: u32) -> Option<InFlight> {
        let m = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        Some(m)
    }
    /// Messages in flight.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }
    /// The slot of message `id` (a scan: for user actions, not the event loop).
    pub fn slot_of(&self, id: u64) -> Option<u32> {
        self.slots
            .iter()
            .position(|m| m.as_ref().is_some_and(|m| m.id == id))
            .map(|s| s as u32)
    }
    /// Message `id`.
    pub fn by_id(&self, id: u64) -> Option<&InFlight> {
        self.slot_of(id).and_then(|s| self.get(s))
    }
    /// Every message, by id.
    pub fn sorted(&self) -> Vec<&InFlight> {
        let mut v: Vec<&InFlight> = self.slots.iter().flatten().collect();
        // Ids are unique: an unstable sort is exact.
        util::sort::sort_by_key(&mut v, |m| m.id);
        v
    }
    /// Slots of the messages matching `f`, by id.
    pub(super) fn slots_where(&self, f: impl Fn(&InFlight) -> bool) -> Vec<u32> {
        let mut v: Vec<(u64, u32)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(s, m)| m.as_ref().filter(|m| f(m)).map(|m| (m.id, s as u32)))
            .collect();
        util::sort::sort_by_key(&mut v, |m| m.0);
        v.into_iter().map(|(_, s)| s).collect()
    }
}

/// A message rule (`drop_next` / `hold_next`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MsgRule {
    pub hold: bool,
    pub from: Option<Endpoint>,
    pub to: Option<Endpoint>,
    pub kind: Option<MsgKind>,
    pub remaining: u32,
}

impl Sim {
    pub(super) fn link_index(&self, from: NodeId, to: NodeId) -> usize {
        ((from.0 - 1) * self.node_count() + (to.0 - 1)) as usize
    }

    /// Lays the link arrays out for one more node (called before it is hosted): the old
    /// links keep their settings and in-flight counts, the new node's links take the
    /// network defaults (up, even under a partition: the new node is in no group).
    pub(super) fn grow_links(&mut self) {
        let old = self.node_count() as usize;
        let new = old + 1;
        let mut links = vec![self.config.network; new * new];
        let mut inflight = vec![0; new * new];
        for a in 0..old {
            for b in 0..old {
                links[a * new + b] = self.links[a * old + b];
                inflight[a * new + b] = self.link_inflight[a * old + b];
            }
        }
        self.links = links;
        self.link_inflight = inflight;
    }

    /// Node `n` answers a client request: the output, or "not the leader" with a hint.
    pub(super) fn respond(
        &mut self,
        n: NodeId,
        client: ClientId,
        seq: u64,
        result: Result<KvOutput, Option<NodeId>>,
    ) {
        self.send(
            Endpoint::Node(n),
            Endpoint::Client(client),
            Payload::Response(ClientResponse {
                client,
                seq,
                result,
            }),
        );
    }

    pub(super) fn send(&mut self, from: Endpoint, to: Endpoint, payload: Payload) {
        let id = self.next_msg_id;
        self.next_msg_id += 1;
        let kind = payload.kind();
        self.trace.push(
            self.now_us,
            TraceKind::Send {
                id,
                from,
                to,
                kind,
                term: payload.term(),
            },
        );
        self.msg_stats.on_send(kind, &payload);
        if let Payload::Raft(Message::AppendEntriesResponse(r)) = &payload {
            if !r.success {
                self.note_rejection(from, to, r);
            }
        }
        let mut hold = false;
        if !self.rules.is_empty() {
            if let Some(r) = self.rules.iter_mut().find(|r| {
                r.remaining > 0
                    && r.from.is_none_or(|f| f == from)
                    && r.to.is_none_or(|t| t == to)
                    && r.kind.is_none_or(|k| k == kind)
            }) {
                r.remaining -= 1;
                hold = r.hold;
                if !r.hold {
                    self.msg_stats.dropped[kind.code() as usize] += 1;
                    self.trace.push(
                        self.now_us,
                        TraceKind::Drop {
                            id,
                            from,
                            to,
                            kind,
                            reason: DropReason::Rule,
                        },
                    );
                    self.rules.retain(|r| r.remaining > 0);
                    return;
                }
            }
            self.rules.retain(|r| r.remaining > 0);
        }
        let (latency, dup, link) = match (from, to) {
            (Endpoint::Node(a), Endpoint::Node(b)) => {
                let li = self.link_index(a, b);
                let l = self.links[li];
                let reason = if !l.up {
                    Some(DropReason::LinkDown)
                } else if self.chance_ppm(l.loss_ppm) {
                    Some(DropReason::Lost)
                } else if self.link_inflight[li] >= self.config.link_inflight_msgs_max {
                    self.link_overflows += 1;
                    Some(DropReason::LinkOverflow)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    self.msg_stats.dropped[kind.code() as usize] += 1;
                    self.trace.push(
                        self.now_us,
                        TraceKind::Drop {
                            id,
                            from,
                            to,
                            kind,
                            reason,
                        },
                    );
                    return;
                }
                let mut lat = self.uniform(l.latency_us_min, l.latency_us_max);
                let dup = self.chance_ppm(l.duplicate_ppm);
                // After the other draws, and none at 0: worlds without reordering draw
                // exactly what they drew before it existed.
                if self.chance_ppm(l.reorder_ppm) {
                    lat += l.latency_us_max;
                }
                (lat, dup, Some(li))
            }
            _ => {
                let c = self.config.clients;
                (
                    self.uniform(c.latency_us_min, c.latency_us_max),
                    false,
                    None,
                )
            }
        };
        if dup {
            self.send_duplicate(id, from, to, &payload, latency, hold, link);
        }
        self.enqueue(id, from, to, payload, latency, hold, link);
    }

    /// The network duplicates message `id`: the copy gets an id and a latency of its own.
    /// (Rare: out of `send`, so that `enqueue` is inlined there only.)
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    pub(super) fn send_duplicate(
        &mut self,
        id: u64,
        from: Endpoint,
        to: Endpoint,
        payload: &Payload,
        latency: u64,
        hold: bool,
        link: Option<usize>,
    ) {
        let copy = self.next_msg_id;
        self.next_msg_id += 1;
        self.msg_stats.duplicated[payload.kind().code() as usize] += 1;
        self.trace
            .push(self.now_us, TraceKind::Duplicate { id, copy });
        let lat2 = match (from, to) {
            (Endpoint::Node(a), Endpoint::Node(b)) => {
                let l = self.links[self.link_index(a, b)];
                self.uniform(l.latency_us_min, l.latency_us_max)
            }
            _ => latency,
        };
        self.enqueue(copy, from, to, payload.clone(), lat2, hold, link);
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(super) fn enqueue(
        &mut self,
        id: u64,
        from: Endpoint,
        to: Endpoint,
        payload: Payload,
        latency: u64,
        held: bool,
        link: Option<usize>,
    ) {
        let at = self.now_us + latency;
        if let Some(li) = link {
            self.link_inflight[li] += 1;
        }
        let slot = self.inflight.insert(InFlight {
            id,
            from,
            to,
            payload,
            sent_at_us: self.now_us,
            deliver_at_us: at,
            held,
            waiting: false,
            qseq: 0,
        });
        if !held {
            let qseq = self.schedule(at, Ev::Deliver(slot));
            self.inflight.get_mut(slot).expect("inserted").qseq = qseq;
        }
    }

    // Inlined (like `enqueue`) so that the 112-byte message is moved once, not per call.
    // `always`: the size-optimized Wasm build ignores a plain `#[inline]`.
    #[inline(always)]
    pub(super) fn remove_msg(&mut self, slot: u32) -> Option<InFlight> {
        let m = self.inflight.remove(slot)?;
        if let (Endpoint::Node(a), Endpoint::Node(b)) = (m.from, m.to) {
            let li = self.link_index(a, b);
            self.link_inflight[li] -= 1;
        }
        Some(m)
    }

    pub(super) fn drop_msg(&mut self, slot: u32, reason: DropReason) {
        if let Some(m) = self.remove_msg(slot) {
            if let (Endpoint::Node(n), true) = (m.to, m.waiting) {
                self.nodes[n.0 as usize - 1].inbox.retain(|&x| x != slot);
            }
            self.msg_stats.dropped[m.payload.kind().code() as usize] += 1;
            self.trace.push(
                self.now_us,
                TraceKind::Drop {
                    id: m.id,
                    from: m.from,
                    to: m.to,
                    kind: m.payload.kind(),
                    reason,
                },
            );
        }
    }

    pub(super) fn deliver(&mut self, slot: u32) {
        let (id, from, to) = match self.inflight.get(slot) {
            Some(m) => (m.id, m.from, m.to),
            None => return,
        };
        if let (Endpoint::Node(a), Endpoint::Node(b)) = (from, to) {
            if !self.links[self.link_index(a, b)].up {
                self.drop_msg(slot, DropReason::LinkDown);
                return;
            }
        }
        if let Endpoint::Node(n) = to {
            let node = &self.nodes[n.0 as usize - 1];
            if !node.is_up() {
                self.drop_msg(slot, DropReason::NodeCrashed);
                return;
            }
            if node.paused {
                if let Some(m) = self.inflight.get_mut(slot) {
                    m.waiting = true;
                }
                self.nodes[n.0 as usize - 1].inbox.push(slot);
                return;
            }
        }
        let m = self.remove_msg(slot).expect("present");
        self.msg_stats.delivered[m.payload.kind().code() as usize] += 1;
        self.trace.push(
            self.now_us,
            TraceKind::Deliver {
                id,
                from,
                to,
                kind: m.payload.kind(),
            },
        );
        match (to, m.payload) {
            (Endpoint::Node(n), Payload::Raft(msg)) => {
                let from = match from {
                    Endpoint::Node(f) => f,
                    Endpoint::Client(_) => return,
                };
                self.with_node(n, |r, t| r.step(t, from, msg));
            }
            (Endpoint::Node(n), Payload::Ap(msg)) => {
                if let Endpoint::Node(from) = from {
                    self.with_replica(n, |r, t| r.step(from, msg, t));
                }
            }
            (Endpoint::Node(n), Payload::Request(req)) => self.on_client_request(n, req),
            (Endpoint::Client(c), Payload::Response(resp)) => match from {
                Endpoint::Node(f) => self.on_client_response(c, f, resp),
                Endpoint::Client(_) => {}
            },
            _ => {}
        }
    }

    /// A follower refused an AppendEntries: a note beside the `send` of its reply (not
    /// hashed, see `TraceKind::AppendRejected`). Out of line: `send` is the hot path.
    #[cold]
    #[inline(never)]
    fn note_rejection(&mut self, from: Endpoint, to: Endpoint, r: &AppendEntriesResponse) {
        if let (Endpoint::Node(node), Endpoint::Node(leader)) = (from, to) {
            self.trace.note(
                self.now_us,
                TraceKind::AppendRejected {
                    node,
                    leader,
                    index: r.index,
                    hint: r.reject_hint,
                },
            );
        }
    }

    pub(super) fn release(&mut self, slot: u32) {
        let Some(m) = self.inflight.get(slot) else {
            return;
        };
        let at = m.deliver_at_us.max(self.now_us);
        let qseq = self.schedule(at, Ev::Deliver(slot));
        let m = self.inflight.get_mut(slot).expect("present");
        m.held = false;
        m.deliver_at_us = at;
        m.qseq = qseq;
    }

    pub(super) fn links_matching(&self, from: Option<NodeId>, to: Option<NodeId>) -> Vec<usize> {
        let n = self.node_count();
        let mut v = Vec::new();
        for a in (1..=n).map(NodeId) {
            for b in (1..=n).map(NodeId) {
                if a != b && from.is_none_or(|f| f == a) && to.is_none_or(|t| t == b) {
                    v.push(self.link_index(a, b));
                }
            }
        }
        v
    }
}
