//! Clients and the workload: starting operations, attempts and retries, answers, the
//! next generated operation.

use super::queue::Ev;
use super::Sim;
use crate::config::PPM;
use crate::history::{self, Outcome};
use crate::json::push_decimal;
use crate::kv::{KvOp, KvOutput};
use crate::trace::TraceKind;
use crate::wire::{ClientRequest, ClientResponse, Endpoint, Payload};
use raft::NodeId;
use std::collections::VecDeque;
use std::sync::Arc;
use util::SmallMap;

/// A client's outstanding operation.
#[derive(Clone, Debug)]
pub(crate) struct PendingOp {
    pub hist: usize,
    pub seq: u64,
    pub op: Arc<KvOp>,
    pub target: NodeId,
    pub attempts: u32,
    pub maybe_effect: bool,
}

/// A manual operation waiting for the client's current one to finish, with the node to
/// send it to (`None`: the client's guess).
#[derive(Clone, Debug)]
pub(crate) struct QueuedOp {
    pub(super) op: KvOp,
    pub(super) node: Option<NodeId>,
}

/// A client's armed timer: its queue item's sequence number and what it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ClientTimer {
    pub(super) seq: u64,
    pub(super) kind: ClientTimerKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ClientTimerKind {
    Timeout,
    Backoff,
}

#[derive(Clone, Debug)]
pub(crate) struct SimClient {
    pub id: u32,
    pub next_seq: u64,
    pub guess: Option<NodeId>,
    pub(super) rotate: u32,
    pub current: Option<PendingOp>,
    pub queue: VecDeque<QueuedOp>,
    pub(super) timer: Option<ClientTimer>,
    pub(super) next_ev: Option<u64>,
    /// The value last seen per key, for the workload's cas (a key seen absent, or never
    /// seen, has no entry: either way the cas expects absence).
    pub(super) last_seen: SmallMap<String, String>,
}

/// A generated operation's value: `{client}.{seq}{suffix}`.
fn op_value(client: u32, seq: u64, suffix: &str) -> String {
    let mut v = String::with_capacity(24);
    push_decimal(&mut v, u64::from(client));
    v.push('.');
    push_decimal(&mut v, seq);
    v.push_str(suffix);
    v
}

/// Records `value` as the last value a client saw for `key`. A key seen before keeps its
/// strings: the value is copied into the existing buffer, so a client that keeps using the
/// same keys allocates nothing here.
fn remember(last_seen: &mut SmallMap<String, String>, key: &str, value: &str) {
    match last_seen.get_mut(key) {
        Some(v) => {
            v.clear();
            v.push_str(value);
        }
        None => {
            last_seen.insert(key.to_owned(), value.to_owned());
        }
    }
}

impl Sim {
    pub(super) fn rotate_target(&mut self, c: u32) -> NodeId {
        let n = self.node_count();
        // At most one lap: the home itself is always reachable.
        for _ in 0..n {
            let cl = &mut self.clients[c as usize - 1];
            cl.rotate = (cl.rotate + 1) % n;
            let t = NodeId(cl.rotate + 1);
            if self.reaches(c, t) {
                return t;
            }
        }
        NodeId(self.clients[c as usize - 1].rotate + 1)
    }

    /// Whether client `c` may send to `node`: always, unless clients stay on their home
    /// node's side of a partition (`clients.home_side_only`).
    fn reaches(&self, c: u32, node: NodeId) -> bool {
        if !self.config.clients.home_side_only {
            return true;
        }
        let home = NodeId((c - 1) % self.config.node_count + 1);
        node == home
            || (node.0 >= 1
                && node.0 <= self.node_count()
                && self.links[self.link_index(home, node)].up)
    }

