//! A trace line's case and holes say what its English text says: for every record of every
//! ready scenario, the case's label filled with the holes is the record's `Display` text
//! (the CLI's and the goldens' line), and the page's `TraceLine` carries both.

use sim::trace::{fill_line, LineCase};
use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn every_line_of_every_ready_scenario_is_its_case_filled_in() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 13, "found {} scenarios", files.len());
    let mut seen = BTreeSet::new();
    let mut lines = 0usize;
    for f in &files {
        let s = sim::Scenario::from_json(&std::fs::read_to_string(f).unwrap()).unwrap();
        let (w, _) = sim::run_scenario(&s).unwrap();
        for r in w.trace() {
            let (case, params) = r.kind.case();
            assert_eq!(
                fill_line(case.label(), &params),
                r.kind.to_string(),
                "{}: {case:?}",
                f.display()
            );
            let line = r.line_with(false);
            assert_eq!(line.case.is_some(), line.marker.is_some());
            if line.case.is_some() {
                assert_eq!(line.text, r.kind.to_string());
            }
            seen.insert(case.name());
            lines += 1;
        }
    }
    let unseen: Vec<&str> = LineCase::NAMES
        .iter()
        .copied()
        .filter(|n| !seen.contains(n))
        .collect();
    println!(
        "{lines} lines, {} cases seen; not seen: {unseen:?}",
        seen.len()
    );
    // The common ones must be among them, or this test checks little.
    for must in [
        "send",
        "deliver",
        "role_changed",
        "commit_advanced",
        "apply",
        "action",
        "lie_equivocate",
    ] {
        assert!(seen.contains(must), "no {must} line in the ready scenarios");
    }
}
