//! `raftlab run <scenario> [--json]`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `raftlab run`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (JSON; see crates/sim/SCENARIOS.md).
    pub scenario: PathBuf,
    /// Print one JSON object (the summary, including `trace_hash`) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also print the last N trace lines (text mode).
    #[arg(long, value_name = "N")]
    pub trace: Option<usize>,
    /// Also print the final world view (nodes, messages, network, clients, monitors) as
    /// JSON (text mode).
    #[arg(long)]
    pub view: bool,
    /// Also print the client history in the documented JSON form (text mode) to this file.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

/// Runs the subcommand: exit 0 when every expectation is met, 1 when one fails, 2 on bad
/// input.
pub fn main(args: Args) -> ExitCode {
    let text = match std::fs::read_to_string(&args.scenario) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("raftlab run: {}: {e}", args.scenario.display());
            return ExitCode::from(2);
        }
    };
    let scenario = match sim::Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("raftlab run: {}: {e}", args.scenario.display());
            return ExitCode::from(2);
        }
    };
    let (world, summary) = match sim::run_scenario(&scenario) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("raftlab run: {}: {e}", args.scenario.display());
            return ExitCode::from(2);
        }
    };
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&summary).expect("summary serializes")
        );
    } else {
        out!("{}", summary.to_text());
        if args.view {
            outln!(
                "{}",
                serde_json::to_string_pretty(&world.view()).expect("view serializes")
            );
        }
        if let Some(n) = args.trace {
            let records: Vec<_> = world.trace().collect();
            outln!("trace (last {n} of {} records):", world.trace_len());
            for r in records.iter().skip(records.len().saturating_sub(n)) {
                outln!("  {r}");
            }
        }
    }
    if let Some(path) = args.history {
        if let Err(e) = std::fs::write(&path, sim::history::to_json(&world.history())) {
            eprintln!("raftlab run: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if summary.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