    pub(super) fn start_op(&mut self, c: u32, op: KvOp, node: Option<NodeId>) {
        let hist = self.history.len();
        let cl = &mut self.clients[c as usize - 1];
        let seq = cl.next_seq;
        cl.next_seq += 1;
        self.history
            .push(history::invoked(hist as u64, c, &op, self.now_us));
        self.trace.push(
            self.now_us,
            TraceKind::ClientInvoke {
                client: c,
                op: hist as u64,
                seq,
            },
        );
        let target = match node.or(self.clients[c as usize - 1].guess) {
            Some(t) if self.reaches(c, t) => t,
            _ => {
                let cl = &self.clients[c as usize - 1];
                let t = NodeId(cl.rotate + 1);
                if self.reaches(c, t) {
                    t
                } else {
                    self.rotate_target(c)
                }
            }
        };
        self.clients[c as usize - 1].current = Some(PendingOp {
            hist,
            seq,
            op: Arc::new(op),
            target,
            attempts: 0,
            maybe_effect: false,
        });
        self.send_attempt(c);
    }

    pub(super) fn send_attempt(&mut self, c: u32) {
        let attempts_max = self.config.clients.attempts_max;
        let timeout = self.config.clients.timeout_us;
        let cl = &mut self.clients[c as usize - 1];
        let Some(p) = cl.current.as_mut() else { return };
        if p.attempts >= attempts_max {
            let outcome = if p.maybe_effect && !p.op.is_read() {
                Outcome::Unknown
            } else {
                Outcome::Failed
            };
            self.finish(c, outcome, None);
            return;
        }
        p.attempts += 1;
        let (hist, attempt, target, req) = (
            p.hist,
            p.attempts,
            p.target,
            ClientRequest {
                client: c,
                seq: p.seq,
                op: Arc::clone(&p.op),
            },
        );
        self.history[hist].node = Some(target.0);
        self.trace.push(
            self.now_us,
            TraceKind::ClientAttempt {
                client: c,
                op: hist as u64,
                attempt,
                node: target,
            },
        );
        self.send(
            Endpoint::Client(c),
            Endpoint::Node(target),
            Payload::Request(req),
        );
        let seq = self.schedule(self.now_us + timeout, Ev::ClientTimer(c));
        self.clients[c as usize - 1].timer = Some(ClientTimer {
            seq,
            kind: ClientTimerKind::Timeout,
        });
    }

    /// `from`: the node that answered (a late answer to an earlier attempt may come from
    /// another node than the current target).
    pub(super) fn on_client_response(&mut self, c: u32, from: NodeId, resp: ClientResponse) {
        let hosted = self.node_count();
        let cl = &mut self.clients[c as usize - 1];
        let Some(p) = cl.current.as_ref() else { return };
        if p.seq != resp.seq {
            return;
        }
        match resp.result {
            Ok(out) => {
                self.history[p.hist].node = Some(from.0);
                self.finish(c, Outcome::Ok, Some(out))
            }
            Err(hint) => {
                let target = p.target;
                let reachable = hint.filter(|&h| self.reaches(c, h));
                let cl = &mut self.clients[c as usize - 1];
                match reachable.filter(|&h| h != target && h.0 >= 1 && h.0 <= hosted) {
                    Some(h) => {
                        cl.guess = Some(h);
                        if let Some(p) = cl.current.as_mut() {
                            p.target = h;
                        }
                        self.send_attempt(c);
                    }
                    None => {
                        cl.guess = None;
                        let next = self.rotate_target(c);
                        let backoff = (self.config.clients.timeout_us / 10).clamp(1, 50_000);
                        let cl = &mut self.clients[c as usize - 1];
                        if let Some(p) = cl.current.as_mut() {
                            p.target = next;
                        }
                        let seq = self.schedule(self.now_us + backoff, Ev::ClientTimer(c));
                        self.clients[c as usize - 1].timer = Some(ClientTimer {
                            seq,
                            kind: ClientTimerKind::Backoff,
                        });
                    }
                }
            }
        }
    }

