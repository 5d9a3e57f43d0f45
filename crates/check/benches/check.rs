//! Checker time on generated KV histories: `cargo bench -p raftlab-check --bench check`.
//!
//! The generator simulates a linearizable store: every client issues get/put/append
//! operations one after the other on random keys, with random latencies (100-2000 us) and
//! think times (0-200 us); each operation takes effect at a random instant of its interval
//! and the outputs follow from that order. Write values are unique. The violated variant
//! replaces the answer of one read in the middle of the history with the value its key had
//! ten writes earlier (a stale read). Prints a table; figures, not a timed test.

use check::{
    check_history, check_linearizability, kv_operations, Call, History, KvKeyModel, ModelKind, Op,
    Options, Outcome, Output, Verdict,
};
use rand::{Rng, SeedableRng};

#[path = "../tests/common/jepsen.rs"]
mod jepsen;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Step budget per check (all keys together).
const STEPS_MAX: u64 = 5_000_000;

fn generate(ops_n: usize, clients: u64, keys: usize, seed: u64, violated: bool) -> History {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ops: Vec<(Op, u64)> = Vec::with_capacity(ops_n);
    let mut now: Vec<u64> = (0..clients).map(|_| rng.random_range(0..200)).collect();
    for id in 0..ops_n as u64 {
        let c = (id % clients) as usize;
        let invoke_us = now[c];
        let complete_us = invoke_us + rng.random_range(100..=2000);
        now[c] = complete_us + rng.random_range(0..=200);
        let key = format!("k{}", rng.random_range(0..keys));
        let call = match rng.random_range(0..4) {
            0 | 1 => Call::Get,
            2 => Call::Put {
                value: format!("{id}"),
            },
            _ => Call::Append {
                value: format!("{id};"),
            },
        };
        let effect = rng.random_range(invoke_us..=complete_us);
        let op = Op {
            id,
            client: c as u64 + 1,
            key,
            call,
            invoke_us,
            complete_us: Some(complete_us),
            outcome: Outcome::Ok,
            output: None,
            node: None,
        };
        ops.push((op, effect));
    }
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (ops[i].1, i));
    let mut state: BTreeMap<String, String> = BTreeMap::new();
    let mut history_of: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    let mut stale: Option<(usize, Option<String>)> = None;
    for (pos, i) in order.into_iter().enumerate() {
        let op = &mut ops[i].0;
        let cur = state.get(&op.key).cloned();
        match &op.call {
            Call::Get => {
                let past = history_of.get(&op.key).map_or(&[][..], |v| &v[..]);
                if violated && stale.is_none() && pos >= ops_n / 2 && past.len() >= 12 {
                    stale = Some((i, past[past.len() - 10].clone()));
                }
                op.output = Some(Output::Value(cur));
            }
            Call::Put { value } => {
                history_of.entry(op.key.clone()).or_default().push(cur);
                state.insert(op.key.clone(), value.clone());
            }
            Call::Append { value } => {
                history_of
                    .entry(op.key.clone())
                    .or_default()
                    .push(cur.clone());
                state.insert(op.key.clone(), cur.unwrap_or_default() + value);
            }
            Call::Cas { .. } => unreachable!(),
        }
    }
    if let Some((i, v)) = stale {
        ops[i].0.output = Some(Output::Value(v));
    }
    History {
        version: 1,
        model: ModelKind::Kv,
        operations: ops.into_iter().map(|(o, _)| o).collect(),
        final_states: None,
        final_applied: None,
    }
}

#[allow(clippy::disallowed_methods)] // reason: a benchmark measures wall time
fn time_ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = std::time::Instant::now();
    let r = f();
    (r, t.elapsed().as_secs_f64() * 1e3)
}

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Violated => "violated",
        Verdict::Unknown => "UNKNOWN",
    }
}

