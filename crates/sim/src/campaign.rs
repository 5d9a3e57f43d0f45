//! Randomized fault campaigns: one seed in, one verdict out.
//!
//! A campaign seed becomes an ordinary [`Scenario`]: a configuration and a fault schedule
//! drawn from a ChaCha8 RNG seeded with the seed, then expectations:
//!
//! 1. **Safety phase** (`safety_us`): an automatic client workload while faults fire every
//!    20–250 ms — crashes, restarts, partitions into groups, isolation, one-way cuts, heals,
//!    loss, duplication and latency jitter (reordering), pauses and resumes, clock drift
//!    within the lease bound, dropped messages, forced elections. Every monitor is checked
//!    after every event.
//! 2. **Liveness phase** (`liveness_us`): every fault is lifted (heal, restart, resume,
//!    clean links, no rules) and the workload stops. A leader must exist within
//!    `leader_bound_us`, and by the end every live node must have applied every committed
//!    entry with identical state machines; the client history must be linearizable.
//!
//! With a teaching toggle the configuration breaks one rule and the verdict reports which
//! monitor (or the linearizability checker) caught it. Three bugs need a few events in a
//! particular order, which the generic schedule rarely lines up, so for them the safety
//! phase repeats the fault pattern that exposes the bug, with roles, timings and network
//! drawn from the seed (the monitors and the checker still do the catching, and the same
//! patterns with the rule kept break nothing — a test checks it):
//! `commit_old_terms_by_counting` (5+ nodes) replays Figure 8 of the Raft paper;
//! `forget_vote_on_restart` forces two candidates in one term over slow, jittery links and
//! crashes and restarts a voter between their requests; `lease_drift` makes a node whose
//! clock runs 45% slow the leader, cuts it off among fast-clocked followers, and sends
//! writes through a follower and reads to the old leader;
//! `change_membership_before_own_term_commit` (an even number of nodes, 4 or more) plays
//! the 2015 single-server change bug once: a leader adds a server that alone stores the
//! entry, a new leader removes another before committing an entry of its own term, and
//! each side elects a leader of one term.
//!
//! With [`CampaignOptions::byzantine`] one node, drawn from the seed on a stream of its own,
//! lies from the start ([`crate::byzantine`]); the monitors must catch it.
//!
//! With [`CampaignOptions::ap`] the nodes run the AP store instead, under a schedule of
//! its own (`campaign/ap.rs`): it must converge after every heal and answer every
//! operation on every side of every partition.

mod ap;
mod draw;
mod episode;
mod membership;
mod schedule;
mod verdict;

pub use ap::unavailable_ops;
pub use membership::is_membership;
pub use verdict::{replay_command, run_seed, SeedVerdict};

use crate::action::Action;
use crate::byzantine::ByzantineMode;
use crate::config::{LinkConfig, RaftToggle, ReadPath, SimConfig, WorkloadConfig};
use crate::scenario::{Expectation, Scenario, TimedAction};
use draw::Draw;
use episode::Episode;
use raft::NodeId;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use schedule::{lift_faults, random_faults, Standing};
use serde::Serialize;
use std::fmt;

/// A rule broken on purpose in a campaign: one of Raft's teaching toggles (named as
/// [`RaftToggle`] names it) or a rule of the simulator around Raft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CampaignToggle {
    /// A Raft rule; [`CAMPAIGN_TOGGLES`] lists those a campaign catches (not
    /// `skip_noop_on_election`, which breaks no safety property).
    Rule(RaftToggle),
    /// The KV store does not de-duplicate retries.
    NoDedup,
    /// Reads served by any replica from local state.
    StaleReads,
    /// Lease reads with clock drift far beyond the bound.
    LeaseDrift,
}

/// Every toggle a campaign takes, in help order.
pub const CAMPAIGN_TOGGLES: [CampaignToggle; 7] = [
    CampaignToggle::Rule(RaftToggle::VoteWithoutLogCheck),
    CampaignToggle::Rule(RaftToggle::CommitOldTermsByCounting),
    CampaignToggle::Rule(RaftToggle::ForgetVoteOnRestart),
    CampaignToggle::Rule(RaftToggle::ChangeMembershipBeforeOwnTermCommit),
    CampaignToggle::NoDedup,
    CampaignToggle::StaleReads,
    CampaignToggle::LeaseDrift,
];