    pub(super) fn finish(&mut self, c: u32, outcome: Outcome, out: Option<KvOutput>) {
        let now = self.now_us;
        let cl = &mut self.clients[c as usize - 1];
        let Some(p) = cl.current.take() else { return };
        cl.timer = None;
        let op = &mut self.history[p.hist];
        match (&outcome, &out) {
            (Outcome::Ok, Some(o)) => {
                history::complete_ok(op, now, o);
                cl.guess = Some(p.target);
                match o {
                    KvOutput::Value(Some(v)) => {
                        remember(&mut cl.last_seen, p.op.key(), v);
                    }
                    KvOutput::Value(None) => {
                        cl.last_seen.remove(p.op.key());
                    }
                    _ => {}
                }
                match &*p.op {
                    KvOp::Put { key, value } => {
                        remember(&mut cl.last_seen, key, value);
                    }
                    KvOp::Cas { key, value, .. } if *o == KvOutput::Swapped(true) => {
                        remember(&mut cl.last_seen, key, value);
                    }
                    KvOp::Append { key, .. } => {
                        cl.last_seen.remove(key);
                    }
                    _ => {}
                }
            }
            (Outcome::Failed, _) => {
                op.outcome = Outcome::Failed;
                op.complete_us = Some(now);
            }
            _ => {
                op.outcome = Outcome::Unknown;
                op.complete_us = None;
            }
        }
        self.trace.push(
            now,
            TraceKind::ClientComplete {
                client: c,
                op: p.hist as u64,
                outcome,
            },
        );
        self.schedule_next_op(c);
    }

    pub(super) fn schedule_next_op(&mut self, c: u32) {
        let cl = &self.clients[c as usize - 1];
        if cl.current.is_some() || cl.next_ev.is_some() {
            return;
        }
        let at = if !cl.queue.is_empty() {
            self.now_us
        } else if self.config.workload.enabled {
            let t = PPM / u64::from(self.config.workload.rate_ops_per_s.max(1));
            self.now_us + self.uniform(t / 2, t + t / 2)
        } else {
            return;
        };
        let seq = self.schedule(at, Ev::ClientNext(c));
        self.clients[c as usize - 1].next_ev = Some(seq);
    }

    pub(super) fn workload_op(&mut self, c: u32) -> KvOp {
        let w = self.config.workload;
        let mut key = String::with_capacity(4);
        key.push('k');
        push_decimal(&mut key, self.uniform(0, u64::from(w.key_count) - 1));
        let seq = self.clients[c as usize - 1].next_seq;
        let mut pick = self.uniform(0, w.mix.total() - 1);
        let mut take = |weight: u32| {
            if pick < u64::from(weight) {
                true
            } else {
                pick -= u64::from(weight);
                false
            }
        };
        if take(w.mix.put) {
            KvOp::Put {
                key,
                value: op_value(c, seq, ""),
            }
        } else if take(w.mix.get) {
            KvOp::Get { key }
        } else if take(w.mix.append) {
            KvOp::Append {
                key,
                value: op_value(c, seq, ";"),
            }
        } else {
            let expected = self.clients[c as usize - 1].last_seen.get(&key).cloned();
            KvOp::Cas {
                key,
                expected,
                value: op_value(c, seq, ""),
            }
        }
    }

    pub(super) fn client_op(&mut self, c: u32, op: KvOp, node: Option<NodeId>) {
        let cl = &mut self.clients[c as usize - 1];
        if cl.current.is_none() && cl.queue.is_empty() {
            cl.next_ev = None;
            self.start_op(c, op, node);
        } else {
            cl.queue.push_back(QueuedOp { op, node });
            self.schedule_next_op(c);
        }
    }

    /// Whether any client operation is pending or queued.
    pub fn clients_busy(&self) -> bool {
        self.clients
            .iter()
            .any(|c| c.current.is_some() || !c.queue.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn generated_values_read_as_format_would_write_them() {
        for (c, seq) in [
            (0, 0),
            (1, 9),
            (7, 10),
            (64, 1_234_567),
            (u32::MAX, u64::MAX),
        ] {
            assert_eq!(op_value(c, seq, ""), format!("{c}.{seq}"));
            assert_eq!(op_value(c, seq, ";"), format!("{c}.{seq};"));
        }
    }
}
