//! `sim::json::parse_value` against serde_json, the parser it replaces in the Wasm module:
//! the same values, and the same error messages with the same lines and columns, on
//! arbitrary text, on JSON-like token soup, and on valid documents cut or corrupted.

use proptest::prelude::*;
use sim::json::{parse_value, Number, Value};

/// Our value as serde_json's, for comparison.
fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(Number::PosInt(n)) => (*n).into(),
        Value::Number(Number::NegInt(n)) => (*n).into(),
        Value::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(to_serde).collect()),
        Value::Object(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect())
        }
    }
}

#[track_caller]
fn same(text: &str) {
    let ours = parse_value(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            let a = to_serde(a);
            // Floats compared by their text too: it tells -0.0 from 0.0.
            assert_eq!(&a, b, "{text:?}");
            assert_eq!(a.to_string(), b.to_string(), "{text:?}");
        }
        (Err(a), Err(b)) => assert_eq!(a, &b.to_string(), "{text:?}"),
        _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn known_cases_match_serde_json() {
    let cases = [
        "",
        " ",
        "null",
        "nul",
        "nulx",
        "true",
        "tru",
        "false",
        "[]",
        "{}",
        "[1,]",
        "[1 2]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}",
        "{1:2}",
        "{,}",
        "[,]",
        "{\"a\":}",
        "{\"a\":1,\"a\":2}",
        "{\"b\":1,\"a\":[{}]}",
        "\"\\u00e9\\n\\t\\/\"",
        "\"\\x\"",
        "\"\\ud83e\\udd80\"",
        "\"\\ud83e\"",
        "\"\\ud83ex\"",
        "\"\\ud83e\\x\"",
        "\"\\udd80\"",
        "\"\\ud83e\\u0041\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"a\u{1}\"",
        "\"abc",
        "\"\\",
        "0",
        "-0",
        "-",
        "01",
        "1.",
        "1.e5",
        "1.5",
        "-1.5e-3",
        "1e",
        "1e+",
        "1e-x",
        "1E400",
        "1e-400",
        "0e999999999999",
        "1e999999999999",
        "-1e-999999999999",
        "18446744073709551615",
        "18446744073709551616",
        "18446744073709551616.0",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890.5e-10",
        "0.1",
        "1e23",
        "2.2250738585072014e-308",
        "4.9e-324",
        "1.7976931348623157e308",
        "1.8e308",
        "1 2",
        "[1]\n\n  x",
        "\n\n {\n \"a\": tru }",
        "[\"a\",\n\"b\"\n,]",
        "x",
        "{\"a\"",
        "{\"a\":",
        "[1",
        "[",
        "{",
        "  \u{e9}",
        "\"\u{e9}\u{1F980}\"",
        "1.0",
        "100",
        "1e2",
        "-0.0",
    ];
    for c in cases {
        same(c);
    }
    same(&"[".repeat(126));
    same(&"[".repeat(127));
    same(&"[".repeat(128));
    same(&format!("{}{}", "[".repeat(127), "]".repeat(127)));
    same(&format!("{}{}", "{\"a\":".repeat(127), "}".repeat(127)));
    same(&format!("{}1{}", "[".repeat(128), "]".repeat(128)));
}

const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "\"",
    "\\",
    "\\u",
    "d83e",
    "dd80",
    "00e9",
    " ",
    "\n",
    "\t",
    "0",
    "1",
    "9",
    "-",
    "+",
    ".",
    "e",
    "E",
    "null",
    "true",
    "false",
    "nu",
    "\"k\"",
    "\"v\"",
    "\u{1}",
    "é",
    "x",
    "18446744073709551616",
    "1e308",
    "1e-320",
    "99999999999",
];

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..TOKENS.len(), 0..40)
        .prop_map(|ix| ix.into_iter().map(|i| TOKENS[i]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn arbitrary_text_matches_serde_json(s in "\\PC{0,40}") {
        same(&s);
    }

    #[test]
    fn token_soup_matches_serde_json(s in soup()) {
        same(&s);
    }

    #[test]
    fn numbers_match_serde_json(s in "-?[0-9]{1,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{1,4})?") {
        same(&s);
    }

    #[test]
    fn cut_and_corrupted_documents_match_serde_json(cut in 0usize..400, at in 0usize..400, b in 0u8..128) {
        let doc = r#"{"description": "d\n\u00e9", "seed": 1, "duration_us": 1000000,
            "config": {"node_count": 5, "f": -1.25e-3},
            "actions": [{"at_us": 10, "action": {"type": "campaign", "node": 1}},
                        {"at_us": 20, "action": {"type": "partition", "groups": [[1, 2], [3]]}}],
            "expect": [{"type": "no_violation"}, null, true, false]}"#;
        let mut bytes = doc.as_bytes()[..cut.min(doc.len())].to_vec();
        if !bytes.is_empty() {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        if let Ok(text) = String::from_utf8(bytes) {
            same(&text);
        }
    }
}