/// The generated Jepsen-style register histories: every check (the CLI's default) against
/// linearizability alone, best of 3 runs each.
fn register_section() {
    const HISTORIES: u64 = 100;
    println!("register histories (tests/common/jepsen.rs standard set, {HISTORIES} histories, 60-100 ops, 5-8 workers)");
    let (mut all_total, mut lin_total) = (0.0f64, 0.0f64);
    let mut rows: Vec<(f64, u64, f64, f64, String)> = Vec::new();
    let mut unknown = 0;
    let (mut clients_max, mut lin_violated) = (0, 0);
    for i in 0..HISTORIES {
        let mut rng = ChaCha8Rng::seed_from_u64(0x05ee_d5e9 + i);
        let h = jepsen::register_history(&mut rng, jepsen::standard_params(i));
        let opts = Options::default();
        let (mut all_ms, mut lin_ms) = (f64::MAX, f64::MAX);
        let mut report = None;
        for _ in 0..3 {
            let (r, ms) = time_ms(|| check_history(&h, &opts));
            all_ms = all_ms.min(ms);
            report = Some(r);
            let (_, ms) = time_ms(|| check::check_history_linearizability(&h, &opts));
            lin_ms = lin_ms.min(ms);
        }
        let r = report.expect("ran");
        clients_max = clients_max.max(r.summary.clients);
        lin_violated += (r.linearizability.verdict == Verdict::Violated) as u32;
        unknown += (r.sequential.verdict == Verdict::Unknown) as u32;
        all_total += all_ms;
        lin_total += lin_ms;
        rows.push((
            all_ms / lin_ms.max(1e-3),
            i,
            all_ms,
            lin_ms,
            format!(
                "{} ops, {} clients; lin {} in {} steps, seq {} in {} steps",
                r.summary.ops,
                r.summary.clients,
                word(r.linearizability.verdict),
                r.linearizability.steps,
                word(r.sequential.verdict),
                r.sequential.steps
            ),
        ));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "  {HISTORIES} histories, up to {clients_max} clients, {lin_violated} not linearizable; sequential unknown on {unknown}"
    );
    println!(
        "  total: all checks {all_total:.1} ms, linearizability alone {lin_total:.1} ms ({:.2}x)",
        all_total / lin_total.max(1e-3)
    );
    println!("  worst ratios (history: all ms / linearizability ms):");
    for (ratio, i, a, l, v) in rows.iter().take(5) {
        println!("    #{i:<3} {a:>9.2} / {l:>7.2} = {ratio:>7.1}x  ({v})");
    }
    println!();
}

