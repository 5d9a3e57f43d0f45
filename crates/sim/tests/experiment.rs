//! The experiment runner: its records agree with a replay of the same trial in a plain
//! World, a spec gives the same records every time and in any trial order, and spec
//! errors name the field.

use sim::experiment::{run_batch, run_trial, summarize, trial_ids, trial_scenario, ExperimentSpec};
use sim::trace::TraceKind;
use sim::{Action, NodeId, World};

fn figure16() -> ExperimentSpec {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../experiments/figure16.json"
    ))
    .expect("experiments/figure16.json");
    ExperimentSpec::from_json(&text).expect("figure16 spec")
}

/// Figure 16 with `trials` per range and only the ranges whose label is listed.
fn small(labels: &[&str], trials: u32) -> ExperimentSpec {
    let mut s = figure16().with_trials(trials);
    s.ranges.retain(|r| labels.contains(&r.label().as_str()));
    s
}

#[test]
fn election_time_records_match_a_replay_of_the_trial() {
    let spec = small(&["150-155", "150-300", "12-24"], 6);
    for (range, trial) in trial_ids(&spec) {
        let rec = run_trial(&spec, range, trial);
        assert_eq!(rec.error, None, "{}/{trial}", rec.label);
        let crash_us = rec.crash_us.expect("crashed");
        let elected_us = rec.elected_us.expect("a new leader");
        assert_eq!(rec.election_us, Some(elected_us - crash_us));
        assert_eq!(rec.moment_us, elected_us);

        // A fresh world from the exported scenario (config, seed, logged actions only).
        let s = trial_scenario(&spec, range, trial);
        assert_eq!(s.seed, rec.seed);
        assert_eq!(s.config, spec.config_for(range));
        let mut w = World::from_scenario(&s).expect("scenario");
        w.run_until(elected_us - 1);
        let old = NodeId(rec.old_leader.expect("old leader"));
        assert!(
            w.leaders().iter().all(|l| l.node == old),
            "{}/{trial}: no other leader before the recorded moment: {:?}",
            rec.label,
            w.leaders()
        );
        w.run_until(elected_us);
        assert!(
            w.leaders()
                .iter()
                .any(|l| (l.node.0, l.term.0) == (rec.new_leader.unwrap(), rec.new_term.unwrap())),
            "{}/{trial}: the view shows the new leader at the recorded moment",
            rec.label
        );
        // The trace: the crash at crash_us, then the first election at elected_us.
        let crash = w.trace().find(
            |r| matches!(&r.kind, TraceKind::Action(a) if **a == Action::Crash { node: old }),
        );
        assert_eq!(crash.map(|r| r.time_us), Some(crash_us));
        let first = w
            .trace()
            .filter(|r| r.time_us >= crash_us)
            .find(|r| r.kind.marker() == Some(sim::trace::Marker::Election))
            .expect("an election after the crash");
        assert_eq!(first.time_us, elected_us);
        assert_eq!(first.kind.node().map(NodeId::get), rec.new_leader);
    }
}

#[test]
fn the_same_spec_gives_the_same_records_in_any_order() {
    let spec = small(&["150-200", "25-50"], 8);
    let a = run_batch(&spec);
    let b = run_batch(&spec);
    assert_eq!(a, b);
    let mut reversed: Vec<_> = trial_ids(&spec)
        .into_iter()
        .rev()
        .map(|(r, t)| run_trial(&spec, r, t))
        .collect();
    reversed.sort_by_key(|r| (r.range, r.trial));
    assert_eq!(a, reversed);
    // Distinct seeds, and the summary counts every trial.
    let mut seeds: Vec<u64> = a.iter().map(|r| r.seed).collect();
    seeds.dedup();
    assert_eq!(seeds.len(), a.len());
    let sums = summarize(&spec, &a);
    assert_eq!(sums.iter().map(|s| s.trials).sum::<u64>(), 16);
}

#[test]
fn shorter_log_followers_never_win() {
    let spec = small(&["150-175", "12-24"], 20);
    for rec in run_batch(&spec) {
        let old = rec.old_leader.unwrap();
        // The two highest ids besides the first leader missed the write; with node 1
        // campaigning first they are 4 and 5 unless 4 or 5 led.
        let new = rec.new_leader.unwrap();
        assert_ne!(new, old);
        assert!(
            new <= 3,
            "{}/{}: node {new} had a shorter log",
            rec.label,
            rec.trial
        );
    }
}

