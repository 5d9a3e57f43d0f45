//! Every ready scenario meets its expectations, and its summary matches the golden file
//! (`UPDATE_GOLDEN=1 cargo test -p raftlab-sim --test scenarios` regenerates them; review
//! the diff).

use std::path::PathBuf;

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[test]
fn every_ready_scenario_meets_its_expectations_and_matches_its_golden_summary() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 13,
        "expected the ready scenarios, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let s = sim::Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(!s.description.is_empty(), "{}: no description", f.display());
        let (_, summary) = sim::run_scenario(&s).unwrap();
        let out = summary.to_text();
        if !summary.passed {
            failures.push(format!("{}:\n{out}", f.display()));
        }
        let golden = f.with_extension("golden");
        if update {
            std::fs::write(&golden, &out).unwrap();
        } else {
            let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
                panic!("{} missing: run with UPDATE_GOLDEN=1", golden.display())
            });
            if want != out {
                failures.push(format!(
                    "{}: summary differs from {} (UPDATE_GOLDEN=1 to regenerate):\n{out}",
                    f.display(),
                    golden.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