/// A history like the page's default workload: 2 clients each issuing one operation every
/// 100-300 ms (5 ops/s), on 3 keys, 30% put, 40% get, 20% append, 10% cas (expecting the
/// key's current value half of the time), 1-20 ms latency; 1% of the writes time out
/// (outcome unknown; they take effect later or never). A linearizable store.
fn page_workload(minutes: u64, seed: u64) -> History {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let end_us = minutes * 60_000_000;
    let mut ops: Vec<(Op, u64, bool)> = Vec::new();
    for client in 1..=2u64 {
        let mut t = rng.random_range(0..200_000u64);
        while t < end_us {
            let id = ops.len() as u64;
            let key = format!("k{}", rng.random_range(0..3));
            let call = match rng.random_range(0..10) {
                0..=2 => Call::Put {
                    value: format!("{client}.{id}"),
                },
                3..=6 => Call::Get,
                7 | 8 => Call::Append {
                    value: format!("{client}.{id};"),
                },
                _ => Call::Cas {
                    expected: None,
                    value: format!("{client}.{id}"),
                },
            };
            let complete_us = t + rng.random_range(1_000..=20_000);
            let timeout = !matches!(call, Call::Get) && rng.random_bool(0.01);
            let effect = if timeout {
                rng.random_range(t..=complete_us + 50_000)
            } else {
                rng.random_range(t..=complete_us)
            };
            let applied = !timeout || rng.random_bool(0.5);
            ops.push((
                Op {
                    id,
                    client,
                    key,
                    call,
                    invoke_us: t,
                    complete_us: (!timeout).then_some(complete_us),
                    outcome: if timeout {
                        Outcome::Unknown
                    } else {
                        Outcome::Ok
                    },
                    output: None,
                    node: None,
                },
                effect,
                applied,
            ));
            t = complete_us + rng.random_range(100_000..=300_000);
        }
    }
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (ops[i].1, i));
    let mut state: BTreeMap<String, String> = BTreeMap::new();
    for i in order {
        let (op, _, applied) = &mut ops[i];
        if !*applied {
            continue;
        }
        let cur = state.get(&op.key).cloned();
        let out = match &mut op.call {
            Call::Get => Some(Output::Value(cur)),
            Call::Put { value } => {
                state.insert(op.key.clone(), value.clone());
                None
            }
            Call::Append { value } => {
                state.insert(op.key.clone(), cur.unwrap_or_default() + value);
                None
            }
            Call::Cas { expected, value } => {
                // Half of the cas operations expect the current value.
                if op.id % 2 == 0 {
                    *expected = cur.clone();
                }
                let swap = *expected == cur;
                if swap {
                    state.insert(op.key.clone(), value.clone());
                }
                Some(Output::Swapped(swap))
            }
        };
        if op.outcome == Outcome::Ok {
            op.output = out;
        }
    }
    let mut operations: Vec<Op> = ops.into_iter().map(|o| o.0).collect();
    operations.sort_by_key(|o| (o.invoke_us, o.id));
    History {
        version: 1,
        model: ModelKind::Kv,
        operations,
        final_states: None,
        final_applied: None,
    }
}

/// Virtual minutes of the page's workload the incremental section runs by default; the
/// issue's full figure is an hour (`CHECK_BENCH_MINUTES=60`).
const INCREMENTAL_MINUTES_DEFAULT: u64 = 10;

/// The incremental checker fed the page's workload one operation at a time (each check
/// with the promise "everything invoked before the next operation is in"): the mean cost
/// per new operation over the 200 operations before 1, 10 and 60 minutes (those within
/// `CHECK_BENCH_MINUTES`, default [`INCREMENTAL_MINUTES_DEFAULT`]).
fn incremental_section() {
    const WINDOW: usize = 200;
    let minutes = std::env::var("CHECK_BENCH_MINUTES")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(INCREMENTAL_MINUTES_DEFAULT)
        .clamp(1, 600);
    // The same history whatever the length: the hour's, cut at `minutes`.
    let mut h = page_workload(60.max(minutes), 0x1a6e);
    h.operations.retain(|o| o.invoke_us < minutes * 60_000_000);
    println!(
        "incremental checker, page workload (2 clients at 5 ops/s, 3 keys, 1% unknown writes): {} operations in {minutes} min (CHECK_BENCH_MINUTES)",
        h.operations.len()
    );
    let marks_min: Vec<u64> = [1u64, 10, 60, 600]
        .into_iter()
        .filter(|&m| m <= minutes)
        .collect();
    let marks_us: Vec<u64> = marks_min.iter().map(|m| m * 60_000_000).collect();
    let mut c = check::IncrementalChecker::new(
        ModelKind::Kv,
        check::incremental::INCREMENTAL_STEPS_MAX_DEFAULT,
    );
    let ops = &h.operations;
    let mut times_ms: Vec<f64> = Vec::with_capacity(ops.len());
    let mut steps: Vec<u64> = Vec::with_capacity(ops.len());
    let mut last = None;
    for (k, op) in ops.iter().enumerate() {
        let settled = ops.get(k + 1).map_or(u64::MAX, |n| n.invoke_us);
        let (r, ms) = time_ms(|| {
            c.add(op);
            c.check(settled)
        });
        times_ms.push(ms);
        steps.push(r.steps);
        last = Some(r);
    }
    for (m, mark) in marks_us.iter().enumerate() {
        let end = ops.partition_point(|o| o.invoke_us < *mark);
        let from = end.saturating_sub(WINDOW);
        let n = (end - from).max(1) as f64;
        let mean_us = times_ms[from..end].iter().sum::<f64>() / n * 1e3;
        let max_us = times_ms[from..end].iter().cloned().fold(0.0, f64::max) * 1e3;
        let mean_steps = steps[from..end].iter().sum::<u64>() as f64 / n;
        println!(
            "  after {:>2} min ({end:>6} ops): {mean_us:>8.1} us per new operation (max {max_us:.1}), {mean_steps:.1} steps",
            marks_min[m]
        );
    }
    if let Some(r) = last {
        let carried: usize = r.partitions.iter().map(|p| p.unknown_carried).sum();
        let configs: Vec<usize> = r.partitions.iter().map(|p| p.configurations).collect();
        let modes: Vec<&str> = r.partitions.iter().map(|p| p.mode).collect();
        println!(
            "  at the end: verdict {}, {} covered, {} open, configurations {configs:?}, {carried} unknown carried, modes {modes:?}",
            word(r.verdict),
            r.ops_covered,
            r.ops_open
        );
    }
    println!();
}