#[test]
fn availability_counts_client_operations_in_the_window() {
    let quiet = r#"{"measurement": "availability", "trials": 3, "network": "figure16",
        "config": {"workload": {"rate_ops_per_s": 20}},
        "availability": {"window_us": 2000000, "drain_us": 3000000},
        "ranges": [{"timeout_ms_min": 150, "timeout_ms_max": 300}]}"#;
    let spec = ExperimentSpec::from_json(quiet).unwrap();
    for rec in run_batch(&spec) {
        assert_eq!(rec.error, None);
        let ops = rec.ops.unwrap();
        assert!(ops > 20, "two clients at 20/s for 2 s: {ops}");
        assert_eq!(rec.ops_ok, Some(ops), "no fault, every operation succeeds");
        assert_eq!(rec.ok_ppm, Some(1_000_000));
        assert!(rec.latency_us_p50 <= rec.latency_us_p99);
        assert!(rec.latency_us_p99 <= rec.latency_us_max);
    }
    let faulty = quiet.replace(
        r#""window_us": 2000000,"#,
        r#""window_us": 2000000, "faults": [{"at_us": 500000, "action": {"type": "isolate", "node": 1}}],"#,
    );
    let spec = ExperimentSpec::from_json(&faulty).unwrap();
    let recs = run_batch(&spec);
    for r in &recs {
        // Clients retry elsewhere after their 500 ms timeout: the operations still succeed,
        // and the retry shows in the tail latency.
        assert_eq!(r.ok_ppm, Some(1_000_000));
        assert!(r.latency_us_max > Some(500_000), "{r:?}");
    }
}

#[test]
fn spec_errors_name_the_field() {
    let err = |text: &str| ExperimentSpec::from_json(text).unwrap_err().to_string();
    let ranges = r#""ranges": [{"timeout_ms_min": 150, "timeout_ms_max": 300}]"#;
    assert_eq!(
        err(&format!(r#"{{"measurement": "election", {ranges}}}"#)),
        "spec.measurement: unknown variant `election`, expected `election_time` or `availability`"
    );
    assert_eq!(
        err(r#"{"measurement": "election_time", "ranges": [{"timeout_ms_min": 150}]}"#),
        "spec.ranges[0]: missing field `timeout_ms_max`"
    );
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "election_time", "trails": 5, {ranges}}}"#
        ))
        .split(',')
        .next()
        .unwrap(),
        "spec.trails: unknown field `trails`"
    );
    assert_eq!(
        err(
            r#"{"measurement": "election_time", "ranges": [{"timeout_ms_min": 150, "timeout_ms_max": 300}, {"timeout_ms_min": 50, "timeout_ms_max": 20}]}"#
        ),
        "spec.ranges[1].timeout_ms_max: must be at least timeout_ms_min, which must be positive (50..20)"
    );
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "election_time", "config": {{"node_count": 12}}, {ranges}}}"#
        )),
        "spec.config.node_count: must be 1..=9, got 12"
    );
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "election_time", "shorter_logs": 3, {ranges}}}"#
        )),
        "spec.shorter_logs: 3 of 5 nodes leave no majority with the write"
    );
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "election_time", "network": "lan", {ranges}}}"#
        )),
        "spec.network: unknown variant `lan`, expected `config` or `figure16`"
    );
}

const SWEPT: &str = r#"{"measurement": "availability", "trials": 2, "network": "figure16",
    "config": {"workload": {"rate_ops_per_s": 20}},
    "availability": {"window_us": 2000000, "drain_us": 2000000,
        "faults": [{"at_us": 500000, "action": {"type": "partition", "groups": [[1, 2], [3, 4, 5]]}}]},
    "ranges": [{"timeout_ms_min": 150, "timeout_ms_max": 300}, {"timeout_ms_min": 50, "timeout_ms_max": 100}],
    "sweep": SWEEP}"#;

#[test]
fn a_sweep_runs_every_range_once_per_value() {
    let text = SWEPT.replace(
        "SWEEP",
        r#"{"parameter": "loss_ppm", "values": [0, 50000, 200000]}"#,
    );
    let spec = ExperimentSpec::from_json(&text).unwrap();
    let labels: Vec<String> = spec.ranges.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        [
            "150-300 loss_ppm=0",
            "150-300 loss_ppm=50000",
            "150-300 loss_ppm=200000",
            "50-100 loss_ppm=0",
            "50-100 loss_ppm=50000",
            "50-100 loss_ppm=200000"
        ]
    );
    let recs = run_batch(&spec);
    assert_eq!(recs.len(), 12);
    for r in &recs {
        assert_eq!(r.error, None);
        let want = [0, 50_000, 200_000][r.range as usize % 3];
        assert_eq!(r.loss_ppm, want, "{}", r.label);
        assert_eq!(spec.config_for(r.range as usize).network.loss_ppm, want);
    }
}

