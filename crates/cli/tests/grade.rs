//! `raftlab grade` on every lesson's exercise: the recorded correct solution passes, the
//! recorded wrong one fails with a reason, and the output is the grader's JSON. The Node
//! (tests/node/lessons.test.mjs) and Chromium (tests/e2e/lessons.test.mjs) tests grade the
//! same files and compare with these answers.

use std::path::{Path, PathBuf};
use std::process::Command;

fn lessons() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("lessons/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("exercise.json").exists())
        .collect();
    out.sort();
    out
}

fn grade(exercise: &Path, submission: &Path) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .arg("grade")
        .arg(exercise)
        .arg(submission)
        .output()
        .expect("raftlab runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn every_exercise_accepts_its_solution_and_rejects_the_wrong_one() {
    let all = lessons();
    assert!(all.len() >= 6, "at least six lessons with exercises");
    for dir in all {
        let ex = dir.join("exercise.json");
        let (code, g) = grade(&ex, &dir.join("solution.json"));
        assert_eq!(code, 0, "{}: solution: {g:#}", dir.display());
        assert_eq!(g["passed"], true);
        assert!(g["reasons"].as_array().is_some_and(|r| r.is_empty()));
        let (code, g) = grade(&ex, &dir.join("wrong.json"));
        assert_eq!(code, 1, "{}: wrong: {g:#}", dir.display());
        assert_eq!(g["passed"], false);
        assert!(
            g["reasons"].as_array().is_some_and(|r| !r.is_empty()),
            "{}: a failed grade says why",
            dir.display()
        );
    }
}

#[test]
fn a_bad_exercise_is_refused_naming_the_field() {
    let dir = std::env::temp_dir().join(format!("raftlab-grade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ex = dir.join("ex.json");
    let sub = dir.join("sub.json");
    std::fs::write(
        &ex,
        r#"{"scenario": {"duration_us": 1000}, "goal": [{"type": "becomes_leader", "node": 9}]}"#,
    )
    .unwrap();
    std::fs::write(&sub, r#"{"actions": []}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(["grade"])
        .arg(&ex)
        .arg(&sub)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("exercise.goal[0].node: no node 9 (nodes are 1..5)"),
        "{err}"
    );
}
