//! Checked conversions of what arrives from JS, and of what goes back, shared by the lab
//! pages' Wasm modules (`crates/wasm-lab`, `crates/wasm-check`). It exports nothing to JS
//! itself, so linking it adds no entry point; the playground module (`crates/wasm`) keeps its
//! own, which these modules must not link: its exports would come with it.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The largest integer a JS number holds exactly.
pub const JS_SAFE_INT_MAX: u64 = (1 << 53) - 1;

/// A JS `Error` with this message.
pub fn js_err(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

/// A plain JS value through JSON text and the engine's `JSON.parse` (every number the
/// simulator reports is below 2^53, so JSON numbers are exact).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let text = sim::json::to_string(value)
        .map_err(|e| js_err(format!("internal: could not convert a record for JS: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| js_err("internal: a record is not valid JSON"))
}

/// The JSON text of a JS argument: a string is taken as JSON text, anything else is
/// stringified; at most `sim::limits::JSON_TEXT_BYTES_MAX` bytes. `what` names it in errors.
pub fn json_text(what: &str, value: &JsValue) -> Result<String, JsError> {
    if value.is_undefined() || value.is_null() {
        return Err(js_err(format!("{what}: expected an object")));
    }
    let text: js_sys::JsString = if value.is_string() {
        value.clone().into()
    } else {
        js_sys::JSON::stringify(value).map_err(|_| {
            js_err(format!(
                "{what}: not convertible to JSON (cycle or BigInt?)"
            ))
        })?
    };
    let max = sim::limits::JSON_TEXT_BYTES_MAX;
    if text.length() as usize > max {
        return Err(js_err(format!(
            "{what}: JSON text longer than {max} bytes (JSON_TEXT_BYTES_MAX)"
        )));
    }
    let text = text
        .as_string()
        .ok_or_else(|| js_err(format!("{what}: expected an object")))?;
    sim::limits::check_text(what, text.len(), max, "JSON_TEXT_BYTES_MAX").map_err(js_err)?;
    Ok(text)
}

/// A non-negative integer below 2^53 from a JS value that must be a number.
pub fn uint_arg(name: &str, value: &JsValue) -> Result<u64, JsError> {
    uint(name, value.as_f64()).map_err(js_err)
}

/// The checks of [`uint_arg`], testable natively.
pub fn uint(name: &str, value: Option<f64>) -> Result<u64, String> {
    match value {
        None => Err(format!("{name}: expected a number")),
        Some(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= JS_SAFE_INT_MAX as f64 => {
            Ok(v as u64)
        }
        Some(_) => Err(format!("{name}: expected an integer from 0 to 2^53 - 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::uint;

    #[test]
    fn uint_refuses_what_is_not_a_safe_non_negative_integer() {
        assert_eq!(uint("first", Some(3.0)), Ok(3));
        for bad in [None, Some(-1.0), Some(0.5), Some(f64::NAN), Some(9.1e15)] {
            let e = uint("first", bad).unwrap_err();
            assert!(e.starts_with("first: "), "{e}");
        }
    }
}
