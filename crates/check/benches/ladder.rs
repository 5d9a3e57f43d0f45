//! Ladder benchmark: for every history in `testdata/` (the article's figures, the boundary
//! histories and the known register/KV histories), the time of the causal check alone and of
//! the whole report with its ladder, best of 10 runs, and the causal search's steps.
//!
//! `cargo bench -p raftlab-check --bench ladder`. Prints figures; asserts nothing.

use check::{check_causal, check_history, kv_operations, parse_history, Options};
use std::path::Path;

#[allow(clippy::disallowed_methods)] // reason: a benchmark measures wall time
fn best_ms<T>(mut f: impl FnMut() -> T) -> (T, f64) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..10 {
        let t = std::time::Instant::now();
        last = Some(f());
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    (last.expect("ran at least once"), best)
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/ is readable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let opts = Options::default();
    println!(
        "ladder benchmark: best of 10 runs; causal budget {} ops, {} steps",
        opts.causal_ops_max, opts.causal_steps_max
    );
    println!(
        "{:<44}{:>5} {:>10} {:>9} {:>10}  strongest",
        "history", "ops", "causal ms", "steps", "report ms"
    );
    let mut report_ms_max = 0.0f64;
    for name in names {
        let Ok(h) = parse_history(&std::fs::read_to_string(dir.join(&name)).expect("readable"))
        else {
            continue;
        };
        let ops = kv_operations(&h);
        let (c, causal_ms) =
            best_ms(|| check_causal(&ops, opts.causal_ops_max, opts.causal_steps_max));
        let (r, report_ms) = best_ms(|| check_history(&h, &opts));
        report_ms_max = report_ms_max.max(report_ms);
        println!(
            "{name:<44}{:>5} {causal_ms:>10.3} {:>9} {report_ms:>10.3}  {} (causal {:?})",
            h.operations.len(),
            c.steps,
            r.ladder.strongest.unwrap_or("none"),
            c.verdict,
        );
    }
    println!("report ms max: {report_ms_max:.3}");
}
