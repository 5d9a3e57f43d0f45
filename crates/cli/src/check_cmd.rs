//! `raftlab check <history.json>`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `raftlab check`.
#[derive(clap::Args)]
pub struct Args {
    /// The history file.
    pub history: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    let _ = args;
    eprintln!("raftlab check: not built yet");
    ExitCode::from(2)
}
