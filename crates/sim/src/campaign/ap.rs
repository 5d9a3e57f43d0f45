//! The AP store's campaign ([`CampaignOptions::ap`]): rounds of a partition under a
//! client workload, then a heal and a calm with the workload off. Each round's calm
//! ends with every replica holding the same versions (`converged` at that instant), and
//! every operation invoked while the round's partition stood must have succeeded
//! ([`unavailable_ops`]): the store is available on every side of every partition.
//!
//! Faults besides the partition, drawn per round: one-way cuts, loss, duplication and
//! latency on the links, dropped messages of the store's own kinds, clock drift (which
//! last-writer-wins turns into lost writes, not into divergence), and between rounds a
//! crash and restart of one replica (its versions survive on its disk).

use super::draw::Draw;
use super::schedule::{clean_links, workload};
use super::CampaignOptions;
use crate::action::Action;
use crate::ap::{ApConfig, ApKind};
use crate::config::SimConfig;
use crate::history::Op;
use crate::scenario::{Expectation, Scenario, TimedAction};
use crate::wire::MsgKind;
use raft::NodeId;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// How long the replicas get to converge after a heal: anti-entropy reaches every pair
/// within `(N - 1)` intervals, plus a few link latencies.
const CALM_US: u64 = 1_500_000;

/// The scenario an AP campaign seed stands for.
pub(super) fn scenario(seed: u64, o: &CampaignOptions) -> Scenario {
    let mut r = Draw(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_a9a9_0c0d_0004));
    let n = o.nodes;
    let all: Vec<NodeId> = (1..=n).map(NodeId).collect();
    let mut config = SimConfig {
        node_count: n,
        ap: Some(ApConfig {
            anti_entropy_interval_us: r.range(50_000, 200_000),
            ..ApConfig::default()
        }),
        ..SimConfig::default()
    };
    super::draw_load(&mut r, &mut config);
    // The rounds switch it on with each partition.
    config.workload.enabled = false;
    config.drift_ppm = (0..n)
        .map(|_| r.range(0, 200_000) as i32 - 100_000)
        .collect();
    let mut actions = Vec::new();
    let mut expect = vec![Expectation::NoViolation];
    let mut push = |t: u64, action: Action| actions.push(TimedAction { at_us: t, action });
    let mut t = r.range(50_000, 200_000);
    while t < o.safety_us {
        // The partition, with the workload on.
        push(
            t,
            Action::Partition {
                groups: groups(&mut r, &all),
            },
        );
        push(t, workload(true));
        let heal = t + r.range(300_000, 900_000);
        let mut f = t + r.range(20_000, 150_000);
        while f < heal {
            push(f, fault(&mut r, &all));
            f += r.range(20_000, 150_000);
        }
        // The heal: links clean, rules gone, the workload off; converged by the calm's end.
        push(heal, workload(false));
        push(heal, Action::Heal);
        push(heal, clean_links());
        push(heal, Action::ClearRules);
        push(heal, Action::ReleaseAll);
        if r.ppm(300_000) {
            let v = r.pick(&all);
            push(heal + 10_000, Action::Crash { node: v });
            push(heal + r.range(50_000, 300_000), Action::Restart { node: v });
        }
        let calm_end = heal + CALM_US;
        expect.push(Expectation::Converged {
            at_us: Some(calm_end),
        });
        t = calm_end + r.range(10_000, 100_000);
    }
    Scenario {
        description: format!(
            "AP campaign seed {seed}: {n} replicas, rounds of a partition under load, then \
             a heal and {} ms of calm",
            CALM_US / 1000
        ),
        seed,
        config,
        duration_us: t,
        actions,
        expect,
    }
}

/// Two or three non-empty groups.
fn groups(r: &mut Draw, all: &[NodeId]) -> Vec<Vec<NodeId>> {
    let groups_n = r.range(2, 3) as usize;
    let mut groups = vec![Vec::new(); groups_n];
    for (i, &v) in all.iter().enumerate() {
        // The first nodes seed each group, so none is empty.
        let g = if i < groups_n {
            i
        } else {
            r.below(groups_n as u64) as usize
        };
        groups[g].push(v);
    }
    groups
}

/// A network fault that leaves every replica up.
fn fault(r: &mut Draw, all: &[NodeId]) -> Action {
    let n = all.len() as u32;
    match r.below(4) {
        0 if n > 1 => {
            let a = r.pick(all);
            let b = NodeId(a.0 % n + 1);
            Action::Cut { from: a, to: b }
        }
        1 => Action::SetLink {
            from: None,
            to: None,
            latency_us_min: Some(r.range(100, 2_000)),
            latency_us_max: Some(r.range(2_000, 40_000)),
            loss_ppm: Some(r.range(0, 200_000) as u32),
            duplicate_ppm: Some(r.range(0, 100_000) as u32),
        },
        2 => Action::DropNext {
            from: None,
            to: None,
            kind: Some(MsgKind::Ap(r.pick(ApKind::ALL))),
            count: r.range(1, 5) as u32,
        },
        _ => Action::SetDrift {
            node: r.pick(all),
            drift_ppm: r.range(0, 200_000) as i32 - 100_000,
        },
    }
}

/// The operations invoked while a partition stood (from a `partition` action to the next
/// `heal`) that were not answered with success before the heal
/// ([`crate::side_by_side::judged_in_partitions`]): in an available store there are none.
pub fn unavailable_ops<'a>(s: &Scenario, ops: &'a [Op]) -> Vec<&'a Op> {
    let actions = s.actions.iter().map(|a| (a.at_us, &a.action));
    let windows = crate::side_by_side::partition_windows(actions, s.duration_us);
    crate::side_by_side::judged_in_partitions(ops, &windows, &s.config)
        .into_iter()
        .filter(|(_, answered)| !answered)
        .map(|(o, _)| o)
        .collect()
}
