//! The CLI writes to a reader that goes away (`raftlab run s.json | head -1`): it stops
//! quietly with status 0, where `println!` would panic on the broken pipe.

use std::process::{Command, Stdio};

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/split_brain.json"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(["run", scenario, "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("raftlab starts");
    // The reader is gone before the run has printed anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("raftlab ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "status {:?}, stderr: {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}
