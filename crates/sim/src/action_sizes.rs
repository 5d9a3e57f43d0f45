//! The sizes in an action (keys, values) checked against their bounds in `limits.rs`.

use crate::action::{Action, ActionError};

fn check_field(field: &str, s: &str, max: usize, limit: &str) -> Result<(), ActionError> {
    crate::limits::check_text(field, s.len(), max, limit)
        .map_err(|_| ActionError::new(field, format!("{} bytes, at most {max} ({limit})", s.len())))
}

/// Checks the sizes in an action (keys, values).
pub fn check_action_sizes(a: &Action) -> Result<(), ActionError> {
    let (key, values): (&str, [Option<&str>; 2]) = match a {
        Action::Put { key, value, .. }
        | Action::Append { key, value, .. }
        | Action::Start { key, value, .. } => (key, [Some(value), None]),
        Action::Get { key, .. } => (key, [None, None]),
        Action::Cas {
            key,
            expected,
            value,
            ..
        } => (key, [Some(value), expected.as_deref()]),
        _ => return Ok(()),
    };
    check_field("key", key, crate::limits::KEY_BYTES_MAX, "KEY_BYTES_MAX")?;
    for (name, v) in ["value", "expected"].into_iter().zip(values) {
        if let Some(v) = v {
            check_field(name, v, crate::limits::VALUE_BYTES_MAX, "VALUE_BYTES_MAX")?;
        }
    }
    Ok(())
}
