//! The incremental checker agrees with the whole-history checker: on every testdata
//! history and on random histories (`CHECK_CASES`, default 2,000; 100,000 for the issue's
//! full run), fed whole and fed operation by operation in invocation order with the cut
//! promise after each.

mod common;

use check::{
    check_history, parse_history, History, IncrementalChecker, ModelKind, Options, Verdict,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn whole(h: &History) -> Verdict {
    let opts = Options {
        all_partitions: true,
        ..Options::default()
    };
    check_history(h, &opts).linearizability.verdict
}

fn incremental_at_once(h: &History) -> Verdict {
    let mut c = IncrementalChecker::new(h.model, 50_000_000);
    for op in &h.operations {
        c.add(op);
    }
    let r = c.check(u64::MAX);
    // A violated partition stops at the segment no configuration explains (final).
    if r.verdict != Verdict::Violated {
        assert_eq!(r.ops_open, 0, "{r:?}");
    }
    r.verdict
}

fn incremental_growing(h: &History) -> Verdict {
    let mut ops: Vec<&check::Op> = h.operations.iter().collect();
    ops.sort_by_key(|o| (o.invoke_us, o.id));
    let mut c = IncrementalChecker::new(h.model, 50_000_000);
    for (k, op) in ops.iter().enumerate() {
        c.add(op);
        // Every operation invoked before the next one's invocation is in.
        let settled = ops.get(k + 1).map_or(u64::MAX, |n| n.invoke_us);
        let r = c.check(settled);
        if r.verdict == Verdict::Violated {
            return Verdict::Violated;
        }
    }
    c.check(u64::MAX).verdict
}

#[test]
fn agrees_on_every_testdata_history() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let h = parse_history(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let want = whole(&h);
        assert_eq!(incremental_at_once(&h), want, "{}", path.display());
        assert_eq!(incremental_growing(&h), want, "{}", path.display());
    }
}

#[test]
fn agrees_on_random_histories() {
    let env = |n: &str| std::env::var(n).ok().and_then(|s| s.parse::<u64>().ok());
    let seed = env("CHECK_SEED").unwrap_or(0x5eed_0016);
    let cases = env("CHECK_CASES").unwrap_or(2000);
    println!("incremental vs whole: seed {seed}, {cases} cases (replay: CHECK_SEED={seed})");
    let mut violated = 0;
    for case in 0..cases {
        let case_seed = seed.wrapping_add(case);
        let mut rng = ChaCha8Rng::seed_from_u64(case_seed);
        let model = if case % 2 == 0 {
            ModelKind::Kv
        } else {
            ModelKind::Register
        };
        let h = common::random_history(&mut rng, model, 10);
        let want = whole(&h);
        let show = || {
            format!(
                "case seed {case_seed} (CHECK_SEED={case_seed} CHECK_CASES=1)\n{}",
                serde_json::to_string(&h.to_json()).unwrap()
            )
        };
        assert_eq!(incremental_at_once(&h), want, "at once: {}", show());
        assert_eq!(incremental_growing(&h), want, "growing: {}", show());
        violated += (want == Verdict::Violated) as u32;
    }
    println!("{cases} cases, {violated} violated");
}

/// Dozens of concurrent unknown-outcome writes nobody observed stay in the carried
/// configurations (holes, not enumerated subsets) and still agree.
#[test]
fn unknown_writes_nobody_saw_stay_incremental() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/kv-unknown-writes-nobody-saw.json");
    let h = parse_history(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut c = IncrementalChecker::new(h.model, 50_000_000);
    for op in &h.operations {
        c.add(op);
    }
    let r = c.check(u64::MAX);
    assert!(
        r.partitions.iter().all(|p| p.mode == "incremental"),
        "{r:?}"
    );
    assert_eq!(r.verdict, whole(&h));
    assert_eq!(r.ops_open, 0);
}

/// The fallback is taken and still agrees: twelve unknown appends concurrent with an ok
/// one, with the cut right after it, leave every subset and order of them before the ok
/// append as a distinct value (beyond `CONFIGS_MAX`), so the partition searches the whole;
/// a later read decides, the same way as the whole-history checker, both for a value that
/// some order explains and for one that none does.
#[test]
fn many_unknown_appends_before_an_ok_one_fall_back_to_the_whole_search() {
    for (read, want) in [("u3;u7;z;", Verdict::Ok), ("z;u3;u3;", Verdict::Violated)] {
        let mut ops: Vec<check::Op> = (0..12u64)
            .map(|i| check::Op {
                id: i,
                client: i + 2,
                key: "x".into(),
                call: check::Call::Append {
                    value: format!("u{i};"),
                },
                invoke_us: 0,
                complete_us: None,
                outcome: check::Outcome::Unknown,
                output: None,
                node: None,
            })
            .collect();
        ops.push(check::Op {
            id: 12,
            client: 1,
            key: "x".into(),
            call: check::Call::Append { value: "z;".into() },
            invoke_us: 0,
            complete_us: Some(100),
            outcome: check::Outcome::Ok,
            output: None,
            node: None,
        });
        let mut c = IncrementalChecker::new(ModelKind::Kv, 50_000_000);
        for op in &ops {
            c.add(op);
        }
        let r = c.check(200);
        assert_eq!(r.partitions[0].mode, "whole", "{r:?}");
        let get = check::Op {
            id: 13,
            client: 1,
            key: "x".into(),
            call: check::Call::Get,
            invoke_us: 300,
            complete_us: Some(400),
            outcome: check::Outcome::Ok,
            output: Some(check::Output::Value(Some(read.into()))),
            node: None,
        };
        c.add(&get);
        let r = c.check(u64::MAX);
        ops.push(get);
        let h = History {
            version: 1,
            model: ModelKind::Kv,
            operations: ops,
            final_states: None,
            final_applied: None,
        };
        assert_eq!(whole(&h), want, "{read}");
        assert_eq!(r.verdict, want, "{read}: {r:?}");
    }
}
