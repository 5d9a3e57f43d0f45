//! `sim::json`: errors inside internally tagged enums name the bad field; property-tested
//! against documents with one field corrupted at a known path.

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};
use sim::json::{from_json_named, from_json_path};

#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[allow(dead_code)]
enum Item {
    Alpha { x: u32, y: String, z: bool },
    Beta { n: u8, label: String, inner: Inner },
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Inner {
    k: u16,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc {
    name: String,
    items: Vec<Item>,
}

fn item(kind: bool, a: u8, s: &str) -> Value {
    if kind {
        json!({"type": "alpha", "x": a, "y": s, "z": a % 2 == 0})
    } else {
        json!({"type": "beta", "n": a, "label": s, "inner": {"k": a, "tags": [s]}})
    }
}

/// A wrong value for `field` of a variant (never accepted by its type).
fn bad_value(field: &str, pick: usize) -> Value {
    let options: Vec<Value> = match field {
        "x" | "n" => vec![
            json!(-1),
            json!("seven"),
            json!(1.5),
            json!(null),
            json!(1u64 << 40),
        ],
        "y" | "label" => vec![json!(3), json!(true), json!([1]), json!({"a": 1})],
        "z" => vec![json!("no"), json!(1), json!(null)],
        _ => unreachable!(),
    };
    options[pick % options.len()].clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_corrupted_field_inside_a_tagged_enum_is_named(
        kinds in proptest::collection::vec(any::<bool>(), 1..6),
        a in any::<u8>(),
        which in any::<usize>(),
        field_pick in any::<usize>(),
        value_pick in any::<usize>(),
    ) {
        let mut items: Vec<Value> = kinds.iter().map(|&k| item(k, a, "s")).collect();
        let doc_ok = json!({"name": "d", "items": items.clone()});
        prop_assert!(from_json_path::<Doc>(&doc_ok.to_string()).is_ok());
        let i = which % items.len();
        let fields: &[&str] = if kinds[i] { &["x", "y", "z"] } else { &["n", "label"] };
        let field = fields[field_pick % fields.len()];
        items[i][field] = bad_value(field, value_pick);
        let doc = json!({"name": "d", "items": items});
        let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
        let want = format!("doc.items[{i}].{field}: ");
        prop_assert!(e.starts_with(&want), "{} does not start with {}", e, want);
    }

    #[test]
    fn an_unknown_field_or_tag_inside_a_tagged_enum_is_named(
        kinds in proptest::collection::vec(any::<bool>(), 1..6),
        which in any::<usize>(),
        tag in any::<bool>(),
    ) {
        let mut items: Vec<Value> = kinds.iter().map(|&k| item(k, 4, "s")).collect();
        let i = which % items.len();
        let (field, start) = if tag {
            items[i]["type"] = json!("gamma");
            ("type", "unknown variant")
        } else {
            items[i]["bogus"] = json!(1);
            ("bogus", "unknown field")
        };
        let doc = json!({"name": "d", "items": items});
        let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
        let want = format!("doc.items[{i}].{field}: {start}");
        prop_assert!(e.starts_with(&want), "{} does not start with {}", e, want);
    }

    #[test]
    fn arbitrary_text_gives_an_error_not_a_panic(text in ".{0,80}") {
        let _ = from_json_named::<Doc>("doc", &text);
    }
}

#[test]
fn paths_serde_already_knows_are_kept_and_formatted() {
    let doc = json!({"name": "d", "items": [item(false, 1, "s")]});
    let mut bad = doc.clone();
    bad["items"][0]["inner"]["k"] = json!(-5);
    let e = from_json_named::<Doc>("doc", &bad.to_string()).unwrap_err();
    // Inside a tagged enum even nested fields lose their path; the probe finds the top
    // field of the enum's object, which is where the bad value lies.
    assert!(e.starts_with("doc.items[0].inner"), "{e}");
    let e = from_json_named::<Doc>("doc", r#"{"name": 5, "items": []}"#).unwrap_err();
    assert!(e.starts_with("doc.name: invalid type: integer `5`"), "{e}");
    let e = from_json_named::<Vec<u8>>("list", "[1, 300]").unwrap_err();
    assert!(e.starts_with("list[1]: invalid value"), "{e}");
    let e = from_json_named::<Doc>("doc", "{").unwrap_err();
    assert!(e.starts_with("doc: EOF while parsing"), "{e}");
    let e = from_json_path::<Doc>(r#"{"items": []}"#).unwrap_err();
    assert_eq!(e.path, "");
    assert!(
        e.problem.starts_with("missing field `name`"),
        "{}",
        e.problem
    );
}

#[test]
fn a_missing_field_inside_a_tagged_enum_names_the_object_not_its_tag() {
    let e = from_json_named::<Item>("item", r#"{"type": "alpha", "x": 1, "y": "s"}"#).unwrap_err();
    assert!(e.starts_with("item: missing field `z`"), "{e}");
    let doc = json!({"name": "d", "items": [{"type": "beta", "n": 1, "label": "l"}]});
    let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
    assert!(e.starts_with("doc.items[0]: missing field `inner`"), "{e}");
}