impl CampaignToggle {
    /// Parses a command-line name.
    pub fn parse(s: &str) -> Option<CampaignToggle> {
        CAMPAIGN_TOGGLES.iter().copied().find(|t| t.name() == s)
    }
    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            CampaignToggle::Rule(t) => t.name(),
            CampaignToggle::NoDedup => "no_dedup",
            CampaignToggle::StaleReads => "stale_reads",
            CampaignToggle::LeaseDrift => "lease_drift",
        }
    }
}

impl fmt::Display for CampaignToggle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for CampaignToggle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Campaign parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignOptions {
    /// Cluster size.
    pub nodes: u32,
    /// A rule to break, if any.
    pub toggle: Option<CampaignToggle>,
    /// Safety phase length, virtual µs.
    pub safety_us: u64,
    /// Liveness phase length, virtual µs.
    pub liveness_us: u64,
    /// A leader must exist this long after the liveness phase starts.
    pub leader_bound_us: u64,
    /// Check the client history for linearizability.
    pub check_history: bool,
    /// Mix log compaction in: each seed draws its snapshot threshold from
    /// `1..=snapshot_threshold_entries_max` (a quarter of the seeds leave it off). 0 (the
    /// default) never compacts, so every seed's scenario stays what it was.
    pub snapshot_threshold_entries_max: u64,
    /// Mix membership changes in (`campaign/membership.rs`): adds (learners and voters, up
    /// to two new servers), removals, promotions and joint changes through the safety
    /// phase, from a random stream of their own (so each seed's other faults stay the
    /// same), and every server a voter again in the liveness phase.
    pub membership: bool,
    /// Make one node, drawn from the seed, lie this way from the start
    /// ([`crate::byzantine`]). `None` (the default) leaves every seed's scenario as it was.
    pub byzantine: Option<ByzantineMode>,
    /// Run the AP store instead of Raft (`campaign/ap.rs`; the toggle, membership,
    /// snapshot and lying-node options do not apply).
    pub ap: bool,
}

impl Default for CampaignOptions {
    fn default() -> Self {
        CampaignOptions {
            nodes: 5,
            toggle: None,
            safety_us: 3_000_000,
            liveness_us: 3_000_000,
            leader_bound_us: 1_500_000,
            check_history: true,
            snapshot_threshold_entries_max: 0,
            membership: false,
            byzantine: None,
            ap: false,
        }
    }
}

/// The workload (on), the links' latency and the clients, drawn in this order (every seed's
/// scenario depends on it).
fn draw_load(r: &mut Draw, config: &mut SimConfig) {
    config.workload = WorkloadConfig {
        enabled: true,
        rate_ops_per_s: r.range(10, 40) as u32,
        key_count: r.range(1, 4) as u32,
        ..WorkloadConfig::default()
    };
    config.network = LinkConfig {
        latency_us_min: 500,
        latency_us_max: r.range(2_000, 12_000),
        ..LinkConfig::default()
    };
    config.clients.count = r.range(2, 4) as u32;
    config.clients.timeout_us = r.range(150_000, 600_000);
}

