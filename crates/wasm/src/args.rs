//! Validation of values arriving from JavaScript. Plain Rust, so it is tested natively.

/// The largest integer a JS number holds exactly (2^53 - 1).
pub const JS_SAFE_INT_MAX: u64 = (1 << 53) - 1;

/// A non-negative integer below 2^53, from a JS number; the error names the argument.
pub fn uint(name: &str, value: f64) -> Result<u64, String> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= JS_SAFE_INT_MAX as f64
    {
        Ok(value as u64)
    } else {
        Err(format!(
            "{name}: expected a non-negative integer below 2^53, got {}",
            show(value)
        ))
    }
}

/// A number as JS writes it (`-1`, `0.5`, `NaN`, `Infinity`). Not `{value}`: Rust's float
/// formatting would add its own ~10 KB to the module; `sim::json`'s is already there.
fn show(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if value.fract() == 0.0 && value.abs() < 1e21 {
        if value.abs() <= 2f64.powi(53) {
            format!("{}", value as i64)
        } else {
            // Beyond 2^53 JS writes the shortest digits that round-trip, then zeros.
            integer_in_full(&sim::json::Number::Float(value).to_string())
        }
    } else {
        sim::json::Number::Float(value).to_string()
    }
}

/// An integral float's shortest digits (`-1.5e20`, `9007199254740994.0`) as JS writes an
/// integer below 1e21: `-150000000000000000000`, `9007199254740994`.
fn integer_in_full(float: &str) -> String {
    let (mantissa, exponent) = float.split_once(['e', 'E']).unwrap_or((float, "0"));
    let exponent: usize = exponent.trim_start_matches('+').parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = format!("{whole}{fraction}");
    // The value is an integer: digits past the point are zeros.
    let len = whole.len() + exponent;
    digits.truncate(len);
    format!("{sign}{digits:0<len$}")
}

/// A JS number argument, type-checked (wasm-bindgen would silently coerce `"12"` or `true`).
pub fn number(name: &str, value: Option<f64>, type_name: &str) -> Result<f64, String> {
    value.ok_or_else(|| format!("{name}: expected a number, got {type_name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_accepts_safe_integers_only() {
        assert_eq!(uint("us", 0.0), Ok(0));
        assert_eq!(uint("us", 16_000.0), Ok(16_000));
        assert_eq!(uint("us", JS_SAFE_INT_MAX as f64), Ok(JS_SAFE_INT_MAX));
        // Each refusal names the argument and shows the number as JS writes it.
        let refused = |shown: &str| {
            Err(format!(
                "us: expected a non-negative integer below 2^53, got {shown}"
            ))
        };
        assert_eq!(uint("us", -1.0), refused("-1"));
        assert_eq!(uint("us", 0.5), refused("0.5"));
        assert_eq!(uint("us", f64::NAN), refused("NaN"));
        assert_eq!(uint("us", f64::INFINITY), refused("Infinity"));
        assert_eq!(uint("us", f64::NEG_INFINITY), refused("-Infinity"));
        assert_eq!(uint("us", 2f64.powi(53) + 2.0), refused("9007199254740994"));
        assert_eq!(uint("us", -2f64.powi(53)), refused("-9007199254740992"));
        // Large integers as JS writes them: the shortest digits, then zeros (below 1e21).
        assert_eq!(uint("us", -10_000_000_001.0), refused("-10000000001"));
        assert_eq!(uint("us", 2f64.powi(60)), refused("1152921504606847000"));
        assert_eq!(uint("us", 2f64.powi(63)), refused("9223372036854776000"));
        assert_eq!(
            uint("us", -(2f64.powi(64))),
            refused("-18446744073709552000")
        );
        assert_eq!(uint("us", 2f64.powi(69)), refused("590295810358705700000"));
        assert_eq!(uint("us", 1e20), refused("100000000000000000000"));
        assert_eq!(
            uint("us", 999_999_999_999_999_900_000.0),
            refused("999999999999999900000")
        );
        assert_eq!(uint("us", 1e21), refused("1e+21"));
        assert_eq!(uint("us", 1.5e300), refused("1.5e+300"));
        assert_eq!(uint("us", -2.5e-8), refused("-2.5e-8"));
    }
}
