//! The scenario parser never panics, and its errors name the bad field.

use proptest::prelude::*;
use sim::Scenario;

fn base() -> serde_json::Value {
    serde_json::json!({
        "description": "d", "seed": 1, "duration_us": 1000000,
        "config": {"node_count": 5},
        "actions": [
            {"at_us": 10, "action": {"type": "campaign", "node": 1}},
            {"at_us": 20, "action": {"type": "partition", "groups": [[1, 2], [3, 4, 5]]}},
            {"at_us": 30, "action": {"type": "put", "client": 1, "key": "x", "value": "1"}}
        ],
        "expect": [{"type": "no_violation"}, {"type": "leader_exists", "at_us": 500}]
    })
}

fn error_of(v: &serde_json::Value) -> String {
    Scenario::from_json(&v.to_string()).unwrap_err().to_string()
}

#[test]
fn the_base_document_parses() {
    Scenario::from_json(&base().to_string()).unwrap();
}

#[test]
fn errors_name_the_path_of_the_bad_field() {
    let mut v = base();
    v["actions"][2]["action"]["node"] = serde_json::json!("one");
    // Inside a `type`-tagged action too, the path is exact.
    let e = error_of(&v);
    assert!(
        e.starts_with("actions[2].action.node: invalid type: string \"one\", expected u32"),
        "{e}"
    );
    let mut v = base();
    v["actions"][2]["action"]["node"] = serde_json::json!(-1);
    let e = error_of(&v);
    assert!(
        e.starts_with("actions[2].action.node: invalid value: integer `-1`, expected u32"),
        "{e}"
    );
    let mut v = base();
    v["actions"][2]["action"]["bogus"] = serde_json::json!(1);
    let e = error_of(&v);
    assert!(
        e.starts_with("actions[2].action.bogus: unknown field"),
        "{e}"
    );
    let mut v = base();
    v["actions"][2]["action"]["type"] = serde_json::json!("crsh");
    let e = error_of(&v);
    assert!(
        e.starts_with("actions[2].action.type: unknown variant"),
        "{e}"
    );
    let mut v = base();
    v["actions"][0]["action"]["node"] = serde_json::json!(7);
    assert_eq!(
        error_of(&v),
        "actions[0].action.node: no node 7 (nodes are 1..5)"
    );
    let mut v = base();
    v["actions"][1]["action"]["groups"][1][0] = serde_json::json!(2);
    assert!(error_of(&v).starts_with("actions[1].action.groups[1][0]: node 2 is in two groups"));
    let mut v = base();
    v["config"]["node_count"] = serde_json::json!(12);
    assert!(error_of(&v).starts_with("config.node_count: "));
    let mut v = base();
    v["config"]["network"] = serde_json::json!({"loss_ppm": 2000000});
    assert!(error_of(&v).starts_with("config.network.loss_ppm: "));
    let mut v = base();
    v["config"]["bogus"] = serde_json::json!(1);
    assert!(
        error_of(&v).starts_with("config.bogus: unknown field `bogus`"),
        "{}",
        error_of(&v)
    );
    let mut v = base();
    v["expect"][1]["type"] = serde_json::json!("leader_maybe");
    assert!(error_of(&v).starts_with("expect[1]"), "{}", error_of(&v));
    let mut v = base();
    v["actions"][0]["at_us"] = serde_json::json!(5_000_000);
    assert!(error_of(&v).starts_with("actions[0].at_us: "));
}

/// Replaces the value reached by following `path` (child picks, as far as they go) and
/// returns the path of the replaced value (`.actions[1].action.node`).
fn mutate(v: &mut serde_json::Value, path: &[usize], choice: u8, depth: usize) -> String {
    let replacement = match choice % 8 {
        0 => serde_json::json!(null),
        1 => serde_json::json!(-1),
        2 => serde_json::json!("x"),
        3 => serde_json::json!([]),
        4 => serde_json::json!({}),
        5 => serde_json::json!(1e300),
        6 => serde_json::json!(u64::MAX),
        _ => serde_json::json!(true),
    };
    match v {
        serde_json::Value::Object(o) if !o.is_empty() && depth < path.len() => {
            let k = o.keys().nth(path[depth] % o.len()).unwrap().clone();
            let below = mutate(o.get_mut(&k).unwrap(), path, choice, depth + 1);
            format!(".{k}{below}")
        }
        serde_json::Value::Array(a) if !a.is_empty() && depth < path.len() => {
            let i = path[depth] % a.len();
            let below = mutate(&mut a[i], path, choice, depth + 1);
            format!("[{i}]{below}")
        }
        _ => {
            *v = replacement;
            String::new()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mutated_documents_give_errors_not_panics(path in proptest::collection::vec(0usize..8, 1..6), choice in 0u8..8) {
        let mut v = base();
        mutate(&mut v, &path, choice, 0);
        if let Err(e) = Scenario::from_json(&v.to_string()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn a_type_error_is_reported_at_or_below_the_mutated_field(path in proptest::collection::vec(0usize..8, 1..6), choice in 0u8..8) {
        let mut v = base();
        let at = mutate(&mut v, &path, choice, 0);
        let at = at.strip_prefix('.').unwrap_or(&at);
        if let Err(e) = sim::json::from_json_path::<Scenario>(&v.to_string()) {
            let below = e.path == at
                || e.path.starts_with(&format!("{at}."))
                || e.path.starts_with(&format!("{at}["));
            prop_assert!(below, "mutated {}, error at {}: {}", at, e.path, e.problem);
        }
    }

    #[test]
    fn arbitrary_text_gives_errors_not_panics(s in ".{0,200}") {
        let _ = Scenario::from_json(&s);
    }

    #[test]
    fn truncated_documents_give_errors_not_panics(cut in 0usize..400) {
        let t = base().to_string();
        let cut = cut.min(t.len());
        let _ = Scenario::from_json(&t[..cut]);
    }
}