fn main() {
    let only = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    if only.as_deref().is_none_or(|o| o == "register") {
        register_section();
    }
    if only.as_deref().is_none_or(|o| o == "incremental") {
        incremental_section();
    }
    if matches!(only.as_deref(), Some("register" | "incremental")) {
        return;
    }
    println!("checker benchmark: linearizability (KV model, per-key partitions), budget {STEPS_MAX} steps");
    println!("porcupine baseline: ~250 ms on a 50-client 10-key get/put/append history of ~2,000 ops; 40-50 ms violated");
    println!();
    println!(
        "{:>7} {:>7} {:>5} {:>9} | {:>9} {:>11} {:>10} {:>9} | {:>9}",
        "ops", "clients", "keys", "variant", "verdict", "steps", "check ms", "Msteps/s", "all ms"
    );
    let mut cases: Vec<(usize, u64, usize)> = vec![(2_000, 50, 10)];
    for ops in [1_000, 10_000, 100_000] {
        for clients in [5, 10, 50] {
            for keys in [1, 10, 100] {
                cases.push((ops, clients, keys));
            }
        }
    }
    for (ops_n, clients, keys) in cases {
        for violated in [false, true] {
            let name = format!("{ops_n}/{clients}/{keys}");
            if only.as_ref().is_some_and(|o| !name.starts_with(o.as_str())) {
                continue;
            }
            let seed = (ops_n as u64) * 1_000_003 + clients * 101 + keys as u64 + violated as u64;
            let h = generate(ops_n, clients, keys, seed, violated);
            let kv = kv_operations(&h);
            let repeats = (20_000 / ops_n).clamp(1, 10);
            let mut best = f64::MAX;
            let mut result = None;
            for _ in 0..repeats {
                let (r, ms) =
                    time_ms(|| check_linearizability(&KvKeyModel, &kv, STEPS_MAX, &mut |_| {}));
                best = best.min(ms);
                result = Some(r);
            }
            let r = result.expect("ran at least once");
            let opts = Options {
                linearizability_steps_max: STEPS_MAX,
                ..Options::default()
            };
            let (_, all_ms) = time_ms(|| check_history(&h, &opts));
            let rate = r.steps as f64 / best / 1e3;
            println!(
                "{:>7} {:>7} {:>5} {:>9} | {:>9} {:>11} {:>10.2} {:>9.1} | {:>9.2}",
                ops_n,
                clients,
                keys,
                if violated { "violated" } else { "healthy" },
                word(r.verdict),
                r.steps,
                best,
                rate,
                all_ms
            );
        }
    }
    println!();
    println!("check ms: best of up to 10 runs of the linearizability check alone; all ms: one");
    println!("check_history (linearizability, sequential consistency when small, sessions, convergence).");
}
