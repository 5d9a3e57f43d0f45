//! `raftlab campaign`: randomized fault schedules over many seeds, on every core.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sim::byzantine::ByzantineMode;
use sim::campaign::{
    campaign_scenario, replay_command, run_seed, CampaignOptions, CampaignToggle, SeedVerdict,
    CAMPAIGN_TOGGLES,
};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

fn parse_byzantine(s: &str) -> Result<ByzantineMode, String> {
    ByzantineMode::from_name(s).ok_or_else(|| {
        format!(
            "unknown mode {s:?}; one of {}",
            ByzantineMode::NAMES.join(", ")
        )
    })
}

fn parse_toggle(s: &str) -> Result<CampaignToggle, String> {
    CampaignToggle::parse(s).ok_or_else(|| {
        let names: Vec<&str> = CAMPAIGN_TOGGLES.iter().map(|t| t.name()).collect();
        format!("unknown toggle {s:?}; one of {}", names.join(", "))
    })
}

/// Arguments of `raftlab campaign`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of seeds to run.
    #[arg(long, default_value_t = 100)]
    pub seeds: u64,
    /// First seed (seeds are start-seed .. start-seed + seeds).
    #[arg(long, default_value_t = 0)]
    pub start_seed: u64,
    /// Cluster size (1-9).
    #[arg(long, default_value_t = 5)]
    pub nodes: u32,
    /// Break a rule on purpose; the campaign must then find a violation and names the
    /// monitor (or the linearizability checker) that caught it. One of:
    /// vote_without_log_check, commit_old_terms_by_counting, forget_vote_on_restart,
    /// change_membership_before_own_term_commit (4, 6 or 8 nodes), no_dedup, stale_reads,
    /// lease_drift.
    #[arg(long, value_parser = parse_toggle)]
    pub toggle: Option<CampaignToggle>,
    /// Safety phase length (faults on), virtual milliseconds.
    #[arg(long, default_value_t = 3_000)]
    pub safety_ms: u64,
    /// Liveness phase length (faults off), virtual milliseconds.
    #[arg(long, default_value_t = 3_000)]
    pub liveness_ms: u64,
    /// Skip the linearizability check of each history.
    #[arg(long)]
    pub no_history_check: bool,
    /// Mix log compaction in: each seed draws a snapshot threshold up to this many entries
    /// (0: off).
    #[arg(long, default_value_t = 0)]
    pub snapshot_threshold_max: u64,
    /// Mix membership changes in: random adds (up to two new servers), removals,
    /// promotions and joint changes during the safety phase, every server a voter again in
    /// the liveness phase. A change refused when due (no leader, one in flight) is skipped
    /// without failing the seed.
    #[arg(long)]
    pub membership: bool,
    /// Make one node (drawn from each seed) lie from the start: equivocate, double_vote or
    /// false_commit. The campaign must then find a violation.
    #[arg(long, value_parser = parse_byzantine)]
    pub byzantine: Option<ByzantineMode>,
    /// Run the AP store instead of Raft: rounds of a partition under load, each followed
    /// by a heal and a calm. Every seed must converge by the end of every calm and answer
    /// every operation on every side of every partition (`--safety-ms` is the length of
    /// the rounds).
    #[arg(long, conflicts_with_all = ["toggle", "membership", "byzantine", "snapshot_threshold_max"])]
    pub ap: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write the scenario of the first seed to this file (replay it with `raftlab run`).
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
}

