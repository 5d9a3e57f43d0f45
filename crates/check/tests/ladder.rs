//! The consistency-model ladder on the article's figures and hand-made boundary histories
//! (`testdata/ladder-*.json`), and the causal check against a brute force that tries every
//! order of every client's view on random small put/get histories.
//!
//! `CHECK_SEED=<n>` replays from seed n (case i uses seed n + i and prints it on failure);
//! `CHECK_CASES` sets the count.

use check::{
    check_causal, check_history, kv_operations, parse_history, History, ModelKind, Op, Options,
    Outcome, Verdict,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;

fn load(name: &str) -> History {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    parse_history(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strongest(name: &str) -> Option<&'static str> {
    check_history(&load(name), &Options::default())
        .ladder
        .strongest
}

#[test]
fn figure_b_is_linearizable() {
    assert_eq!(
        strongest("ladder-figure-b-strict.json"),
        Some("linearizable")
    );
}

#[test]
fn figure_a_is_sequential_not_linearizable() {
    let r = check_history(
        &load("ladder-figure-a-sequential.json"),
        &Options::default(),
    );
    assert_eq!(r.ladder.strongest, Some("sequential"));
    let why = r.ladder.rungs[0].why.as_ref().unwrap();
    // The reason names the stale read and the write it missed.
    assert!(why.contains("get(x)") && why.contains("put(x, 4)"), "{why}");
}

#[test]
fn figure_c_and_the_p1_p4_example_are_causal_not_sequential() {
    for name in [
        "ladder-figure-c-not-sequential.json",
        "ladder-causal-p1-p4.json",
    ] {
        let r = check_history(&load(name), &Options::default());
        assert_eq!(r.ladder.strongest, Some("causal"), "{name}");
        assert!(r.ladder.rungs[1].why.is_some(), "{name}: no words");
        assert!(r.causal.steps > 0, "{name}: causal not searched");
    }
}

#[test]
fn reading_4_then_2_is_eventual_not_causal() {
    let r = check_history(
        &load("ladder-eventual-not-causal.json"),
        &Options::default(),
    );
    assert_eq!(r.ladder.strongest, Some("eventual"));
    let why = r.ladder.rungs[2].why.as_ref().unwrap();
    assert_eq!(r.causal.client, Some(4));
    // get x -> 2 (#6) saw put x=2 (#0), overwritten by put x=4 (#2) in its causal past.
    assert_eq!(r.causal.ops, vec![0, 2, 6]);
    assert!(why.contains("c4's get(x) -> 2 #6 at 6.0 ms"), "{why}");
    assert!(why.contains("c1's put(x, 4) #2"), "{why}");
    // Reading 4 then 2 also breaks monotonic reads: the sessions rung fails, in words.
    assert_eq!(r.ladder.rungs[3].name, "sessions");
    assert_eq!(r.ladder.rungs[3].verdict, Verdict::Violated);
    let sessions_why = r.ladder.rungs[3].why.as_ref().unwrap();
    assert!(sessions_why.contains("monotonic reads"), "{sessions_why}");
    let text = r.to_text();
    assert!(text.contains("strongest model:      eventual"), "{text}");
}

#[test]
fn nil_after_a_write_in_the_causal_past_keeps_only_the_session_guarantees() {
    let r = check_history(&load("ladder-causal-init-read.json"), &Options::default());
    // Causality through another client is what the per-client guarantees cannot see.
    assert_eq!(r.ladder.strongest, Some("sessions"));
    assert_eq!(r.ladder.rungs[3].why, None);
    let why = r.ladder.rungs[2].why.as_ref().unwrap();
    assert!(
        why.contains("read nil") && why.contains("c1's put(x, 1) #0"),
        "{why}"
    );
    assert!(r.ladder.rungs[4].why.as_ref().unwrap().contains("node 2"));
    assert_eq!(r.ladder.sessions.len(), 4);
}

#[test]
fn a_value_nobody_wrote_and_a_causal_cycle_are_violations() {
    let mk = |ops: &str| {
        parse_history(&format!(
            r#"{{"version":1,"model":"kv","operations":[{ops}]}}"#
        ))
        .unwrap()
    };
    let thin = mk(
        r#"{"id":0,"client":1,"op":"get","key":"x","invoke_us":0,"complete_us":1,"outcome":"ok","output":"9"}"#,
    );
    let r = check_causal(&kv_operations(&thin), 200, 1000);
    assert_eq!(r.verdict, Verdict::Violated);
    assert!(r.plain.unwrap().contains("no operation wrote"));
    // c1 reads y=1 then writes x=1; c2 reads x=1 then writes y=1.
    let cyc = mk(
        r#"{"id":0,"client":1,"op":"get","key":"y","invoke_us":0,"complete_us":1,"outcome":"ok","output":"1"},
      {"id":1,"client":1,"op":"put","key":"x","value":"1","invoke_us":2,"complete_us":3,"outcome":"ok"},
      {"id":2,"client":2,"op":"get","key":"x","invoke_us":0,"complete_us":1,"outcome":"ok","output":"1"},
      {"id":3,"client":2,"op":"put","key":"y","value":"1","invoke_us":2,"complete_us":3,"outcome":"ok"}"#,
    );
    let r = check_causal(&kv_operations(&cyc), 200, 1000);
    assert_eq!(r.verdict, Verdict::Violated);
    assert!(r.plain.unwrap().contains("cycle"));
}

#[test]
fn the_causal_budget_gives_unknown() {
    let h = load("ladder-causal-p1-p4.json");
    let r = check_causal(&kv_operations(&h), 200, 2);
    assert_eq!(r.verdict, Verdict::Unknown);
    assert!(r.reason.unwrap().contains("out of budget"));
    let r = check_causal(&kv_operations(&h), 3, 1000);
    assert!(r.reason.unwrap().contains("too large"));
}

// --- The brute force -------------------------------------------------------------------

/// Causal memory straight from the definition: closure of program order and writes-into,
/// no cycle, and for each client some permutation of (its ops + all writes) extending it
/// in which each of its reads returns the latest write.
fn brute_causal(h: &History) -> Verdict {
    let ops: Vec<&Op> = h
        .operations
        .iter()
        .filter(|o| o.outcome == Outcome::Ok)
        .collect();
    let n = ops.len();
    let is_write = |o: &Op| o.call.is_write();
    let val = |o: &Op| match (&o.call, &o.output) {
        (check::Call::Put { value }, _) => Some(value.clone()),
        (_, Some(check::Output::Value(v))) => v.clone(),
        _ => None,
    };
    let mut before = vec![vec![false; n]; n];
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (ops[i], ops[j]);
            let po = a.client == b.client && (a.invoke_us, a.id) < (b.invoke_us, b.id);
            let wr = is_write(a) && !is_write(b) && a.key == b.key && val(a) == val(b);
            if po || wr {
                before[i][j] = true;
            }
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if before[i][k] && before[k][j] {
                    before[i][j] = true;
                }
            }
        }
    }
    if (0..n).any(|i| before[i][i]) {
        return Verdict::Violated;
    }
    let clients: std::collections::BTreeSet<u64> = ops.iter().map(|o| o.client).collect();
    for c in clients {
        let view: Vec<usize> = (0..n)
            .filter(|&i| ops[i].client == c || is_write(ops[i]))
            .collect();
        let mut perm = view.clone();
        if !permutations_any(&mut perm, 0, &mut |p| {
            let mut state: std::collections::BTreeMap<&str, Option<String>> = Default::default();
            for (x, &i) in p.iter().enumerate() {
                if p[x + 1..].iter().any(|&j| before[j][i]) {
                    return false;
                }
                let o = ops[i];
                if is_write(o) {
                    state.insert(&o.key, val(o));
                } else if state.get(o.key.as_str()).cloned().flatten() != val(o) {
                    return false;
                }
            }
            true
        }) {
            return Verdict::Violated;
        }
    }
    Verdict::Ok
}

