//! Records as CSV: one header line, one row per trial, columns in the record's field order
//! (the order its JSON has, so a page can write the same bytes from the JSON records).
//! A field is quoted only when it holds a comma, a quote or a line break (RFC 4180), inner
//! quotes doubled; an absent value is an empty field.

use super::measurement::TrialRecord;

/// The header: [`TrialRecord`]'s fields, in declaration order.
pub const CSV_COLUMNS: &[&str] = &[
    "range",
    "label",
    "group",
    "trial",
    "seed",
    "election_timeout_us_min",
    "election_timeout_us_max",
    "pre_vote",
    "check_quorum",
    "loss_ppm",
    "fault_duration_us",
    "moment_us",
    "old_leader",
    "crash_us",
    "elected_us",
    "election_us",
    "new_leader",
    "new_term",
    "ops",
    "ops_ok",
    "ok_ppm",
    "latency_us_p50",
    "latency_us_p99",
    "latency_us_max",
    "events",
    "error",
];

/// The header line (no line break).
pub fn csv_header() -> String {
    CSV_COLUMNS.join(",")
}

/// One record's row (no line break).
pub fn csv_row(r: &TrialRecord) -> String {
    fn opt<T: ToString>(v: &Option<T>) -> String {
        v.as_ref().map_or(String::new(), T::to_string)
    }
    let fields = [
        r.range.to_string(),
        text(&r.label),
        text(&r.group),
        r.trial.to_string(),
        r.seed.to_string(),
        r.election_timeout_us_min.to_string(),
        r.election_timeout_us_max.to_string(),
        r.pre_vote.to_string(),
        r.check_quorum.to_string(),
        r.loss_ppm.to_string(),
        opt(&r.fault_duration_us),
        r.moment_us.to_string(),
        opt(&r.old_leader),
        opt(&r.crash_us),
        opt(&r.elected_us),
        opt(&r.election_us),
        opt(&r.new_leader),
        opt(&r.new_term),
        opt(&r.ops),
        opt(&r.ops_ok),
        opt(&r.ok_ppm),
        opt(&r.latency_us_p50),
        opt(&r.latency_us_p99),
        opt(&r.latency_us_max),
        r.events.to_string(),
        r.error.as_deref().map_or(String::new(), text),
    ];
    fields.join(",")
}

/// A text field, quoted when it must be.
fn text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of a flat JSON object, in order (the record's JSON has no nesting).
    fn keys(json: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = json.trim_start_matches('{');
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let end = after.find('"').unwrap();
            out.push(after[..end].to_string());
            // Skip the value: up to the next comma outside a string (values here hold none).
            match after[end..].find(',') {
                Some(c) => rest = &after[end + c + 1..],
                None => break,
            }
        }
        out
    }

    #[test]
    fn the_columns_are_the_record_fields_in_json_order() {
        let json = crate::json::to_string(&TrialRecord::default()).unwrap();
        assert_eq!(keys(&json), CSV_COLUMNS);
    }

    #[test]
    fn a_field_is_quoted_only_when_it_must_be() {
        let r = TrialRecord {
            label: "150-300".into(),
            error: Some("no leader, \"really\"".into()),
            ..TrialRecord::default()
        };
        let row = csv_row(&r);
        assert!(row.starts_with("0,150-300,,0,"), "{row}");
        assert!(row.ends_with(",0,\"no leader, \"\"really\"\"\""), "{row}");
        assert_eq!(row.split(',').count(), CSV_COLUMNS.len() + 1); // the comma inside the quotes
    }
}
