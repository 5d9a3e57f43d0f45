//! `sim::json`: errors name the exact path of the bad field, inside internally tagged enums
//! too (property-tested against documents with one field corrupted at a known path).
//! The round trip of every type is in `json_round_trip.rs`.

use proptest::prelude::*;
use serde_json::{json, Value};
use sim::action::Action;
use sim::config::{ClientConfig, LinkConfig, OpMix, SimConfig};
use sim::json::Value as Parsed;
use sim::json::{from_json_named, from_json_path, FromJson, JsonResult, Obj};
use sim::{LogIndex, NodeId, Term, ViewOptions};

// A small document type with an internally tagged enum, read with the public helpers.

#[derive(Debug, PartialEq)]
enum Item {
    Alpha { x: u32, y: String, z: bool },
    Beta { n: u8, label: String, inner: Inner },
}

#[derive(Debug, PartialEq)]
struct Inner {
    k: u16,
    tags: Vec<String>,
}

#[derive(Debug, PartialEq)]
struct Doc {
    name: String,
    items: Vec<Item>,
}

impl FromJson for Item {
    fn from_json(v: &Parsed) -> JsonResult<Self> {
        let (i, t) = Obj::tagged(v, "type", "internally tagged enum Item", &["alpha", "beta"])?;
        Ok(if i == 0 {
            let o = t.known(&["x", "y", "z"])?;
            Item::Alpha {
                x: o.req("x")?,
                y: o.req("y")?,
                z: o.req("z")?,
            }
        } else {
            let o = t.known(&["n", "label", "inner"])?;
            Item::Beta {
                n: o.req("n")?,
                label: o.req("label")?,
                inner: o.req("inner")?,
            }
        })
    }
}

impl FromJson for Inner {
    fn from_json(v: &Parsed) -> JsonResult<Self> {
        let o = Obj::new(v, "struct Inner", &["k", "tags"])?;
        Ok(Inner {
            k: o.req("k")?,
            tags: o.or("tags", Vec::new())?,
        })
    }
}

