//! `raftlab campaign`.
use std::process::ExitCode;
/// Arguments of `raftlab campaign`.
#[derive(clap::Args)]
pub struct Args {}
/// Runs the subcommand.
pub fn main(_args: Args) -> ExitCode {
    ExitCode::SUCCESS
}
