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
//! writes through a follower and reads to the old leader.

use crate::action::Action;
use crate::config::{LinkConfig, RaftToggle, ReadPath, SimConfig, WorkloadConfig};
use crate::monitor::MONITORS;
use crate::runner::run_scenario_with;
use crate::scenario::{Expectation, Scenario, TimedAction};
use crate::wire::{Endpoint, MsgKind};
use raft::{MessageKind, NodeId};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
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
pub const CAMPAIGN_TOGGLES: [CampaignToggle; 6] = [
    CampaignToggle::Rule(RaftToggle::VoteWithoutLogCheck),
    CampaignToggle::Rule(RaftToggle::CommitOldTermsByCounting),
    CampaignToggle::Rule(RaftToggle::ForgetVoteOnRestart),
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
        }
    }
}

struct Draw(ChaCha8Rng);

impl Draw {
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        ((u128::from(self.0.next_u64()) * u128::from(n)) >> 64) as u64
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn ppm(&mut self, p: u64) -> bool {
        self.below(1_000_000) < p
    }
    fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len() as u64) as usize]
    }
}

/// The scenario a campaign seed stands for.
pub fn campaign_scenario(seed: u64, o: &CampaignOptions) -> Scenario {
    let mut r = Draw(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_ca3a_a16e_0001));
    let n = o.nodes;
    let mut config = SimConfig {
        node_count: n,
        pre_vote: r.ppm(700_000),
        check_quorum: r.ppm(700_000),
        read_path: [ReadPath::Log, ReadPath::ReadIndex, ReadPath::Lease][r.below(3) as usize],
        workload: WorkloadConfig {
            enabled: true,
            rate_ops_per_s: r.range(10, 40) as u32,
            key_count: r.range(1, 4) as u32,
            ..WorkloadConfig::default()
        },
        network: LinkConfig {
            latency_us_min: 500,
            latency_us_max: r.range(2_000, 12_000),
            ..LinkConfig::default()
        },
        ..SimConfig::default()
    };
    config.clients.count = r.range(2, 4) as u32;
    config.clients.timeout_us = r.range(150_000, 600_000);
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
    config.drift_ppm = (0..n)
        .map(|_| (r.range(0, 2 * drift_max as u64) as i64 - drift_max) as i32)
        .collect();

    let mut actions = Vec::new();
    let mut crashed: Vec<NodeId> = Vec::new();
    let mut paused: Vec<NodeId> = Vec::new();
    let all: Vec<NodeId> = (1..=n).map(NodeId).collect();
    let mut t = r.range(100_000, 400_000);
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
    if let Some(e) = episodes {
        // The fault pattern that exposes this toggle, repeated with seeded roles and
        // timings; the monitors and the checker still do the catching.
        while t + e.length_us() < o.safety_us {
            t = e.schedule(t, &all, &mut r, &mut push);
            t += r.range(20_000, 150_000);
        }
        t = o.safety_us;
    }
    while t < o.safety_us {
        let live: Vec<NodeId> = all
            .iter()
            .copied()
            .filter(|x| !crashed.contains(x))
            .collect();
        let choice = r.below(100);
        match choice {
            0..=14 if !live.is_empty() => {
                let v = r.pick(&live);
                crashed.push(v);
                paused.retain(|&p| p != v);
                push(t, Action::Crash { node: v });
            }
            15..=29 if !crashed.is_empty() => {
                let v = r.pick(&crashed);
                crashed.retain(|&c| c != v);
                push(t, Action::Restart { node: v });
            }
            30..=37 => {
                let groups_n = r.range(2, 3);
                let mut groups = vec![Vec::new(); groups_n as usize];
                for &v in &all {
                    let g = r.below(groups_n) as usize;
                    groups[g].push(v);
                }
                groups.retain(|g| !g.is_empty());
                push(t, Action::Partition { groups });
            }
            38..=41 => push(t, Action::Isolate { node: r.pick(&all) }),
            42..=49 if n > 1 => {
                let a = r.pick(&all);
                let mut b = r.pick(&all);
                if a == b {
                    b = NodeId(a.0 % n + 1);
                }
                push(t, Action::Cut { from: a, to: b });
            }
            50..=59 => push(t, Action::Heal),
            60..=66 => push(
                t,
                Action::SetLink {
                    from: None,
                    to: None,
                    latency_us_min: Some(r.range(100, 2_000)),
                    latency_us_max: Some(r.range(2_000, 40_000)),
                    loss_ppm: Some(if r.ppm(500_000) {
                        0
                    } else {
                        r.range(0, 200_000) as u32
                    }),
                    duplicate_ppm: Some(if r.ppm(500_000) {
                        0
                    } else {
                        r.range(0, 100_000) as u32
                    }),
                },
            ),
            67..=72 => {
                let candidates: Vec<NodeId> = live
                    .iter()
                    .copied()
                    .filter(|x| !paused.contains(x))
                    .collect();
                if !candidates.is_empty() {
                    let v = r.pick(&candidates);
                    paused.push(v);
                    push(t, Action::Pause { node: v });
                }
            }
            73..=79 if !paused.is_empty() => {
                let v = r.pick(&paused);
                paused.retain(|&p| p != v);
                push(t, Action::Resume { node: v });
            }
            80..=84 => push(
                t,
                Action::SetDrift {
                    node: r.pick(&all),
                    drift_ppm: (r.range(0, 2 * drift_max as u64) as i64 - drift_max) as i32,
                },
            ),
            85..=91 => {
                let kinds = [
                    MsgKind::Raft(MessageKind::Append),
                    MsgKind::Raft(MessageKind::AppendResponse),
                    MsgKind::Raft(MessageKind::Vote),
                    MsgKind::Raft(MessageKind::VoteResponse),
                    MsgKind::Raft(MessageKind::Heartbeat),
                    MsgKind::ClientResponse,
                ];
                let kind = kinds[r.below(kinds.len() as u64) as usize];
                push(
                    t,
                    Action::DropNext {
                        from: if r.ppm(500_000) {
                            Some(Endpoint::Node(r.pick(&all)))
                        } else {
                            None
                        },
                        to: None,
                        kind: Some(kind),
                        count: r.range(1, 5) as u32,
                    },
                );
            }
            92..=99 if !live.is_empty() => {
                let candidates: Vec<NodeId> = live
                    .iter()
                    .copied()
                    .filter(|x| !paused.contains(x))
                    .collect();
                if !candidates.is_empty() {
                    push(
                        t,
                        Action::Campaign {
                            node: r.pick(&candidates),
                        },
                    );
                }
            }
            _ => {}
        }
        t += r.range(20_000, 250_000);
    }
    let t0 = o.safety_us;
    push(t0, Action::Heal);
    push(
        t0,
        Action::SetLink {
            from: None,
            to: None,
            latency_us_min: Some(500),
            latency_us_max: Some(5_000),
            loss_ppm: Some(0),
            duplicate_ppm: Some(0),
        },
    );
    push(t0, Action::ClearRules);
    push(t0, Action::ReleaseAll);
    push(
        t0,
        Action::SetWorkload {
            enabled: Some(false),
            rate_ops_per_s: None,
            key_count: None,
            mix: None,
        },
    );
    crashed.sort();
    for v in crashed {
        push(t0, Action::Restart { node: v });
    }
    paused.sort();
    for v in paused {
        push(t0, Action::Resume { node: v });
    }
    let end = o.safety_us + o.liveness_us;
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
            "campaign seed {seed}: {n} nodes, random faults for {} ms then {} ms of calm{}",
            o.safety_us / 1000,
            o.liveness_us / 1000,
            o.toggle.map_or(String::new(), |t| format!(", toggle {t}"))
        ),
        seed,
        config,
        duration_us: end,
        actions,
        expect,
    }
}

