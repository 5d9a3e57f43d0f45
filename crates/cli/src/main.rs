//! `raftlab`: the simulator and the checkers, headless.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod check_cmd;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check_cmd::main(args),
    }
}