/// Runs the subcommand. Without `--toggle` or `--byzantine`: exit 0 when every seed passes,
/// 1 otherwise. With either: exit 0 when at least one seed caught the broken rule (or the
/// lie), 1 otherwise.
pub fn main(args: Args) -> ExitCode {
    if args.nodes == 0 || args.nodes > 9 {
        eprintln!(
            "raftlab campaign: --nodes: must be 1..=9, got {}",
            args.nodes
        );
        return ExitCode::from(2);
    }
    let opts = CampaignOptions {
        nodes: args.nodes,
        toggle: args.toggle,
        safety_us: args.safety_ms * 1000,
        liveness_us: args.liveness_ms * 1000,
        leader_bound_us: (args.liveness_ms * 1000 / 2).max(1),
        check_history: !args.no_history_check,
        snapshot_threshold_entries_max: args
            .snapshot_threshold_max
            .min(sim::limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX),
        membership: args.membership,
        byzantine: args.byzantine,
        ap: args.ap,
    };
    if let Some(path) = &args.export {
        let s = campaign_scenario(args.start_seed, &opts);
        if let Err(e) = std::fs::write(path, s.to_json()) {
            eprintln!("raftlab campaign: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    let bar = ProgressBar::new(args.seeds);
    if std::io::stderr().is_terminal() && !args.json {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} seeds {elapsed} (eta {eta}) {msg}")
                .expect("template"),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let end = args.start_seed.saturating_add(args.seeds);
    // What this campaign breaks on purpose, if anything: it must then be caught.
    let broken: Option<String> = (args.toggle.map(|t| format!("toggle {t}")))
        .or(args.byzantine.map(|m| format!("lying node {m}")));
    let verdicts: Vec<SeedVerdict> = (args.start_seed..end)
        .into_par_iter()
        .map(|seed| {
            let v = run_seed(seed, &opts);
            if broken.is_none() && !v.failures.is_empty() {
                bar.println(format!("seed {seed} FAILED: {}", v.failures.join("; ")));
            }
            bar.inc(1);
            v
        })
        .collect();
    bar.finish_and_clear();
    let failed: Vec<&SeedVerdict> = verdicts.iter().filter(|v| !v.failures.is_empty()).collect();
    let events: u64 = verdicts.iter().map(|v| v.events).sum();
    let ops: u64 = verdicts.iter().map(|v| v.ops).sum();
    let caught: Vec<&SeedVerdict> = verdicts
        .iter()
        .filter(|v| !v.caught_by.is_empty())
        .collect();
    let ok = match broken {
        None => failed.is_empty(),
        Some(_) => !caught.is_empty(),
    };
    if args.json {
        let j = serde_json::json!({
            "seeds": args.seeds,
            "start_seed": args.start_seed,
            "nodes": args.nodes,
            "toggle": args.toggle,
            "byzantine": args.byzantine,
            "ap": args.ap,
            "events": events,
            "operations": ops,
            "failed": failed.iter().map(|v| serde_json::json!({
                "seed": v.seed,
                "failures": v.failures,
                "caught_by": v.caught_by,
                "trace_hash": v.trace_hash,
                "replay": replay_command(v.seed, &opts),
            })).collect::<Vec<_>>(),
            "caught": caught.iter().map(|v| serde_json::json!({
                "seed": v.seed, "caught_by": v.caught_by,
                "replay": replay_command(v.seed, &opts),
            })).collect::<Vec<_>>(),
            "passed": ok,
        });
        outln!("{}", serde_json::to_string_pretty(&j).expect("json"));
    } else {
        outln!(
            "{} seeds ({}..{}), {} {}{}: {} events, {} client operations",
            args.seeds,
            args.start_seed,
            end,
            args.nodes,
            if args.ap { "AP replicas" } else { "nodes" },
            broken.as_ref().map_or(String::new(), |t| format!(", {t}")),
            events,
            ops
        );
        match &broken {
            None => {
                for v in &failed {
                    outln!("seed {} FAILED:", v.seed);
                    for f in &v.failures {
                        outln!("  {f}");
                    }
                    outln!("  replay: {}", replay_command(v.seed, &opts));
                }
                if failed.is_empty() && args.ap {
                    outln!("all seeds passed: converged after every heal, every operation answered during every partition");
                } else if failed.is_empty() {
                    outln!("all seeds passed: no safety violation, every liveness check met");
                } else {
                    outln!("{} of {} seeds failed", failed.len(), args.seeds);
                }
            }
            Some(t) => {
                for v in caught.iter().take(10) {
                    outln!("seed {}: {t} caught by {}", v.seed, v.caught_by.join(", "));
                    outln!("  replay: {}", replay_command(v.seed, &opts));
                }
                if caught.is_empty() {
                    outln!("{t}: NOT caught in {} seeds", args.seeds);
                } else {
                    outln!(
                        "{t}: caught in {} of {} seeds (first: seed {})",
                        caught.len(),
                        args.seeds,
                        caught[0].seed
                    );
                }
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