#[test]
fn a_fault_duration_sweep_heals_that_long_after_the_first_fault() {
    let text = SWEPT.replace(
        "SWEEP",
        r#"{"parameter": "fault_duration_us", "values": [250000, 1000000]}"#,
    );
    let spec = ExperimentSpec::from_json(&text).unwrap();
    for (range, trial) in trial_ids(&spec) {
        let rec = run_trial(&spec, range, trial);
        assert_eq!(rec.error, None);
        let d = rec.fault_duration_us.expect("swept");
        assert_eq!(d, [250_000, 1_000_000][range % 2]);
        // The replay holds the partition, then a heal exactly `d` later.
        let s = trial_scenario(&spec, range, trial);
        let at = |want: fn(&Action) -> bool| {
            s.actions
                .iter()
                .find(|a| want(&a.action))
                .map(|a| a.at_us)
                .expect("logged")
        };
        let cut = at(|a| matches!(a, Action::Partition { .. }));
        let heal = at(|a| matches!(a, Action::Heal));
        assert_eq!(
            cut,
            rec.crash_us.unwrap() + 500_000,
            "the window starts at crash_us"
        );
        assert_eq!(heal - cut, d);
    }
}

#[test]
fn sweep_errors_name_the_field() {
    let err = |sweep: &str| {
        ExperimentSpec::from_json(&SWEPT.replace("SWEEP", sweep))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(r#"{"parameter": "loss", "values": [1]}"#),
        "spec.sweep.parameter: unknown variant `loss`, expected `loss_ppm` or `fault_duration_us`"
    );
    assert_eq!(
        err(r#"{"parameter": "loss_ppm", "values": []}"#),
        "spec.sweep.values: 1 to 100 values (SWEEP_VALUES_MAX)"
    );
    assert_eq!(
        err(r#"{"parameter": "loss_ppm", "values": [2000000]}"#),
        "spec.sweep.values: loss_ppm is at most 1000000, got 2000000"
    );
    let no_faults = SWEPT
        .replace("SWEEP", r#"{"parameter": "fault_duration_us", "values": [1]}"#)
        .replace(
            r#""faults": [{"at_us": 500000, "action": {"type": "partition", "groups": [[1, 2], [3, 4, 5]]}}]"#,
            r#""faults": []"#,
        );
    assert_eq!(
        ExperimentSpec::from_json(&no_faults)
            .unwrap_err()
            .to_string(),
        "spec.ranges[0].fault_duration_us: availability.faults is empty: no fault to end"
    );
}

#[test]
fn unbounded_work_is_refused_naming_the_field() {
    let err = |text: &str| ExperimentSpec::from_json(text).unwrap_err().to_string();
    let ranges = r#""ranges": [{"timeout_ms_min": 150, "timeout_ms_max": 300}]"#;
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "availability", "availability": {{"window_us": 600000001}}, {ranges}}}"#
        )),
        "spec.availability.window_us: 600000001 µs, at most 600000000 (AVAILABILITY_US_MAX)"
    );
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "availability", "availability": {{"faults": [{{"at_us": 18446744073709551615, "action": {{"type": "heal"}}}}]}}, {ranges}}}"#
        )),
        "spec.availability.faults[0].at_us: 18446744073709551615 µs, at most 600000000 (AVAILABILITY_US_MAX)"
    );
    let swept = SWEPT.replace(
        "SWEEP",
        r#"{"parameter": "fault_duration_us", "values": [1, 18446744073709551615]}"#,
    );
    assert_eq!(
        err(&swept),
        "spec.ranges[1].fault_duration_us: 18446744073709551615 µs, at most 600000000 (AVAILABILITY_US_MAX)"
    );
    let many = (0..11)
        .map(|_| r#"{"timeout_ms_min": 150, "timeout_ms_max": 300, "trials": 1000000}"#)
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        err(&format!(
            r#"{{"measurement": "election_time", "ranges": [{many}]}}"#
        )),
        "spec.ranges: 11000000 trials in all, at most 10000000 (TRIALS_TOTAL_MAX)"
    );
}