/// A toggle's fault pattern (see [`campaign_scenario`]): the generic random schedule
/// rarely lines up the few events these bugs need, so a toggle campaign repeats the
/// pattern, with the nodes' roles, the timings and the network drawn from the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Episode {
    /// Figure 8 (§5.4.2, 5 or more nodes): A leads and replicates an entry only to B; A
    /// crashes; C is elected by the other side, takes an entry of its newer term alone and
    /// crashes; A's side comes back and re-replicates the old entry to a majority (which
    /// the toggle counts as committed) while C is down; then A and B crash and C, restarted
    /// with its newer last term, wins and overwrites the "committed" entry.
    Figure8,
    /// Two candidates in one term, and a voter that crashes and restarts between their
    /// vote requests (slow, jittery links spread them out); without a persisted vote it
    /// votes twice in one term.
    SplitVoteRestart,
    /// A leader whose clock runs slow (drift far beyond the bound) holds its lease in
    /// real time well past the moment fast-clocked followers elect a new leader; it is
    /// cut off while clients keep reading from it and writing through the new leader.
    LeaseDrift,
}

impl Episode {
    fn for_toggle(t: CampaignToggle, n: u32) -> Option<Episode> {
        match t {
            CampaignToggle::Rule(RaftToggle::CommitOldTermsByCounting) if n >= 5 => {
                Some(Episode::Figure8)
            }
            CampaignToggle::Rule(RaftToggle::ForgetVoteOnRestart) if n >= 3 => {
                Some(Episode::SplitVoteRestart)
            }
            CampaignToggle::LeaseDrift if n >= 3 => Some(Episode::LeaseDrift),
            _ => None,
        }
    }

