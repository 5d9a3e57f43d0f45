//! The parser never panics and names the bad field: malformed inputs of every kind.

mod common;

use check::{parse_history, ModelKind};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

fn base() -> Value {
    json!({"version": 1, "model": "kv", "operations": [
        {"id": 0, "client": 1, "op": "put", "key": "x", "value": "1",
         "invoke_us": 0, "complete_us": 10, "outcome": "ok"},
        {"id": 1, "client": 2, "op": "get", "key": "x",
         "invoke_us": 5, "complete_us": 20, "outcome": "ok", "output": "1"},
        {"id": 2, "client": 3, "op": "cas", "key": "x", "expected": null, "value": "2",
         "invoke_us": 5, "complete_us": 20, "outcome": "ok", "output": false},
        {"id": 3, "client": 1, "op": "append", "key": "x", "value": "a",
         "invoke_us": 30, "complete_us": null, "outcome": "unknown"}
    ], "final_states": {"1": {"x": "1a"}}})
}

fn error_of(v: &Value) -> String {
    parse_history(&v.to_string()).unwrap_err().to_string()
}

fn with(path: &[&str], new: Value) -> Value {
    let mut v = base();
    let mut cur = &mut v;
    for (i, p) in path.iter().enumerate() {
        if i + 1 == path.len() {
            if new == Value::String("<remove>".into()) {
                cur.as_object_mut().unwrap().remove(*p);
            } else if let (Some(a), Ok(n)) = (cur.as_array_mut(), p.parse::<usize>()) {
                a[n] = new.clone();
            } else {
                cur[*p] = new.clone();
            }
            break;
        }
        cur = match (cur.is_array(), p.parse::<usize>()) {
            (true, Ok(n)) => &mut cur[n],
            _ => &mut cur[*p],
        };
    }
    v
}

#[test]
fn base_is_valid() {
    parse_history(&base().to_string()).unwrap();
}

#[test]
fn each_kind_of_bad_field_is_named() {
    let rm = || json!("<remove>");
    let cases: Vec<(Value, &str)> = vec![
        (json!([1, 2]), "expected an object, got an array"),
        (
            with(&["version"], json!(2)),
            "version: unsupported version 2, expected 1",
        ),
        (with(&["version"], rm()), "version: missing"),
        (
            with(&["model"], json!("graph")),
            "model: expected one of kv, register, got \"graph\"",
        ),
        (
            with(&["operations"], json!({})),
            "operations: expected an array, got an object",
        ),
        (
            with(&["operations", "1"], json!(7)),
            "operations[1]: expected an object, got a number",
        ),
        (
            with(&["operations", "1", "id"], json!(-1)),
            "operations[1].id: expected an integer in 0..=2^53-1, got -1",
        ),
        (
            with(&["operations", "1", "id"], json!(1.5)),
            "operations[1].id: expected an integer",
        ),
        (
            with(&["operations", "1", "id"], json!(0)),
            "operations[1].id: duplicate id 0 (also operations[0])",
        ),
        (
            with(&["operations", "0", "client"], rm()),
            "operations[0].client: missing",
        ),
        (
            with(&["operations", "0", "op"], json!("delete")),
            "operations[0].op: expected one of put, get, append, cas, got \"delete\"",
        ),
        (
            with(&["operations", "0", "key"], json!(3)),
            "operations[0].key: expected a string, got a number",
        ),
        (
            with(&["operations", "0", "value"], rm()),
            "operations[0].value: missing",
        ),
        (
            with(&["operations", "2", "expected"], rm()),
            "operations[2].expected: missing",
        ),
        (
            with(&["operations", "2", "expected"], json!(false)),
            "operations[2].expected: expected a string or null, got a boolean",
        ),
        (
            with(&["operations", "3", "outcome"], json!("done")),
            "operations[3].outcome: expected one of ok, failed, unknown, got \"done\"",
        ),
        (
            with(&["operations", "3", "outcome"], json!("ok")),
            "operations[3].complete_us: null is only allowed when the outcome is unknown",
        ),
        (
            with(&["operations", "0", "complete_us"], json!(null)),
            "operations[0].complete_us: null is only allowed",
        ),
        (
            with(&["operations", "0", "outcome"], json!("unknown")),
            "operations[0].complete_us: must be null when the outcome is unknown",
        ),
        (
            with(&["operations", "1", "complete_us"], json!(1)),
            "operations[1].complete_us: 1 is before invoke_us 5",
        ),
        (
            with(
                &["operations", "1", "complete_us"],
                json!(9007199254740992u64),
            ),
            "operations[1].complete_us: expected an integer in 0..=2^53-1",
        ),
        (
            with(&["operations", "1", "output"], rm()),
            "operations[1].output: missing",
        ),
        (
            with(&["operations", "1", "output"], json!(3)),
            "operations[1].output: expected a string or null for get, got a number",
        ),
        (
            with(&["operations", "2", "output"], json!("yes")),
            "operations[2].output: expected a boolean for cas, got a string",
        ),
        (
            with(&["operations", "0", "output"], json!("1")),
            "operations[0].output: must be omitted for put",
        ),
        (
            with(&["operations", "3", "output"], json!("1")),
            "operations[3].output: must be omitted when the outcome is not ok",
        ),
        (
            with(&["operations", "3", "invoke_us"], json!(8)),
            "operations[3].invoke_us: client 1 already has operation 0 outstanding",
        ),
        (
            with(&["final_states"], json!([])),
            "final_states: expected an object, got an array",
        ),
        (
            with(&["final_states", "1"], json!({"x": 1})),
            "final_states.1.x: expected a string, got a number",
        ),
        (
            with(&["final_applied"], json!(3)),
            "final_applied: expected an object, got a number",
        ),
        (
            with(&["final_applied", "1"], json!(-1)),
            "final_applied.1: expected an integer in 0..=2^53-1, got -1",
        ),
        (
            with(&["model"], json!("register")),
            "operations[3].op: append is not an operation of model register",
        ),
    ];
    for (v, want) in cases {
        let got = error_of(&v);
        assert!(got.starts_with(want), "want {want:?}\n got {got:?}");
    }
    let e = parse_history("{\"version\": 1,").unwrap_err().to_string();
    assert!(e.starts_with("invalid JSON at line 1 column"), "{e}");
    let e = parse_history("").unwrap_err().to_string();
    assert!(e.starts_with("invalid JSON"), "{e}");
}

