//! Validation of values arriving from JavaScript. Plain Rust, so it is tested natively.

use serde::de::DeserializeOwned;

/// The largest integer a JS number holds exactly (2^53 - 1).
pub const JS_SAFE_INT_MAX: u64 = (1 << 53) - 1;

/// A non-negative integer below 2^53, from a JS number; the error names the argument.
pub fn uint(name: &str, value: f64) -> Result<u64, String> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= JS_SAFE_INT_MAX as f64
    {
        Ok(value as u64)
    } else {
        Err(format!(
            "{name}: expected a non-negative integer below 2^53, got {value}"
        ))
    }
}

/// A JS number argument, type-checked (wasm-bindgen would silently coerce `"12"` or `true`).
pub fn number(name: &str, value: Option<f64>, type_name: &str) -> Result<f64, String> {
    value.ok_or_else(|| format!("{name}: expected a number, got {type_name}"))
}

/// Parses JSON text into `T`; the error names the path of the bad field under `what`
/// (`config.nodes: invalid value: ...`).
///
/// Serde loses the path inside internally tagged enums (`{"type": "crash", "node": -1}`
/// reports no field). When the reported path is empty and the document is an object, the
/// culprit is found by removing one field at a time: the field whose removal changes the
/// error is the one the error is about.
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, String> {
    let (path, problem) = match parse_with_path::<T>(text) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let path = if path.is_empty() {
        culprit::<T>(text, &problem).unwrap_or_default()
    } else {
        path
    };
    Err(if path.is_empty() {
        format!("{what}: {problem}")
    } else if path.starts_with('[') {
        format!("{what}{path}: {problem}")
    } else {
        format!("{what}.{path}: {problem}")
    })
}

/// The error's path (`""` for the document itself) and its message.
fn parse_with_path<T: DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." || path == "?" {
            String::new()
        } else {
            path
        };
        (path, e.into_inner().to_string())
    })
}

/// The top-level field an error is about, found by removing fields one at a time.
fn culprit<T: DeserializeOwned>(text: &str, problem: &str) -> Option<String> {
    let serde_json::Value::Object(map) = serde_json::from_str(text).ok()? else {
        return None;
    };
    // Messages of the same failure differ only in the position suffix.
    let strip = |m: &str| m.split(" at line ").next().unwrap_or(m).to_string();
    let original = strip(problem);
    map.keys().filter(|k| k.as_str() != "type").find_map(|key| {
        let mut without = map.clone();
        without.remove(key);
        let text = serde_json::Value::Object(without).to_string();
        match parse_with_path::<T>(&text) {
            Err((_, p)) if strip(&p) == original => None,
            _ => Some(key.clone()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_accepts_safe_integers_only() {
        assert_eq!(uint("us", 0.0), Ok(0));
        assert_eq!(uint("us", 16_000.0), Ok(16_000));
        assert_eq!(uint("us", JS_SAFE_INT_MAX as f64), Ok(JS_SAFE_INT_MAX));
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, 2f64.powi(53) + 2.0] {
            let e = uint("us", bad).unwrap_err();
            assert!(e.starts_with("us: expected a non-negative integer"), "{e}");
        }
    }

    #[test]
    fn from_json_names_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            n: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let e = from_json::<Outer>("config", r#"{"items": [{"n": 1}, {"n": -3}]}"#).unwrap_err();
        assert!(e.starts_with("config.items[1].n: invalid value"), "{e}");
        let e = from_json::<Outer>("config", "[1,").unwrap_err();
        assert!(e.starts_with("config[0]: invalid type"), "{e}");
    }

    #[test]
    fn from_json_finds_the_field_inside_a_tagged_enum() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
        #[allow(dead_code)]
        enum Action {
            Crash { node: u32 },
            Delay { id: u64, by_us: u64 },
        }
        let e = from_json::<Action>("action", r#"{"type": "crash", "node": -1}"#).unwrap_err();
        assert!(
            e.starts_with("action.node: invalid value: integer `-1`"),
            "{e}"
        );
        let e = from_json::<Action>("action", r#"{"id": 3, "type": "delay", "by_us": "x"}"#)
            .unwrap_err();
        assert!(e.starts_with("action.by_us: invalid type"), "{e}");
        let e = from_json::<Action>("action", r#"{"type": "crash"}"#).unwrap_err();
        assert!(e.starts_with("action: missing field `node`"), "{e}");
        let e = from_json::<Action>("action", "[1]").unwrap_err();
        assert!(e.starts_with("action[0]: "), "{e}");
    }
}