    /// Settings the pattern needs.
    fn tune(self, config: &mut SimConfig, r: &mut Draw) {
        match self {
            Episode::Figure8 => {
                // Client writes are placed by hand: a stream of new-term entries would
                // commit legitimately and hide the bug.
                config.workload.enabled = false;
                config.clients.count = config.clients.count.max(2);
            }
            Episode::SplitVoteRestart => {
                config.network.latency_us_min = 500;
                config.network.latency_us_max = r.range(15_000, 30_000);
            }
            Episode::LeaseDrift => {
                config.workload.key_count = 1;
                config.workload.rate_ops_per_s = r.range(80, 150) as u32;
                config.clients.count = r.range(3, 5) as u32;
                config.clients.timeout_us = r.range(20_000, 60_000);
                config.check_quorum = false;
                // The slow-clocked node is made leader by a forced election.
                config.pre_vote = false;
                // Fast-clocked followers time out soon after the leader is cut off.
                config.election_timeout_us_max = config.election_timeout_us_min + 20_000;
            }
        }
    }

    fn length_us(self) -> u64 {
        match self {
            Episode::Figure8 => 1_000_000,
            Episode::SplitVoteRestart => 200_000,
            Episode::LeaseDrift => 750_000,
        }
    }

    /// Pushes one episode starting at `t`; returns its end. Every node is up, unpaused and
    /// connected at the end.
    fn schedule(
        self,
        t: u64,
        all: &[NodeId],
        r: &mut Draw,
        push: &mut impl FnMut(u64, Action),
    ) -> u64 {
        let mut nodes = all.to_vec();
        for i in (1..nodes.len()).rev() {
            let j = r.below(i as u64 + 1) as usize;
            nodes.swap(i, j);
        }
        match self {
            Episode::Figure8 => {
                let (a, b, c) = (nodes[0], nodes[1], nodes[nodes.len() - 1]);
                let others: Vec<NodeId> = nodes[2..].to_vec();
                let mut t = t;
                push(t, Action::Campaign { node: a });
                t += r.range(40_000, 80_000);
                push(
                    t,
                    Action::Partition {
                        groups: vec![vec![a, b], others.clone()],
                    },
                );
                push(t + 1, put(1, a, t));
                t += r.range(20_000, 40_000);
                push(t, Action::Crash { node: a });
                t += r.range(1_000, 10_000);
                push(t, Action::Campaign { node: c });
                t += r.range(40_000, 80_000);
                push(t, Action::Isolate { node: c });
                push(t + 1, put(2, c, t));
                t += r.range(10_000, 30_000);
                push(t, Action::Crash { node: c });
                t += 1_000;
                push(t, Action::Heal);
                push(t, Action::Restart { node: a });
                for _ in 0..3 {
                    t += r.range(20_000, 60_000);
                    push(t, Action::Campaign { node: a });
                }
                t += r.range(60_000, 200_000);
                push(t, Action::Crash { node: a });
                push(t, Action::Crash { node: b });
                t += r.range(1_000, 10_000);
                push(t, Action::Restart { node: c });
                for _ in 0..3 {
                    t += r.range(20_000, 60_000);
                    push(t, Action::Campaign { node: c });
                }
                t += 200_000;
                push(t, Action::Restart { node: a });
                push(t, Action::Restart { node: b });
                t
            }
            Episode::SplitVoteRestart => {
                let (a, b, v) = (nodes[0], nodes[1], nodes[2]);
                push(t, Action::Campaign { node: a });
                push(t, Action::Campaign { node: b });
                let crash = t + r.range(1_000, 15_000);
                let restart = crash + r.range(100, 5_000);
                push(crash, Action::Crash { node: v });
                push(restart, Action::Restart { node: v });
                restart + r.range(100_000, 150_000)
            }
            Episode::LeaseDrift => {
                let (l, rest) = (nodes[0], &nodes[1..]);
                // A quiet moment so that the logs agree and L wins its forced election.
                push(t, workload(false));
                let t = t + 40_000;
                push(t + 30_000, workload(true));
                push(
                    t,
                    Action::SetDrift {
                        node: l,
                        drift_ppm: -450_000,
                    },
                );
                for &f in rest {
                    push(
                        t,
                        Action::SetDrift {
                            node: f,
                            drift_ppm: 450_000,
                        },
                    );
                }
                push(t + 1, Action::Campaign { node: l });
                let cut = t + r.range(150_000, 300_000);
                push(cut, Action::Isolate { node: l });
                // While L is cut off: writes through a follower (it redirects to the new
                // leader once there is one) and reads sent to L.
                // (The workload stops just before, so that these clients are idle.)
                push(cut - 30_000, workload(false));
                let f = rest[r.below(rest.len() as u64) as usize];
                for k in 0..3u64 {
                    let at = cut + 100_000 + k * 40_000 + r.range(0, 20_000);
                    push(
                        at,
                        Action::Put {
                            client: 1,
                            key: "k0".to_string(),
                            value: format!("w{at}"),
                            node: Some(f),
                        },
                    );
                }
                for k in 0..6u64 {
                    let at = cut + 110_000 + k * 25_000 + r.range(0, 15_000);
                    push(
                        at,
                        Action::Get {
                            client: 2 + (k % 2) as u32,
                            key: "k0".to_string(),
                            node: Some(l),
                        },
                    );
                }
                let heal = cut + r.range(300_000, 400_000);
                push(heal, Action::Heal);
                push(heal, workload(true));
                heal + r.range(50_000, 100_000)
            }
        }
    }
}

