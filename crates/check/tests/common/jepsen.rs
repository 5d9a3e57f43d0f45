//! Jepsen-style CAS-register histories: `workers` processes issue write/cas/read one after
//! the other on one register holding small integers; a write or cas that times out is
//! indeterminate (outcome unknown) and retires its process, the worker going on as a new
//! client, as Jepsen does. The store is linearizable except that, with probability
//! `stale_read_probability`, a read returns one of the last few values instead of the
//! current one (a stale read), which makes the history non-linearizable and often still
//! sequentially consistent.

use check::{Call, History, ModelKind, Op, Outcome, Output};
use rand::{Rng, RngCore};

/// Parameters of [`register_history`].
#[derive(Clone, Copy, Debug)]
pub struct RegisterParams {
    /// Operations in the history.
    pub ops: usize,
    /// Concurrent processes.
    pub workers: u64,
    /// Probability that a write or cas times out (and retires its process).
    pub timeout_probability: f64,
    /// Probability that a read returns a stale value.
    pub stale_read_probability: f64,
}

/// A generated register history (see the module comment).
pub fn register_history(rng: &mut impl RngCore, p: RegisterParams) -> History {
    let w = p.workers as usize;
    let mut client: Vec<u64> = (0..p.workers).collect();
    let mut next_client = p.workers;
    let mut now: Vec<u64> = (0..w).map(|_| rng.random_range(0..500)).collect();
    // (op, effect time, applied, stale read)
    let mut ops: Vec<(Op, u64, bool, bool)> = Vec::with_capacity(p.ops);
    for id in 0..p.ops as u64 {
        let k = (0..w).min_by_key(|&k| (now[k], k)).unwrap_or(0);
        let invoke_us = now[k];
        let latency_us = rng.random_range(200..=4000);
        let complete_us = invoke_us + latency_us;
        let call = match rng.random_range(0..3) {
            0 => Call::Get,
            1 => Call::Put {
                value: rng.random_range(0..5u8).to_string(),
            },
            _ => Call::Cas {
                expected: Some(rng.random_range(0..5u8).to_string()),
                value: rng.random_range(0..5u8).to_string(),
            },
        };
        let timeout = !matches!(call, Call::Get) && rng.random_bool(p.timeout_probability);
        let stale = matches!(call, Call::Get) && rng.random_bool(p.stale_read_probability);
        let (outcome, applied, effect) = if timeout {
            let applied = rng.random_bool(0.5);
            (
                Outcome::Unknown,
                applied,
                rng.random_range(invoke_us..=complete_us + 5000),
            )
        } else {
            (Outcome::Ok, true, rng.random_range(invoke_us..=complete_us))
        };
        ops.push((
            Op {
                id,
                client: client[k],
                key: String::new(),
                call,
                invoke_us,
                complete_us: (!timeout).then_some(complete_us),
                outcome,
                output: None,
                node: None,
            },
            effect,
            applied,
            stale,
        ));
        now[k] = complete_us + rng.random_range(0..=500);
        if timeout {
            client[k] = next_client;
            next_client += 1;
        }
    }
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (ops[i].1, i));
    let mut cur: Option<String> = None;
    let mut past: Vec<Option<String>> = Vec::new();
    for i in order {
        let (op, _, applied, stale) = &mut ops[i];
        if !*applied {
            continue;
        }
        let out = match &op.call {
            Call::Get => {
                let v = if *stale && !past.is_empty() {
                    let back = rng.random_range(1..=past.len().min(3));
                    past[past.len() - back].clone()
                } else {
                    cur.clone()
                };
                Some(Output::Value(v))
            }
            Call::Put { value } => {
                past.push(cur.replace(value.clone()));
                None
            }
            Call::Cas { expected, value } => {
                let swap = *expected == cur;
                if swap {
                    past.push(cur.replace(value.clone()));
                }
                Some(Output::Swapped(swap))
            }
            Call::Append { .. } => None,
        };
        if op.outcome == Outcome::Ok {
            op.output = out;
        }
    }
    History {
        version: 1,
        model: ModelKind::Register,
        operations: ops.into_iter().map(|o| o.0).collect(),
        final_states: None,
        final_applied: None,
    }
}

/// The parameters of the `i`-th history of the standard set: 5 to 8 workers, 60 to 100
/// operations, timeouts from 10% to 50% (up to ~40 clients), stale reads in most.
pub fn standard_params(i: u64) -> RegisterParams {
    RegisterParams {
        ops: 60 + (i as usize * 7) % 41,
        workers: 5 + i % 4,
        timeout_probability: [0.1, 0.2, 0.35, 0.5][(i / 4 % 4) as usize],
        stale_read_probability: [0.0, 0.05, 0.15, 0.3][(i / 16 % 4) as usize],
    }
}