impl FromJson for Doc {
    fn from_json(v: &Parsed) -> JsonResult<Self> {
        let o = Obj::new(v, "struct Doc", &["name", "items"])?;
        Ok(Doc {
            name: o.req("name")?,
            items: o.req("items")?,
        })
    }
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
        "x" | "n" | "k" => vec![
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
        let fields: &[&str] = if kinds[i] { &["x", "y", "z"] } else { &["n", "label", "inner.k"] };
        let field = fields[field_pick % fields.len()];
        match field.split_once('.') {
            Some((outer, inner)) => items[i][outer][inner] = bad_value(inner, value_pick),
            None => items[i][field] = bad_value(field, value_pick),
        }
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
fn problems_read_like_serde() {
    let e = from_json_named::<Doc>("doc", r#"{"name": 5, "items": []}"#).unwrap_err();
    assert_eq!(e, "doc.name: invalid type: integer `5`, expected a string");
    let e = from_json_named::<Vec<u8>>("list", "[1, 300]").unwrap_err();
    assert_eq!(e, "list[1]: invalid value: integer `300`, expected u8");
    let e = from_json_named::<Vec<u32>>("list", r#"[1.5, "x"]"#).unwrap_err();
    assert_eq!(
        e,
        "list[0]: invalid type: floating point `1.5`, expected u32"
    );
    // A number with a fraction or an exponent is never an integer, and the error quotes
    // it as written (serde_json would show the float it converted it to: `1000.0`).
    for (text, shown) in [
        ("1e3", "1e3"),
        ("1.0", "1.0"),
        ("-0", "-0"),
        ("2E+400", "2E+400"),
        ("18446744073709551616", "18446744073709551616"),
    ] {
        let e = from_json_named::<u64>("n", text).unwrap_err();
        assert_eq!(
            e,
            format!("n: invalid type: floating point `{shown}`, expected u64")
        );
    }
    let e = from_json_named::<SimConfig>("config", r#"{"node_count": 2.5}"#).unwrap_err();
    assert_eq!(
        e,
        "config.node_count: invalid type: floating point `2.5`, expected u32"
    );
    let e = from_json_named::<Doc>("doc", r#"{"name": 1e-3, "items": []}"#).unwrap_err();
    assert_eq!(
        e,
        "doc.name: invalid type: floating point `1e-3`, expected a string"
    );
    let e = from_json_named::<Doc>("doc", "{").unwrap_err();
    assert!(e.starts_with("doc: EOF while parsing"), "{e}");
    assert!(e.ends_with("at line 1 column 1"), "{e}");
    let e = from_json_path::<Doc>(r#"{"items": []}"#).unwrap_err();
    assert_eq!(e.path, "");
    assert_eq!(e.problem, "missing field `name`");
    let e = from_json_named::<Doc>("doc", "[]").unwrap_err();
    assert_eq!(e, "doc: invalid type: sequence, expected struct Doc");
    let e = from_json_named::<Item>("item", r#"{"type": 3}"#).unwrap_err();
    assert_eq!(
        e,
        "item.type: invalid type: integer `3`, expected variant identifier"
    );
    let e = from_json_named::<Item>(
        "item",
        r#"{"type": "beta", "n": 1, "label": "l", "inner": {"k": 1, "t": null}}"#,
    )
    .unwrap_err();
    assert_eq!(e, "item.inner.t: unknown field `t`, expected `k` or `tags`");
    let e = from_json_named::<Action>("action", r#"{"type": "heal", "node": 1}"#).unwrap_err();
    assert_eq!(e, "action.node: unknown field `node`, there are no fields");
    let e = from_json_named::<Action>("action", r#"{"type": "set_read_path", "read_path": null}"#)
        .unwrap_err();
    assert_eq!(
        e,
        "action.read_path: invalid type: null, expected one of `log`, `read_index`, `lease`, `stale`"
    );
    let e = from_json_named::<Action>("action", r#"{"type": "crash", "nod": 1}"#).unwrap_err();
    assert_eq!(e, "action.nod: unknown field `nod`, expected `node`");
    let e = from_json_named::<Action>(
        "action",
        r#"{"type": "drop_next", "count": 1, "from": {"nide": 1}}"#,
    )
    .unwrap_err();
    assert_eq!(
        e,
        "action.from.nide: unknown variant `nide`, expected `node` or `client`"
    );
}

#[test]
fn a_missing_field_inside_a_tagged_enum_names_the_object_not_its_tag() {
    let e = from_json_named::<Item>("item", r#"{"type": "alpha", "x": 1, "y": "s"}"#).unwrap_err();
    assert_eq!(e, "item: missing field `z`");
    let doc = json!({"name": "d", "items": [{"type": "beta", "n": 1, "label": "l"}]});
    let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
    assert_eq!(e, "doc.items[0]: missing field `inner`");
    let e = from_json_named::<Action>("action", r#"{"node": 1}"#).unwrap_err();
    assert_eq!(e, "action: missing field `type`");
}

#[test]
fn ids_terms_and_indexes_read_and_fail_as_the_plain_numbers_they_are() {
    assert_eq!(from_json_named::<NodeId>("node", "3"), Ok(NodeId(3)));
    assert_eq!(from_json_named::<LogIndex>("index", "7"), Ok(LogIndex(7)));
    assert_eq!(from_json_named::<Term>("term", "2"), Ok(Term(2)));
    assert_eq!(
        from_json_named::<NodeId>("node", "-1"),
        Err("node: invalid value: integer `-1`, expected u32".to_string())
    );
    assert_eq!(
        from_json_named::<NodeId>("node", "4294967296"),
        Err("node: invalid value: integer `4294967296`, expected u32".to_string())
    );
    assert_eq!(
        from_json_named::<LogIndex>("index", r#""1""#),
        Err(r#"index: invalid type: string "1", expected u64"#.to_string())
    );
    // Written back as the same numbers.
    let a = Action::Cut {
        from: NodeId(1),
        to: NodeId(2),
    };
    assert_eq!(
        sim::json::to_string(&a).unwrap(),
        r#"{"type":"cut","from":1,"to":2}"#
    );
}

#[test]
fn left_out_fields_take_their_defaults() {
    assert_eq!(
        from_json_path::<SimConfig>("{}").unwrap(),
        SimConfig::default()
    );
    let c: SimConfig = from_json_path(
        r#"{"node_count": 3, "network": {"loss_ppm": 5}, "workload": {"mix": {"put": 1}}}"#,
    )
    .unwrap();
    assert_eq!(c.node_count, 3);
    assert_eq!(c.network.loss_ppm, 5);
    assert_eq!(
        c.network.latency_us_max,
        LinkConfig::default().latency_us_max
    );
    assert_eq!(c.workload.mix.put, 1);
    assert_eq!(c.workload.mix.get, OpMix::default().get);
    assert_eq!(c.clients, ClientConfig::default());
    assert_eq!(
        from_json_path::<ViewOptions>(r#"{"kv": false}"#).unwrap(),
        ViewOptions {
            kv: false,
            ..ViewOptions::default()
        }
    );
    let a: Action = from_json_path(r#"{"type": "set_link", "to": null, "loss_ppm": 7}"#).unwrap();
    assert_eq!(
        a,
        Action::SetLink {
            from: None,
            to: None,
            latency_us_min: None,
            latency_us_max: None,
            loss_ppm: Some(7),
            duplicate_ppm: None
        }
    );
}

#[test]
fn events_options_parse_and_name_the_bad_field() {
    use sim::timeline::{EventText, EventsOptions};
    let parse = |s: &str| from_json_named::<EventsOptions>("options", s);
    assert_eq!(parse("{}"), Ok(EventsOptions::default()));
    assert_eq!(
        parse(r#"{"text":"all"}"#).map(|o| o.text),
        Ok(EventText::All)
    );
    assert_eq!(
        parse(r#"{"text":"markers"}"#).map(|o| o.text),
        Ok(EventText::Markers)
    );
    assert_eq!(
        parse(r#"{"text":"some"}"#),
        Err("options.text: unknown variant `some`, expected `all` or `markers`".to_string())
    );
    assert_eq!(
        parse(r#"{"txt":"all"}"#),
        Err("options.txt: unknown field `txt`, expected `text`".to_string())
    );
    assert!(parse("7").is_err_and(|e| e.starts_with("options: invalid type: integer `7`")));
}