fn workload(on: bool) -> Action {
    Action::SetWorkload {
        enabled: Some(on),
        rate_ops_per_s: None,
        key_count: None,
        mix: None,
    }
}

fn put(client: u32, node: NodeId, t: u64) -> Action {
    Action::Put {
        client,
        key: "f8".to_string(),
        value: format!("{client}@{t}"),
        node: Some(node),
    }
}

/// What went wrong in one seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeedVerdict {
    /// The seed.
    pub seed: u64,
    /// Every failed expectation, one line each (`monitor election_safety: ...`).
    pub failures: Vec<String>,
    /// Which monitors fired (and `linearizability` when the checker found a violation).
    pub caught_by: Vec<String>,
    /// The trace hash.
    pub trace_hash: String,
    /// Events processed.
    pub events: u64,
    /// Client operations recorded.
    pub ops: u64,
}

/// Runs one campaign seed.
pub fn run_seed(seed: u64, o: &CampaignOptions) -> SeedVerdict {
    let s = campaign_scenario(seed, o);
    // Checked mode: the safety phase checks every invariant after every event.
    let (w, summary) = match run_scenario_with(&s, true) {
        Ok(r) => r,
        Err(e) => {
            return SeedVerdict {
                seed,
                failures: vec![format!("scenario rejected: {e}")],
                caught_by: Vec::new(),
                trace_hash: String::new(),
                events: 0,
                ops: 0,
            }
        }
    };
    let mut failures: Vec<String> = summary
        .expectations
        .iter()
        .filter(|e| !e.ok)
        .map(|e| format!("{}: {}", e.expectation, e.observed))
        .collect();
    for sk in &summary.skipped_actions {
        failures.push(format!("action {} skipped: {}", sk.index, sk.error));
    }
    let mut caught_by: Vec<String> = MONITORS
        .iter()
        .filter(|m| w.monitors()[**m as usize].violated)
        .map(|m| m.name().to_string())
        .collect();
    if summary.linearizability == "violated" {
        caught_by.push("linearizability".to_string());
    }
    SeedVerdict {
        seed,
        failures,
        caught_by,
        trace_hash: summary.trace_hash,
        events: summary.events,
        ops: w.operations().len() as u64,
    }
}

/// The command that replays one seed.
pub fn replay_command(seed: u64, o: &CampaignOptions) -> String {
    let mut c = format!(
        "raftlab campaign --seeds 1 --start-seed {seed} --nodes {}",
        o.nodes
    );
    if let Some(t) = o.toggle {
        c.push_str(&format!(" --toggle {t}"));
    }
    if o.safety_us != CampaignOptions::default().safety_us {
        c.push_str(&format!(" --safety-ms {}", o.safety_us / 1000));
    }
    if o.liveness_us != CampaignOptions::default().liveness_us {
        c.push_str(&format!(" --liveness-ms {}", o.liveness_us / 1000));
    }
    c
}