#[test]
fn generated_histories_round_trip() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for i in 0..500 {
        let model = if i % 2 == 0 {
            ModelKind::Kv
        } else {
            ModelKind::Register
        };
        let h = common::random_history(&mut rng, model, 12);
        let text = h.to_json().to_string();
        assert_eq!(parse_history(&text).unwrap(), h);
    }
}

/// A JSON value of any shape.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z0-9 ]{0,6}".prop_map(Value::from),
        prop_oneof![
            Just("ok"),
            Just("failed"),
            Just("unknown"),
            Just("kv"),
            Just("register"),
            Just("put"),
            Just("get"),
            Just("cas"),
            Just("append")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "id",
    "client",
    "op",
    "key",
    "value",
    "expected",
    "invoke_us",
    "complete_us",
    "outcome",
    "output",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(parse_history(&text).is_err() || text.contains("operations"));
    }

    #[test]
    fn random_json_never_panics(v in any_json()) {
        if let Err(e) = parse_history(&v.to_string()) {
            prop_assert!(!e.errors.is_empty());
        }
    }

    /// One field of one operation replaced by any JSON value (or removed): either still a
    /// valid history, or an error whose path names that operation (or a rule about it).
    #[test]
    fn mutated_field_is_named(op in 0usize..4, field in 0usize..FIELDS.len(), v in prop::option::of(any_json())) {
        let mut h = base();
        let o = h["operations"][op].as_object_mut().unwrap();
        match v {
            Some(v) => { o.insert(FIELDS[field].to_string(), v); }
            None => { o.remove(FIELDS[field]); }
        }
        if let Err(e) = parse_history(&h.to_string()) {
            let first = &e.errors[0];
            prop_assert!(first.path.starts_with("operations["), "{}", e);
            prop_assert!(!first.message.is_empty());
        } else {
            // Still valid: it checks without panicking.
            let h = parse_history(&h.to_string()).unwrap();
            let _ = check::check_history(&h, &check::Options::default());
        }
    }

    /// Any valid random history checks without panicking, and its report renders.
    #[test]
    fn valid_histories_check(seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let h = common::random_history(&mut rng, ModelKind::Kv, 10);
        let r = check::check_history(&h, &check::Options::default());
        prop_assert!(!r.to_text().is_empty());
        prop_assert!(serde_json::to_string(&r).is_ok());
    }
}
