//! Differential tests: the linearizability and sequential-consistency searches against a
//! brute force that tries every order, on thousands of random histories of at most 8
//! operations, for both models.
//!
//! `CHECK_SEED=<n>` replays from seed n (each case i uses seed n + i and prints it on
//! failure; `CHECK_CASES=1` with that seed replays one case). `CHECK_CASES` sets the count.

mod common;

use check::{
    check_linearizability, check_sequential, kv_operations, History, KvModel, Model, ModelKind,
    Operation, RegisterModel, Verdict,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const SEED_DEFAULT: u64 = 0x5eed_0004;
const CASES_DEFAULT: u64 = 3000;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

fn lin<M: Model<Input = check::model::KvInput, Output = check::model::KvOutput>>(
    m: &M,
    ops: &[Operation<M::Input, M::Output>],
) -> Verdict {
    check_linearizability(m, ops, 10_000_000, &mut |_| {}).verdict
}

fn seq<M: Model<Input = check::model::KvInput, Output = check::model::KvOutput>>(
    m: &M,
    ops: &[Operation<M::Input, M::Output>],
) -> (Verdict, Vec<u64>) {
    let r = check_sequential(m, ops, 64, 10_000_000, &mut |_| {});
    (r.verdict, r.order)
}

/// A witness order must respect program order and the spec.
fn order_is_sequential(h: &History, order: &[u64]) -> bool {
    use check::Outcome;
    let mut state = std::collections::BTreeMap::new();
    let mut placed = std::collections::BTreeSet::new();
    for id in order {
        let Some(op) = h.operations.iter().find(|o| o.id == *id) else {
            return false;
        };
        let (next, out) = common::spec(&state, op);
        if op.outcome == Outcome::Ok && out != op.output {
            return false;
        }
        for p in &h.operations {
            if p.client == op.client
                && p.outcome == Outcome::Ok
                && (p.invoke_us, p.id) < (op.invoke_us, op.id)
                && !placed.contains(&p.id)
            {
                return false;
            }
        }
        placed.insert(*id);
        state = next;
    }
    h.operations
        .iter()
        .all(|o| o.outcome != Outcome::Ok || placed.contains(&o.id))
}

fn run(model: ModelKind) {
    let seed = env_u64("CHECK_SEED").unwrap_or(SEED_DEFAULT);
    let cases = env_u64("CHECK_CASES").unwrap_or(CASES_DEFAULT);
    println!("oracle {model}: seed {seed}, {cases} cases (replay: CHECK_SEED={seed})");
    let mut counts = [[0u32; 2]; 2]; // [lin][seq] verdicts seen, to show both occur
    for case in 0..cases {
        let case_seed = seed.wrapping_add(case);
        let mut rng = ChaCha8Rng::seed_from_u64(case_seed);
        let h = common::random_history(&mut rng, model, 8);
        assert!(
            h.validate().is_empty(),
            "generator made an invalid history: {:?}",
            h.validate()
        );
        let ops = kv_operations(&h);
        let want_lin = common::oracle(&h, true);
        let want_seq = common::oracle(&h, false);
        let (got_lin, (got_seq, order)) = match model {
            ModelKind::Kv => {
                let a = lin(&KvModel, &ops);
                assert_eq!(a, lin(&check::KvKeyModel, &ops));
                (a, seq(&KvModel, &ops))
            }
            ModelKind::Register => (lin(&RegisterModel, &ops), seq(&RegisterModel, &ops)),
        };
        let show = || {
            format!(
                "case seed {case_seed} (replay: CHECK_SEED={case_seed} CHECK_CASES=1)\n{}",
                serde_json::to_string_pretty(&h.to_json()).unwrap()
            )
        };
        let as_verdict = |b: bool| if b { Verdict::Ok } else { Verdict::Violated };
        assert_eq!(
            got_lin,
            as_verdict(want_lin),
            "linearizability differs from the oracle: {}",
            show()
        );
        assert_eq!(
            got_seq,
            as_verdict(want_seq),
            "sequential consistency differs from the oracle: {}",
            show()
        );
        if got_seq == Verdict::Ok {
            assert!(
                order_is_sequential(&h, &order),
                "bad witness order {order:?}: {}",
                show()
            );
        }
        // Linearizable implies sequentially consistent.
        assert!(!want_lin || want_seq, "oracle inconsistency: {}", show());
        counts[want_lin as usize][want_seq as usize] += 1;
    }
    println!("oracle {model}: (lin, seq) verdict counts [violated/ok]: {counts:?}");
    if cases >= 1000 {
        assert!(
            counts[1][1] > 50 && counts[0][0] > 50 && counts[0][1] > 10,
            "generator lacks variety: {counts:?}"
        );
    }
}

#[test]
fn kv_linearizability_and_sequential_match_brute_force() {
    run(ModelKind::Kv);
}

#[test]
fn register_linearizability_and_sequential_match_brute_force() {
    run(ModelKind::Register);
}

#[test]
fn same_history_same_report() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED_DEFAULT);
    for _ in 0..200 {
        let h = common::random_history(&mut rng, ModelKind::Kv, 8);
        let a = check::check_history(&h, &check::Options::default());
        let b = check::check_history(&h, &check::Options::default());
        assert_eq!(a, b);
    }
}
