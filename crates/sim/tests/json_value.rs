//! `sim::json::parse_value` against serde_json, the parser it replaces in the Wasm module:
//! the same values, and the same error messages with the same lines and columns, on
//! arbitrary text, on JSON-like token soup, and on valid documents cut or corrupted. One
//! difference by design: a number that is not a 64-bit integer is kept as its text
//! (`Number::Other`), never converted to a float, so a float beyond `f64`'s range, which
//! serde_json refuses, parses.

use proptest::prelude::*;
use sim::json::{parse_value, Number, Value};

/// Our value as serde_json's, for comparison (a number kept as text, as serde_json reads it).
fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(Number::PosInt(n)) => (*n).into(),
        Value::Number(Number::NegInt(n)) => (*n).into(),
        Value::Number(Number::Other(text)) => {
            let v: serde_json::Value = serde_json::from_str(text).expect("a number in range");
            assert!(
                v.is_f64(),
                "{text:?} is kept as text but serde_json reads {v}"
            );
            v
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(to_serde).collect()),
        Value::Object(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect())
        }
    }
}

fn out_of_range(e: &serde_json::Error) -> bool {
    e.to_string().starts_with("number out of range")
}

/// (line, column) of an error message `... at line L column C`.
fn position(message: &str) -> (u64, u64) {
    let numbers: Vec<u64> = message
        .rsplit(' ')
        .take(3)
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers[..] {
        [column, line] => (line, column),
        _ => panic!("no position in {message:?}"),
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
        // serde_json converts each float as it reads it, and refuses one beyond f64's
        // range; ours keeps the text (and, inside a document, reads on past it).
        (Ok(Value::Number(Number::Other(kept))), Err(b)) if out_of_range(b) => {
            assert_eq!(kept, text.trim(), "{text:?}")
        }
        (Ok(_), Err(b)) if out_of_range(b) => {}
        (Err(a), Err(b)) if out_of_range(b) => {
            assert!(
                position(a) >= position(&b.to_string()),
                "{text:?}: {a}, {b}"
            )
        }
        (Err(a), Err(b)) => assert_eq!(a, &b.to_string(), "{text:?}"),
        _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn numbers_that_are_not_64_bit_integers_keep_their_text() {
    for text in [
        "2.5",
        "1e6",
        "1E+6",
        "-1.5e-3",
        "-0",
        "-0.0",
        "18446744073709551616",
        "-9223372036854775809",
        "1E400",
        "1e999999999999",
        "-1e-999999999999",
    ] {
        let want = Value::Number(Number::Other(text.to_string()));
        assert_eq!(parse_value(text), Ok(want.clone()), "{text}");
        assert_eq!(
            parse_value(&format!("[{text}]")),
            Ok(Value::Array(vec![want])),
            "{text}"
        );
    }
    assert_eq!(
        parse_value("18446744073709551615"),
        Ok(Value::Number(Number::PosInt(u64::MAX)))
    );
    assert_eq!(
        parse_value("-9223372036854775808"),
        Ok(Value::Number(Number::NegInt(i64::MIN)))
    );
    assert_eq!(parse_value("-1"), Ok(Value::Number(Number::NegInt(-1))));
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
        // Every number that is not a 64-bit integer keeps exactly its text.
        match (parse_value(&s), serde_json::from_str::<serde_json::Value>(&s)) {
            (Ok(Value::Number(Number::Other(t))), _) => prop_assert_eq!(t, s),
            (Ok(_), Ok(v)) => prop_assert!(v.is_u64() || v.is_i64()),
            (ours, theirs) => prop_assert!(ours.is_err() && theirs.is_err()),
        }
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