fn permutations_any(v: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize]) -> bool) -> bool {
    if k == v.len() {
        return f(v);
    }
    for i in k..v.len() {
        v.swap(k, i);
        if permutations_any(v, k + 1, f) {
            v.swap(k, i);
            return true;
        }
        v.swap(k, i);
    }
    false
}

fn random_history(rng: &mut ChaCha8Rng) -> History {
    let clients = rng.random_range(1..=3u64);
    let n = rng.random_range(1..=7usize);
    let keys = ["x", "y"];
    let keys_used = rng.random_range(1..=2usize);
    let mut written: Vec<(String, String)> = Vec::new();
    let mut ops = Vec::new();
    let mut t = 0u64;
    for id in 0..n as u64 {
        let key = keys[rng.random_range(0..keys_used)].to_string();
        let client = rng.random_range(1..=clients);
        t += rng.random_range(0..3u64);
        let put = rng.random_bool(0.5);
        let call = if put {
            let v = format!("{id}");
            written.push((key.clone(), v.clone()));
            check::Call::Put { value: v }
        } else {
            check::Call::Get
        };
        // A read returns nil or a value written to its key anywhere in the history (later
        // ones too: reads from the future are violations the check must find).
        let output = if put {
            None
        } else {
            Some(check::Output::Value(None))
        };
        ops.push(Op {
            id,
            client,
            key,
            call,
            invoke_us: t,
            complete_us: Some(t + 1),
            outcome: Outcome::Ok,
            output,
            node: None,
        });
        t += 1;
    }
    for o in ops.iter_mut() {
        if !o.call.is_write() {
            let cands: Vec<&(String, String)> =
                written.iter().filter(|(k, _)| *k == o.key).collect();
            let pick = rng.random_range(0..=cands.len());
            if pick < cands.len() {
                o.output = Some(check::Output::Value(Some(cands[pick].1.clone())));
            }
        }
    }
    History {
        version: 1,
        model: ModelKind::Kv,
        operations: ops,
        final_states: None,
        final_applied: None,
    }
}

#[test]
fn causal_check_agrees_with_the_brute_force() {
    let env = |k: &str| std::env::var(k).ok().and_then(|s| s.parse::<u64>().ok());
    let seed = env("CHECK_SEED").unwrap_or(0x5eed_0019);
    let cases = env("CHECK_CASES").unwrap_or(3000);
    println!("causal oracle: seed {seed}, {cases} cases (CHECK_SEED/CHECK_CASES replay)");
    let (mut ok, mut bad) = (0, 0);
    for i in 0..cases {
        let mut rng = ChaCha8Rng::seed_from_u64(seed + i);
        let h = random_history(&mut rng);
        let want = brute_causal(&h);
        let got = check_causal(&kv_operations(&h), 200, 1_000_000);
        assert_eq!(
            got.verdict,
            want,
            "seed {} (CHECK_SEED={} CHECK_CASES=1): {:?}\n{}",
            seed + i,
            seed + i,
            got,
            h.operations
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        if want == Verdict::Ok {
            ok += 1;
        } else {
            bad += 1;
        }
    }
    println!("causal oracle: {ok} causal, {bad} not");
    assert!(
        ok > cases / 10 && bad > cases / 10,
        "{ok} ok, {bad} violated"
    );
}
