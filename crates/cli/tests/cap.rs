//! `raftlab cap`: the CAP scenario side by side, as text and JSON; bad input exits 2
//! naming the problem.

use std::process::Command;

fn cap(args: &[&str]) -> (i32, String, String) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .current_dir(root)
        .arg("cap")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cap_scenario_shows_raft_consistent_and_the_ap_store_available() {
    let (code, text, err) = cap(&["scenarios/cap_partition_raft.json"]);
    assert_eq!(code, 0, "{err}");
    let line = |what: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(what))
            .unwrap_or_else(|| panic!("no {what} line in\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("linearizability"), "linearizability ok violated");
    assert_eq!(line("clients left"), "clients left unanswered 2 0");
    assert!(line("answered").ends_with("(100%)"), "{text}");
    assert_eq!(line("converged now"), "converged now yes yes");

    let (code, json, _) = cap(&["scenarios/cap_partition_raft.json", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ap = &v["report"]["ap"];
    assert_eq!(ap["ops_ok_in_partitions"], ap["ops_in_partitions"]);
    assert!(v["lag"].as_array().is_some_and(|l| l.len() > 200));
}

#[test]
fn a_missing_file_exits_2_with_its_name() {
    let (code, _, err) = cap(&["no/such.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such.json"), "{err}");
}
