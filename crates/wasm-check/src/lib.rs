//! The history playground's Wasm module (`www/history.html`): the checker's full report of a
//! hand-built history, behind a thin wasm-bindgen layer. Built apart from the playground's
//! module (`crates/wasm`) and the experiments page's (`crates/wasm-lab`), so that neither page
//! pays for the ladder's searches and this page does not pay for the simulator.

#![forbid(unsafe_code)]
// A panic here would kill the page's checker: every failure is a JS Error instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(missing_docs)]

use wasm_args::{js_err, json_text, to_js};
use wasm_bindgen::prelude::*;

/// Checks a client history (object or JSON text, docs/history-format.md) and returns the
/// checker's report: every verdict, the ladder of consistency models, the explanations.
/// Bad input throws a JS `Error` naming the field (`history: operations[2].complete_us:
/// ...`), never a trap.
#[wasm_bindgen]
pub fn check_history(
    #[wasm_bindgen(unchecked_param_type = "object | string")] history: JsValue,
) -> Result<JsValue, JsError> {
    let text = json_text("history", &history)?;
    let report = check_report(&text).map_err(js_err)?;
    to_js(&report)
}

/// [`check_history`]'s work, testable natively: parse, validate, check.
pub fn check_report(text: &str) -> Result<check::Report, String> {
    let h = check::parse_history(text).map_err(|e| {
        let first = e.errors.first().map(|f| f.to_string()).unwrap_or_default();
        format!("history: {first}")
    })?;
    Ok(check::check_history(&h, &check::Options::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_history_is_an_error_naming_the_field() {
        let e = check_report(r#"{"version": 1, "model": "kv", "operations": [{"id": 0}]}"#)
            .unwrap_err();
        assert!(e.starts_with("history: operations[0]."), "{e}");
        let r = check_report(r#"{"version": 1, "model": "kv", "operations": []}"#).unwrap();
        assert_eq!(r.ladder.strongest, Some("linearizable"));
    }
}
