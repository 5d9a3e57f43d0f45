//! Behaviour as reviewable text: data-driven interaction scripts for the Raft core, in
//! the style of etcd-raft's `testdata/*.txt`.
//!
//! Each `crates/raft/testdata/NAME.txt` is a short script of commands, one per line; it
//! opens with `#` comment lines saying what it shows (`#` lines are comments anywhere).
//! Running it produces a transcript — every command echoed as `> command`, followed by the
//! messages nodes send in their one-line form (`1->2 AppendEntries t1 prev=1/1 [1/2]
//! commit=1`), the events they report (`n1: candidate -> leader in t1`, `n2: commit 1 ->
//! 2`, refusals with their reason), reads served or dropped, and what `log` / `status`
//! print — which must equal `NAME.golden` beside the script. A mismatch fails with a line
//! diff (`-` expected, `+` actual).
//!
//! **`RAFTLAB_BLESS=1 cargo test -p raftlab-raft --test interaction`** rewrites every
//! golden from the current behaviour; review the change with `git diff`.
//!
//! Commands (the environment is `tests/interaction_env/mod.rs`): messages wait in one queue
//! until delivered; the clock moves only when told.
//!
//! | command | effect |
//! | --- | --- |
//! | `add-nodes N [pre-vote=B] [check-quorum=B] [read-mode=lease\|read-index] [entries-per-msg=K] [inflight=K] [learner-lag-max=K] [learner-rounds-min=K] [snapshot-threshold=K] [TOGGLE=B]` | N voters, default config otherwise; node i times out after min + 10 ms + (i-1)·40 ms |
//! | `campaign X` | X's election timer fires now |
//! | `propose X CMD` / `read X ID` / `transfer X Y` | the API calls |
//! | `tick X` | the clock jumps to X's next deadline and X's due timers fire |
//! | `advance US` | the clock moves US µs, no timer fires |
//! | `deliver [X->Y]` | deliver what is queued now (or only on X->Y); replies queue behind |
//! | `stabilize` | deliver until nothing is queued |
//! | `drop [X->Y]` / `reorder X->Y` | drop queued messages / reverse the queued order on a link |
//! | `cut X->Y` / `isolate X` / `partition A,B C,D` / `heal` | links that lose everything delivered over them |
//! | `crash X` / `restart X` | lose volatile state / recover from what was persisted |
//! | `log X` / `status X` | print X's log / role, term, vote, commit and per-follower progress (learners with their caught-up rounds) |
//! | `add-server X` | start server X (the next id) outside the configuration, to be added |
//! | `change X add-learner Y\|add-voter Y\|promote Y\|remove Y` | X proposes a membership change |
//! | `change X joint voters=A,B,.. [learners=C,..]` | X proposes a joint change to that configuration |
//! | `conf X` | print the configuration in force on X |
//! | `compact X` | X compacts its log at its applied index (also automatic with `snapshot-threshold=K`) |
//! | `machine X` | print X's state machine (the commands applied; restored from snapshots) |

mod interaction_env;

use interaction_env::Env;
use std::path::{Path, PathBuf};

/// Runs a script and returns its transcript, or the line that failed.
fn run_script(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !text.starts_with('#') {
        return Err(format!(
            "{}: a script opens with a comment saying what it shows",
            path.display()
        ));
    }
    let mut env = Env::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        env.run(line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
    }
    Ok(env.transcript().to_string())
}

/// A line diff of `expected` against `actual` (longest common subsequence), showing only
/// changed lines with up to 2 lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (tag, line): ' ' same, '-' only expected, '+' only actual.
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        ops[k.saturating_sub(2)..(k + 3).min(ops.len())]
            .iter()
            .any(|o| o.0 != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, &(tag, line)) in ops.iter().enumerate() {
        if tag == ' ' && !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("  ...\n");
            skipped = false;
        }
        out.push_str(&format!("{tag} {line}\n"));
    }
    if skipped {
        out.push_str("  ...\n");
    }
    out
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable testdata").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_interaction_script_matches_its_golden_transcript() {
    let bless = std::env::var_os("RAFTLAB_BLESS").is_some_and(|v| v == "1");
    let paths = scripts();
    let mut failures = Vec::new();
    for path in &paths {
        let golden = path.with_extension("golden");
        let actual = match run_script(path) {
            Ok(t) => t,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if bless {
            std::fs::write(&golden, &actual).expect("golden writable");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{} differs from {} (RAFTLAB_BLESS=1 to rewrite):\n{}",
                path.display(),
                golden.display(),
                diff(&expected, &actual)
            )),
            Err(_) => failures.push(format!(
                "{} missing: run with RAFTLAB_BLESS=1",
                golden.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        paths.len() >= 15,
        "at least 15 interaction scripts, found {}",
        paths.len()
    );
}

#[test]
fn the_diff_shows_changed_lines_with_context() {
    let d = diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nX\ne\nf\ng\n");
    assert_eq!(d, "  ...\n  b\n  c\n- d\n+ X\n  e\n  f\n  ...\n");
}
