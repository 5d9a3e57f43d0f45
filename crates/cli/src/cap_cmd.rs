//! `raftlab cap <scenario> [--json]`: a scenario's actions on Raft and on the AP store,
//! side by side (`sim::side_by_side`).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `raftlab cap`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (JSON; see crates/sim/SCENARIOS.md). Its config's `ap` settings
    /// (or the defaults) configure the AP side; its expectations are not checked.
    pub scenario: PathBuf,
    /// Print one JSON object (both reports, the skipped actions and the lag samples).
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand: exit 0 when it ran (whatever the verdicts), 2 on bad input.
pub fn main(args: Args) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("raftlab cap: {}: {e}", args.scenario.display());
        ExitCode::from(2)
    };
    let text = match std::fs::read_to_string(&args.scenario) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let scenario = match sim::Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let pair = match sim::side_by_side::run_side_by_side(&scenario) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let report = pair.report(&check::Options::default());
    let skipped = pair.skipped();
    if args.json {
        let j = serde_json::json!({
            "report": report,
            "skipped_actions": skipped.iter().map(|(i, e)| serde_json::json!({
                "index": i, "field": e.field, "problem": e.problem,
            })).collect::<Vec<_>>(),
            "lag": pair.lag(),
        });
        outln!("{}", serde_json::to_string_pretty(&j).expect("json"));
        return ExitCode::SUCCESS;
    }
    outln!(
        "{} nodes, seed {}, {} ms, the same actions on both sides",
        scenario.config.node_count,
        scenario.seed,
        scenario.duration_us / 1000
    );
    for (i, e) in skipped {
        outln!("  action {i} skipped: {}: {}", e.field, e.problem);
    }
    out!("{}", report.to_text(pair.lag()));
    ExitCode::SUCCESS
}
