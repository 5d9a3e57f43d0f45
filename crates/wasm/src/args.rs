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

/// Parses JSON text into `T`; the error names the path of the bad field under `what`
/// (`config.nodes: invalid value: ...`).
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let problem = e.into_inner().to_string();
        if path.is_empty() || path == "." {
            format!("{what}: {problem}")
        } else {
            format!("{what}.{path}: {problem}")
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
        assert!(e.starts_with("config: "), "{e}");
    }
}
