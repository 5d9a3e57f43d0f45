//! Random small histories and a brute-force oracle, shared by the tests.
#![allow(dead_code)]

use check::{Call, History, ModelKind, Op, Outcome, Output};
use rand::{Rng, RngCore};
use std::collections::BTreeMap;

/// A random history of at most `ops_max` operations: a linearizable execution (each
/// operation takes effect at a random point of its interval; unknown ones maybe never),
/// then, half of the time, one answer corrupted.
pub fn random_history(rng: &mut impl RngCore, model: ModelKind, ops_max: usize) -> History {
    let n = rng.random_range(1..=ops_max);
    let clients = rng.random_range(1..=4u64);
    let keys: &[&str] = if model == ModelKind::Kv {
        &["x", "y"]
    } else {
        &[""]
    };
    let mut cursor: BTreeMap<u64, u64> =
        (1..=clients).map(|c| (c, rng.random_range(0..6))).collect();
    // (op, effect time, applied?)
    let mut ops: Vec<(Op, u64, bool)> = Vec::new();
    for id in 0..n as u64 {
        let client = rng.random_range(1..=clients);
        let invoke_us = cursor[&client] + rng.random_range(0..4);
        let complete_us = invoke_us + rng.random_range(0..10);
        cursor.insert(client, complete_us + rng.random_range(0..3));
        let key = keys[rng.random_range(0..keys.len())].to_string();
        let vals = ["1", "2", "3"];
        let call = match (model, rng.random_range(0..4)) {
            (_, 0) => Call::Get,
            (_, 1) => Call::Put {
                value: vals[rng.random_range(0..3)].into(),
            },
            (ModelKind::Kv, 2) => Call::Append {
                value: ["a", "b"][rng.random_range(0..2)].into(),
            },
            _ => Call::Cas {
                expected: [None, Some("1"), Some("2"), Some("1a")][rng.random_range(0..4)]
                    .map(String::from),
                value: vals[rng.random_range(0..3)].into(),
            },
        };
        let outcome = match rng.random_range(0..20) {
            0..=2 => Outcome::Unknown,
            3 => Outcome::Failed,
            _ => Outcome::Ok,
        };
        let applied = match outcome {
            Outcome::Ok => true,
            Outcome::Failed => false,
            Outcome::Unknown => rng.random_bool(0.5),
        };
        let effect = rng.random_range(
            invoke_us..=complete_us + if outcome == Outcome::Unknown { 20 } else { 0 },
        );
        let op = Op {
            id,
            client,
            key,
            call,
            invoke_us,
            complete_us: if outcome == Outcome::Unknown {
                None
            } else {
                Some(complete_us)
            },
            outcome,
            output: None,
            node: None,
        };
        ops.push((op, effect, applied));
    }
    // Execute in effect order.
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (ops[i].1, i));
    let mut state: BTreeMap<String, String> = BTreeMap::new();
    for i in order {
        if !ops[i].2 {
            continue;
        }
        let op = &ops[i].0;
        let (next, out) = spec(&state, op);
        state = next;
        if op.outcome == Outcome::Ok {
            ops[i].0.output = out;
        }
    }
    let mut operations: Vec<Op> = ops.into_iter().map(|(o, _, _)| o).collect();
    if rng.random_bool(0.5) {
        let readers: Vec<usize> = (0..operations.len())
            .filter(|&i| operations[i].outcome == Outcome::Ok && operations[i].output.is_some())
            .collect();
        if !readers.is_empty() {
            let i = readers[rng.random_range(0..readers.len())];
            operations[i].output = Some(match &operations[i].output {
                Some(Output::Swapped(b)) => Output::Swapped(!b),
                _ => Output::Value(
                    [None, Some("1"), Some("2"), Some("3a")][rng.random_range(0..4)]
                        .map(String::from),
                ),
            });
        }
    }
    History {
        version: 1,
        model,
        operations,
        final_states: None,
        final_applied: None,
    }
}

/// The oracle's own sequential specification: (next state, output).
pub fn spec(
    state: &BTreeMap<String, String>,
    op: &Op,
) -> (BTreeMap<String, String>, Option<Output>) {
    let mut s = state.clone();
    let cur = state.get(&op.key).cloned();
    let out = match &op.call {
        Call::Put { value } => {
            s.insert(op.key.clone(), value.clone());
            None
        }
        Call::Get => Some(Output::Value(cur)),
        Call::Append { value } => {
            s.insert(
                op.key.clone(),
                format!("{}{}", cur.unwrap_or_default(), value),
            );
            None
        }
        Call::Cas { expected, value } => {
            if *expected == cur {
                s.insert(op.key.clone(), value.clone());
                Some(Output::Swapped(true))
            } else {
                Some(Output::Swapped(false))
            }
        }
    };
    (s, out)
}

/// Brute force: tries every order (depth first, dropping prefixes the spec rejects) of
/// every subset of the unknown operations with all ok ones. `real_time`: an operation
/// must come after every ok operation that completed before it was invoked (else: after
/// the earlier ok operations of its own client only; those always precede it).
pub fn oracle(h: &History, real_time: bool) -> bool {
    let ops: Vec<&Op> = h
        .operations
        .iter()
        .filter(|o| o.outcome != Outcome::Failed)
        .collect();
    let must_precede = |a: &Op, b: &Op| -> bool {
        a.outcome == Outcome::Ok
            && ((real_time && a.complete_us.is_some_and(|c| c < b.invoke_us))
                || (a.client == b.client && (a.invoke_us, a.id) < (b.invoke_us, b.id)))
    };
    fn go(
        ops: &[&Op],
        placed: &mut Vec<bool>,
        state: &BTreeMap<String, String>,
        must_precede: &dyn Fn(&Op, &Op) -> bool,
    ) -> bool {
        if ops
            .iter()
            .zip(placed.iter())
            .all(|(o, p)| *p || o.outcome != Outcome::Ok)
        {
            return true;
        }
        for i in 0..ops.len() {
            if placed[i] {
                continue;
            }
            if (0..ops.len()).any(|j| !placed[j] && j != i && must_precede(ops[j], ops[i])) {
                continue;
            }
            let (next, out) = spec(state, ops[i]);
            if ops[i].outcome == Outcome::Ok && out != ops[i].output {
                continue;
            }
            placed[i] = true;
            let ok = go(ops, placed, &next, must_precede);
            placed[i] = false;
            if ok {
                return true;
            }
        }
        false
    }
    let mut placed = vec![false; ops.len()];
    go(&ops, &mut placed, &BTreeMap::new(), &must_precede)
}
