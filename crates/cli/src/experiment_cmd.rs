//! `raftlab experiment`: every trial of a spec on every core, records out as JSON or CSV,
//! and a summary table per range (with the paper's figures beside, where the spec has them).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sim::experiment::{
    csv_header, csv_row, percentile, run_trial, summarize, trial_ids, ExperimentSpec,
    MeasurementKind, RangeSummary, TrialRecord,
};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `raftlab experiment`.
#[derive(clap::Args)]
pub struct Args {
    /// The experiment spec (JSON, see docs/experiments.md), e.g. experiments/figure16.json.
    pub spec: PathBuf,
    /// Print every trial's record as JSON (an object with the spec name, records and
    /// summaries) instead of the summary table.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print every trial's record as CSV (one header line, one row per trial).
    #[arg(long)]
    pub csv: bool,
    /// Run this many trials in every range instead of the spec's counts.
    #[arg(long)]
    pub trials: Option<u32>,
}

/// Runs the subcommand: exit 0 when every trial ran its recipe, 1 if one could not, 2 on a
/// bad spec.
pub fn main(args: Args) -> ExitCode {
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("raftlab experiment: {}: {e}", args.spec.display());
            return ExitCode::from(2);
        }
    };
    let mut spec = match ExperimentSpec::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("raftlab experiment: {}: {e}", args.spec.display());
            return ExitCode::from(2);
        }
    };
    if let Some(n) = args.trials {
        if n == 0 {
            eprintln!("raftlab experiment: --trials: must be at least 1");
            return ExitCode::from(2);
        }
        spec = spec.with_trials(n);
    }
    let ids = trial_ids(&spec);
    let bar = ProgressBar::new(ids.len() as u64);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} trials {elapsed} (eta {eta})")
                .expect("template"),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    #[allow(clippy::disallowed_methods)] // wall time is reported, never fed to a trial
    let started = Instant::now();
    // `collect` keeps the input order, so the records are in (range, trial) order whatever
    // the scheduling: the same spec prints the same bytes.
    let records: Vec<TrialRecord> = ids
        .par_iter()
        .map(|&(range, trial)| {
            let r = run_trial(&spec, range, trial);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let wall_ms = started.elapsed().as_millis();
    let summaries = summarize(&spec, &records);
    if args.json {
        let j = serde_json::json!({
            "name": spec.name,
            "measurement": spec.measurement,
            "records": records,
            "summaries": summaries,
        });
        outln!("{}", serde_json::to_string(&j).expect("json"));
    } else if args.csv {
        print_csv(&records);
    } else {
        print_table(&spec, &summaries, &records);
    }
    let errors = records.iter().filter(|r| r.error.is_some()).count();
    eprintln!(
        "{} trials, {} events, {} ms wall time on {} threads{}",
        records.len(),
        records.iter().map(|r| r.events).sum::<u64>(),
        wall_ms,
        rayon::current_num_threads(),
        if errors > 0 {
            format!(", {errors} trials could not run their recipe")
        } else {
            String::new()
        }
    );
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_csv(records: &[TrialRecord]) {
    outln!("{}", csv_header());
    for r in records {
        outln!("{}", csv_row(r));
    }
}

/// Milliseconds with one decimal from µs.
fn ms(us: Option<u64>) -> String {
    us.map_or("-".into(), |u| format!("{}.{}", u / 1000, u % 1000 / 100))
}

fn print_table(spec: &ExperimentSpec, summaries: &[RangeSummary], records: &[TrialRecord]) {
    // Columns as wide as the longest group and label (a sweep's labels are long).
    let gw = summaries
        .iter()
        .map(|s| s.group.len())
        .max()
        .unwrap_or(0)
        .max(8);
    let lw = summaries
        .iter()
        .map(|s| s.label.len())
        .max()
        .unwrap_or(0)
        .max(9);
    match spec.measurement {
        MeasurementKind::ElectionTime => {
            outln!(
                "{:<gw$} {:<lw$} {:>6} {:>8} {:>8} {:>8} {:>8}  paper (ratio of ours to it)",
                "group",
                "range ms",
                "trials",
                "median",
                "mean",
                "p99",
                "max"
            );
            for s in summaries {
                let p = spec.ranges[s.range as usize].paper;
                let mut paper = Vec::new();
                for (name, theirs, ours) in [
                    ("median", p.median_ms, s.p50),
                    ("mean", p.mean_ms, s.mean),
                    ("max", p.max_ms, s.max),
                ] {
                    if let (Some(t), Some(o)) = (theirs, ours) {
                        paper.push(format!(
                            "{name} {t} ({}.{:02}x)",
                            o / (t * 1000),
                            o * 100 / (t * 1000) % 100
                        ));
                    }
                }
                let unfinished = s.trials - s.measured;
                outln!(
                    "{:<gw$} {:<lw$} {:>6} {:>8} {:>8} {:>8} {:>8}  {}{}",
                    s.group,
                    s.label,
                    s.trials,
                    ms(s.p50),
                    ms(s.mean),
                    ms(s.p99),
                    ms(s.max),
                    paper.join(", "),
                    if unfinished > 0 {
                        format!(" [{unfinished} without a leader]")
                    } else {
                        String::new()
                    }
                );
            }
            outln!("(election time after the crash, ms; median and p99 by nearest rank)");
        }
        MeasurementKind::Availability => {
            outln!(
                "{:<gw$} {:<lw$} {:>6} {:>10} {:>10} {:>10} {:>12} {:>12}",
                "group",
                "range ms",
                "trials",
                "ok median",
                "ok min",
                "ok mean",
                "p99 lat ms",
                "max lat ms"
            );
            for s in summaries {
                let mine = records.iter().filter(|r| r.range == s.range);
                let mut p99: Vec<u64> = mine.clone().filter_map(|r| r.latency_us_p99).collect();
                p99.sort_unstable();
                let max = mine.filter_map(|r| r.latency_us_max).max();
                outln!(
                    "{:<gw$} {:<lw$} {:>6} {:>9}% {:>9}% {:>9}% {:>12} {:>12}",
                    s.group,
                    s.label,
                    s.trials,
                    pct(s.p50),
                    pct(s.min),
                    pct(s.mean),
                    ms(percentile(&p99, 50)),
                    ms(max)
                );
            }
            outln!("(operations invoked in the window that succeeded; p99 latency: the median over trials of each trial's p99)");
        }
    }
}

fn pct(ppm: Option<u64>) -> String {
    ppm.map_or("-".into(), |p| {
        format!("{}.{}", p / 10_000, p % 10_000 / 1000)
    })
}
