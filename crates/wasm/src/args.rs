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

/// A number as JS's `String(value)` writes it (`-1`, `0.5`, `1e+21`, `NaN`, `Infinity`). In
/// the module JS itself writes it, which keeps Rust's float formatting (several KB) out of
/// the Wasm; natively (the unit tests) [`show_native`] follows the same rules.
#[cfg(target_arch = "wasm32")]
fn show(value: f64) -> String {
    String::from(
        js_sys::Number::from(value)
            .to_string_with_radix(10)
            .unwrap_or_else(|_| "NaN".into()),
    )
}

#[cfg(not(target_arch = "wasm32"))]
fn show(value: f64) -> String {
    show_native(value)
}

/// The shortest digits that round-trip (Rust's `{:e}`), placed by the rules of ECMAScript's
/// `Number::toString`: what JS's `String(value)` gives.
#[cfg(any(test, not(target_arch = "wasm32")))]
fn show_native(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if value == 0.0 {
        return "0".into(); // -0 too
    }
    // `d.ddde<exp>`: the digits without the point, and n, where the point goes after n of them.
    let sci = format!("{:e}", value.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits = mantissa.replace('.', "");
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (whole, fraction) = digits.split_at(n as usize);
        format!("{whole}.{fraction}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat(n.unsigned_abs() as usize))
    } else {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let sign = if n > 0 { "+" } else { "-" };
        format!("{first}{point}{rest}e{sign}{}", (n - 1).unsigned_abs())
    };
    if value < 0.0 {
        format!("-{body}")
    } else {
        body
    }
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
        // Fractions as JS writes them: plain down to 1e-6, then with an exponent.
        assert_eq!(uint("us", 123.456), refused("123.456"));
        assert_eq!(uint("us", 0.000001), refused("0.000001"));
        assert_eq!(uint("us", 1e-7), refused("1e-7"));
        assert_eq!(uint("us", -0.1), refused("-0.1"));
        assert_eq!(uint("us", 0.1 + 0.2), refused("0.30000000000000004"));
        assert_eq!(uint("us", 5e-324), refused("5e-324"));
        assert_eq!(uint("us", f64::MAX), refused("1.7976931348623157e+308"));
    }
}
