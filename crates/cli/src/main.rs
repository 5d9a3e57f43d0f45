//! `raftlab`: the simulator and the checkers, headless.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[macro_use]
mod out;
mod campaign_cmd;
mod cap_cmd;
mod check_cmd;
mod experiment_cmd;
mod grade_cmd;
mod run_cmd;
mod schema_cmd;

/// Raftlab's headless runner: check client histories, run scenarios and fault campaigns.
#[derive(Parser)]
#[command(name = "raftlab", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a client history (JSON, see docs/history-format.md) for linearizability,
    /// sequential consistency, session guarantees and convergence.
    Check(check_cmd::Args),
    /// Run a scenario (JSON: config, seed, timed actions, expectations) and print a summary:
    /// leaders per term, commits, monitor results, client outcomes, expectations and the
    /// trace hash. Exits 1 when an expectation fails.
    Run(run_cmd::Args),
    /// Run randomized fault campaigns over many seeds: a safety phase (crashes, restarts,
    /// partitions, one-way cuts, loss, duplication, reordering, pauses, drift within the
    /// lease bound; monitors checked after every event) then a liveness phase (faults off:
    /// a leader within a bound, every committed entry applied everywhere, linearizable
    /// history). Prints each failure with its seed and the command that replays it.
    Campaign(campaign_cmd::Args),
    /// Print the page's vocabularies (message kinds, monitors, toggles, read paths, ...) as
    /// generated from their Rust declarations: the JavaScript module web/src/vocab.js, or
    /// its TypeScript declarations web/src/vocab.d.ts with --dts; --write rewrites both.
    Schema(schema_cmd::Args),
    /// Run a batch experiment (JSON spec, see docs/experiments.md; e.g.
    /// experiments/figure16.json) on every core: one measured record per trial, printed as
    /// JSON or CSV, or a summary table per range beside the paper's figures.
    Experiment(experiment_cmd::Args),
    /// Grade a learner's submission (their recorded action log) against an exercise
    /// (scenario, goal, constraints; see docs/exercises.md): pass/fail with reasons, as
    /// JSON. Exits 1 when it did not pass. The page and Node call the same grader.
    Grade(grade_cmd::Args),
    /// Run a scenario's actions on Raft and on the AP store side by side (same config,
    /// seed, workload and faults) and compare: operations answered during partitions,
    /// clients left unanswered, linearizability, the strongest consistency model, replica
    /// lag and convergence.
    Cap(cap_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check_cmd::main(args),
        Command::Run(args) => run_cmd::main(args),
        Command::Campaign(args) => campaign_cmd::main(args),
        Command::Schema(args) => schema_cmd::main(args),
        Command::Experiment(args) => experiment_cmd::main(args),
        Command::Grade(args) => grade_cmd::main(args),
        Command::Cap(args) => cap_cmd::main(args),
    }
}
