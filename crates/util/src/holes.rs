//! Filling a label's `{hole}`s, in order, from a list of values: the one routine behind the
//! simulator's trace lines and the checker's explanations, whose labels are also the page's
//! English sentences.

use std::fmt;

/// Writes `label` to `out` with each `{hole}` replaced, in order, by the next of `values`;
/// a hole with no value left stays as written.
pub fn fill<W: fmt::Write + ?Sized, T: fmt::Display>(
    out: &mut W,
    label: &str,
    values: impl IntoIterator<Item = T>,
) -> fmt::Result {
    let mut rest = label;
    let mut values = values.into_iter();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.write_str(&rest[..open])?;
        match values.next() {
            Some(v) => write!(out, "{v}")?,
            None => out.write_str(&rest[open..open + close + 1])?,
        }
        rest = &rest[open + close + 1..];
    }
    out.write_str(rest)
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn holes_take_values_in_order_and_missing_ones_stay() {
        let mut s = String::new();
        fill(&mut s, "{a} and {b}, {c}", ["1", "2"]).unwrap();
        assert_eq!(s, "1 and 2, {c}");
        let mut s = String::new();
        fill(&mut s, "no holes {", ["x"]).unwrap();
        assert_eq!(s, "no holes {");
    }
}
