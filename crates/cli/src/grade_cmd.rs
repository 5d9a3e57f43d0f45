//! `raftlab grade <exercise> <submission>`: the same grader as the npm package's
//! `grade` in Node and the browser (`sim::grade`), printed as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `raftlab grade`.
#[derive(clap::Args)]
pub struct Args {
    /// The exercise (JSON: scenario, goal, constraints; see docs/exercises.md).
    pub exercise: PathBuf,
    /// The submission: the learner's action log (a share link's decoded state, an export,
    /// or `{ "actions": [...] }`).
    pub submission: PathBuf,
}

/// Runs the subcommand: prints the grade as JSON; exit 0 when it passed, 1 when it did
/// not, 2 on unreadable input.
pub fn main(args: Args) -> ExitCode {
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).map_err(|e| format!("raftlab grade: {}: {e}", p.display()))
    };
    let (exercise, submission) = match (read(&args.exercise), read(&args.submission)) {
        (Ok(e), Ok(s)) => (e, s),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match sim::grade::grade_json(&exercise, &submission) {
        Ok(grade) => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&grade).expect("grade serializes")
            );
            if grade.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("raftlab grade: {e}");
            ExitCode::from(2)
        }
    }
}
