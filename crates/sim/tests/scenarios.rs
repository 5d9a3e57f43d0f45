//! Every ready scenario meets its expectations, and its golden file matches: the summary
//! (with the trace hash), then the trace filtered to the lines a reader follows, so that a
//! behaviour change shows as a readable diff. `UPDATE_GOLDEN=1 cargo test -p raftlab-sim
//! --test scenarios` regenerates them; review the diff.
//!
//! The filter ([`shown`]) keeps role changes, commit advances, log truncations and the
//! other leadership events (CheckQuorum step-downs, transfers, TimeoutNow), snapshot installs, client
//! invocations, retries and completions, actions (faults and user requests), messages
//! dropped by a user or a `drop_next` rule, applies of a retried command (de-duplicated or
//! applied again) and monitor violations. Cut: sends, deliveries, random and link-down
//! drops, network duplicates, timers, persists, fresh applies, clients' first attempts and
//! the vote, term, ignore, lease and flow-control events. At most [`SHOWN_LINES_MAX`] lines are kept;
//! a last line says how many more were cut.

use raft::Event;
use sim::kv::ApplyKind;
use sim::trace::{DropReason, TraceKind, TraceRecord};
use std::path::PathBuf;

/// Lines of filtered trace per golden file at most.
const SHOWN_LINES_MAX: usize = 300;

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// Whether a golden file shows this record (see the module docs).
fn shown(r: &TraceRecord) -> bool {
    match &r.kind {
        TraceKind::Node { event, .. } => matches!(
            event,
            Event::RoleChanged { .. }
                | Event::CommitAdvanced { .. }
                | Event::LogTruncated { .. }
                | Event::CommittedEntriesTruncated { .. }
                | Event::CheckQuorumFailed { .. }
                | Event::TransferStarted { .. }
                | Event::TransferAborted { .. }
                | Event::TimeoutNowReceived { .. }
                | Event::SnapshotInstalled { .. }
        ),
        TraceKind::Drop { reason, .. } => matches!(reason, DropReason::User | DropReason::Rule),
        TraceKind::Apply { how, .. } => *how != ApplyKind::Fresh,
        TraceKind::ClientAttempt { attempt, .. } => *attempt > 1,
        TraceKind::ClientInvoke { .. }
        | TraceKind::ClientComplete { .. }
        | TraceKind::Action(_)
        | TraceKind::Lie { .. }
        | TraceKind::Violation { .. } => true,
        TraceKind::Send { .. }
        | TraceKind::Deliver { .. }
        | TraceKind::Duplicate { .. }
        | TraceKind::Timer { .. }
        | TraceKind::Persist { .. } => false,
        // A note beside a `send` (not hashed): left out so goldens show what they did.
        TraceKind::AppendRejected { .. } => false,
    }
}

/// The filtered trace: a heading, then one line per shown record in its one-line form.
fn filtered_trace(w: &sim::World) -> String {
    assert_eq!(
        w.trace().len() as u64,
        w.trace_len(),
        "the trace ring dropped records: the filtered trace would miss the start"
    );
    let lines: Vec<String> = w
        .trace()
        .filter(|r| shown(r))
        .map(|r| r.to_string())
        .collect();
    let mut out = format!(
        "\nfiltered trace ({} of {} records: roles, commits, truncations, leadership, clients, actions, targeted drops, retries, violations):\n",
        lines.len(),
        w.trace_len()
    );
    for line in lines.iter().take(SHOWN_LINES_MAX) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > SHOWN_LINES_MAX {
        out.push_str(&format!(
            "... {} more lines cut\n",
            lines.len() - SHOWN_LINES_MAX
        ));
    }
    out
}

#[test]
fn every_ready_scenario_meets_its_expectations_and_matches_its_golden_file() {
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
        let (w, summary) = sim::run_scenario(&s).unwrap();
        let summary_text = summary.to_text();
        if !summary.passed {
            failures.push(format!("{}:\n{summary_text}", f.display()));
        }
        let out = format!("{summary_text}{}", filtered_trace(&w));
        let golden = f.with_extension("golden");
        if update {
            std::fs::write(&golden, &out).unwrap();
        } else {
            let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
                panic!("{} missing: run with UPDATE_GOLDEN=1", golden.display())
            });
            if want != out {
                failures.push(format!(
                    "{}: differs from {} (UPDATE_GOLDEN=1 to regenerate):\n{out}",
                    f.display(),
                    golden.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