/// The scenario a campaign seed stands for.
pub fn campaign_scenario(seed: u64, o: &CampaignOptions) -> Scenario {
    if o.ap {
        return ap::scenario(seed, o);
    }
    let mut r = Draw(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_ca3a_a16e_0001));
    let n = o.nodes;
    let mut config = SimConfig {
        node_count: n,
        pre_vote: r.ppm(700_000),
        check_quorum: r.ppm(700_000),
        read_path: [ReadPath::Log, ReadPath::ReadIndex, ReadPath::Lease][r.below(3) as usize],
        ..SimConfig::default()
    };
    draw_load(&mut r, &mut config);
    let mut drift_max = i64::from(config.lease_safe_drift_ppm());
    match o.toggle {
        Some(CampaignToggle::Rule(t)) => {
            *t.switch(&mut config.toggles) = true;
            if t == RaftToggle::CommitOldTermsByCounting {
                // Figure 8 as in the paper: no no-op on election, so an old-term entry can be
                // counted committed while the new leader has nothing of its own term.
                config.toggles.skip_noop_on_election = true;
            }
            config.pre_vote = false;
            config.check_quorum = false;
        }
        Some(CampaignToggle::NoDedup) => {
            config.kv_dedup = false;
            config.clients.timeout_us = r.range(10_000, 40_000);
        }
        Some(CampaignToggle::StaleReads) => {
            config.read_path = ReadPath::Stale;
            config.workload.mix.get = 60;
        }
        Some(CampaignToggle::LeaseDrift) => {
            config.read_path = ReadPath::Lease;
            config.workload.mix.get = 60;
            drift_max = 450_000;
        }
        None => {}
    }
    if o.snapshot_threshold_entries_max > 0 {
        // A stream of its own: the other draws, and so every seed's faults, stay the same.
        let mut s = Draw(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5a9a_5407_0002));
        if s.below(4) > 0 {
            config.snapshot_threshold_entries = s.range(1, o.snapshot_threshold_entries_max);
        }
    }
    config.drift_ppm = (0..n)
        .map(|_| (r.range(0, 2 * drift_max as u64) as i64 - drift_max) as i32)
        .collect();

    let mut actions = Vec::new();
    if let Some(mode) = o.byzantine {
        // A stream of its own, like the snapshot threshold's: the faults stay the same.
        let mut b = Draw(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_b12a_9713_0003));
        let node = NodeId(b.range(1, u64::from(n)) as u32);
        let mode = Some(mode);
        actions.push(TimedAction {
            at_us: 0,
            action: Action::SetByzantine { node, mode },
        });
    }
    let mut standing = Standing::default();
    let all: Vec<NodeId> = (1..=n).map(NodeId).collect();
    let mut t = r.range(100_000, 400_000);
    let t_start = t;
    let episodes = o.toggle.and_then(|tg| Episode::for_toggle(tg, n));
    if let Some(e) = episodes {
        e.tune(&mut config, &mut r);
    }
    let mut push = |t: u64, a: Action| {
        actions.push(TimedAction {
            at_us: t,
            action: a,
        })
    };
    if let Some(e) = episodes.filter(|e| e.changes_membership()) {
        // Once: the pattern changes the configuration for good.
        t = e.schedule(t, &all, &mut r, &mut push);
    } else if let Some(e) = episodes {
        // The fault pattern that exposes this toggle, repeated with seeded roles and
        // timings; the monitors and the checker still do the catching.
        while t + e.length_us() < o.safety_us {
            t = e.schedule(t, &all, &mut r, &mut push);
            t += r.range(20_000, 150_000);
        }
        t = o.safety_us;
    }
    if o.membership {
        membership::random_changes(seed, n, t_start, o.safety_us, &mut push);
    }
    random_faults(
        &mut r,
        &all,
        t,
        o.safety_us,
        drift_max,
        &mut standing,
        &mut push,
    );
    let t0 = o.safety_us;
    lift_faults(t0, standing, &mut push);
    let end = o.safety_us + o.liveness_us;
    if o.membership || episodes.is_some_and(|e| e.changes_membership()) {
        membership::restore(t0, end, membership::id_max(n), &mut push);
    }
    let mut expect = vec![
        Expectation::NoViolation,
        Expectation::LeaderExists {
            at_us: t0 + o.leader_bound_us,
            node: None,
        },
        Expectation::Converged { at_us: None },
    ];
    if o.check_history {
        expect.push(Expectation::Linearizable);
    }
    Scenario {
        description: format!(
            "campaign seed {seed}: {n} nodes, random faults for {} ms then {} ms of calm{}{}",
            o.safety_us / 1000,
            o.liveness_us / 1000,
            o.toggle.map_or(String::new(), |t| format!(", toggle {t}"))
                + &o.byzantine
                    .map_or(String::new(), |m| format!(", lying node {m}")),
            if o.membership {
                ", membership changes"
            } else {
                ""
            }
        ),
        seed,
        config,
        duration_us: end,
        actions,
        expect,
    }
}
