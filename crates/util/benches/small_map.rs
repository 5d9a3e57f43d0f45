//! `SmallMap` against `BTreeMap` at the sizes the simulator and the checkers use:
//! `cargo bench -p raftlab-util --bench small_map`. Prints nanoseconds per operation
//! (best of several rounds): a lookup of a present key, an insert while building the map
//! in a shuffled key order, and a clone of the whole map (per map, not per entry), for
//! string keys (the KV store, node names) and integer keys (clients, terms).

use std::collections::BTreeMap;
use std::hint::black_box;
use util::SmallMap;

/// Rounds per figure; the best is printed.
const ROUNDS: usize = 7;
/// Operations per round, about.
const OPS_PER_ROUND: usize = 200_000;

#[allow(clippy::disallowed_methods)] // reason: a benchmark measures wall time
fn best_ns_per_op(ops: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..ROUNDS {
        let t = std::time::Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64() * 1e9 / ops as f64);
    }
    best
}

/// `0..n` in a fixed shuffled order (a linear congruential walk).
fn shuffled(n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut x = 12345u64;
    for i in (1..n).rev() {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        v.swap(i, (x >> 33) as usize % (i + 1));
    }
    v
}

fn row<K: Ord + Clone>(keys: &[K]) {
    let n = keys.len();
    let reps = (OPS_PER_ROUND / n).max(1);
    let build_small = || {
        let mut m = SmallMap::default();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k.clone(), i as u64);
        }
        m
    };
    let build_btree = || {
        let mut m = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k.clone(), i as u64);
        }
        m
    };
    let (small, btree) = (build_small(), build_btree());
    let get_small = best_ns_per_op(reps * n, || {
        for _ in 0..reps {
            for k in keys {
                black_box(small.get(black_box(k)));
            }
        }
    });
    let get_btree = best_ns_per_op(reps * n, || {
        for _ in 0..reps {
            for k in keys {
                black_box(btree.get(black_box(k)));
            }
        }
    });
    let insert_small = best_ns_per_op(reps * n, || {
        for _ in 0..reps {
            black_box(build_small());
        }
    });
    let insert_btree = best_ns_per_op(reps * n, || {
        for _ in 0..reps {
            black_box(build_btree());
        }
    });
    let clone_small = best_ns_per_op(reps, || {
        for _ in 0..reps {
            black_box(small.clone());
        }
    });
    let clone_btree = best_ns_per_op(reps, || {
        for _ in 0..reps {
            black_box(btree.clone());
        }
    });
    println!(
        "{n:>6} | {get_small:>8.1} {get_btree:>8.1} | {insert_small:>8.1} {insert_btree:>8.1} | {clone_small:>9.0} {clone_btree:>9.0}"
    );
}

fn header(what: &str) {
    println!("SmallMap<{what}, u64> against BTreeMap<{what}, u64>: ns per operation");
    println!(
        "{:>6} | {:>8} {:>8} | {:>8} {:>8} | {:>9} {:>9}",
        "keys", "get", "", "insert", "", "clone", ""
    );
    println!(
        "{:>6} | {:>8} {:>8} | {:>8} {:>8} | {:>9} {:>9}",
        "", "small", "btree", "small", "btree", "small", "btree"
    );
}

const SIZES: [usize; 6] = [4, 16, 64, 256, 1024, 4096];

fn main() {
    header("String");
    for n in SIZES {
        let keys: Vec<String> = shuffled(n).into_iter().map(|i| format!("k{i}")).collect();
        row(&keys);
    }
    println!();
    header("u64");
    for n in SIZES {
        let keys: Vec<u64> = shuffled(n).into_iter().map(|i| i as u64 * 7).collect();
        row(&keys);
    }
}
