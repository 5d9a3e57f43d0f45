//! `raftlab check <history.json>`: every verdict, the explanation and the effort.
//!
//! Exit code: 0 linearizable, 1 not linearizable, 2 unknown (budget) or bad input (the
//! error names the field).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `raftlab check`.
#[derive(clap::Args)]
pub struct Args {
    /// The history file (docs/history-format.md).
    pub history: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Step budget of the linearizability search (all keys together); beyond it the
    /// verdict is unknown.
    #[arg(long, default_value_t = check::LINEARIZABILITY_STEPS_MAX_DEFAULT)]
    pub budget: u64,
    /// Largest history (operations) for the sequential-consistency search.
    #[arg(long, default_value_t = check::SEQUENTIAL_OPS_MAX_DEFAULT)]
    pub sequential_ops_max: usize,
    /// Decide every key (the full report); by default the linearizability search stops at
    /// the first violated key.
    #[arg(long)]
    pub all_partitions: bool,
    /// Print search progress to stderr.
    #[arg(long)]
    pub progress: bool,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    let text = match std::fs::read_to_string(&args.history) {
        Ok(t) => t,
        Err(e) => return bad_input(&args, &format!("{}: {e}", args.history.display())),
    };
    let history = match check::parse_history(&text) {
        Ok(h) => h,
        Err(e) => {
            if args.json {
                let v = serde_json::json!({ "error": "bad input", "errors": e.errors });
                out(&format!("{v}\n"));
            } else {
                eprintln!("raftlab check: {}: bad history:", args.history.display());
                for err in &e.errors {
                    eprintln!("  {err}");
                }
            }
            return ExitCode::from(2);
        }
    };
    let options = check::Options {
        linearizability_steps_max: args.budget,
        sequential_ops_max: args.sequential_ops_max,
        all_partitions: args.all_partitions,
        ..check::Options::default()
    };
    #[allow(clippy::disallowed_methods)]
    // reason: the CLI reports wall time; the check does not see it
    let started = std::time::Instant::now();
    let show_progress = args.progress;
    let report = check::check_history_with_progress(&history, &options, &mut |p| {
        if show_progress {
            eprintln!(
                "{} {}/{} {:?}: {} steps of {}, {} of {} ops placed",
                p.checker,
                p.partition_index + 1,
                p.partitions,
                p.partition,
                p.steps,
                p.steps_max,
                p.linearized,
                p.ops
            );
        }
    });
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    if args.json {
        let mut v = serde_json::to_value(&report).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("file".into(), args.history.display().to_string().into());
            o.insert(
                "elapsed_ms".into(),
                serde_json::json!((elapsed_ms * 1000.0).round() / 1000.0),
            );
            o.insert("exit_code".into(), report.exit_code().into());
        }
        out(&format!("{v}\n"));
    } else {
        out(&report.to_text());
        let steps = report.linearizability.steps + report.sequential.steps;
        out(&format!(
            "\nchecked {} in {elapsed_ms:.1} ms ({steps} search steps)\n",
            args.history.display()
        ));
    }
    ExitCode::from(report.exit_code())
}

fn bad_input(args: &Args, message: &str) -> ExitCode {
    if args.json {
        let v = serde_json::json!({ "error": "bad input", "errors": [{ "path": "", "message": message }] });
        out(&format!("{v}\n"));
    } else {
        eprintln!("raftlab check: {message}");
    }
    ExitCode::from(2)
}

/// Writes to stdout, ignoring a closed pipe (`raftlab check ... | head`).
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
