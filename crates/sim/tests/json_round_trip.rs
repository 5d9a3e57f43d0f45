//! Round trip: every type the playground reads (actions, expectations, configs,
//! scenarios, view options) comes back from its own JSON unchanged, for random values of
//! every variant. (Error paths are tested in `json.rs`.)

use sim::action::{Action, ByzantineMode, RaftToggle, ACTION_TYPES};
use sim::config::{ClientConfig, LinkConfig, OpMix, ReadPath, SimConfig, WorkloadConfig};
use sim::history::Outcome;
use sim::json::{from_json_path, FromJson};
use sim::monitor::MONITORS;
use sim::scenario::EXPECTATION_TYPES;
use sim::wire::{Endpoint, MsgKind};
use sim::{Expectation, LogIndex, NodeId, Scenario, TimedAction, ViewOptions};

/// SplitMix64: enough randomness for field values.
struct Gen(u64);

impl Gen {
    fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn u32(&mut self) -> u32 {
        self.u64() as u32
    }
    fn i32(&mut self) -> i32 {
        self.u64() as i32
    }
    fn bool(&mut self) -> bool {
        self.u64() & 1 == 1
    }
    fn below(&mut self, n: usize) -> usize {
        (self.u64() % n as u64) as usize
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Gen) -> T) -> Option<T> {
        if self.bool() {
            Some(f(self))
        } else {
            None
        }
    }
    fn string(&mut self) -> String {
        let alphabet = ['a', 'z', '0', ' ', '"', '\\', 'é', '🦀', '\n'];
        (0..self.below(6))
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
    fn node(&mut self) -> NodeId {
        NodeId(self.u32())
    }
    fn index(&mut self) -> LogIndex {
        LogIndex(self.u64())
    }
    fn endpoint(&mut self) -> Endpoint {
        if self.bool() {
            Endpoint::Node(self.node())
        } else {
            Endpoint::Client(self.u32())
        }
    }
    fn msg_kind(&mut self) -> MsgKind {
        MsgKind::ALL[self.below(MsgKind::ALL.len())]
    }
    fn read_path(&mut self) -> ReadPath {
        ReadPath::ALL[self.below(ReadPath::ALL.len())]
    }
    fn mix(&mut self) -> OpMix {
        OpMix {
            put: self.u32(),
            get: self.u32(),
            append: self.u32(),
            cas: self.u32(),
        }
    }
}

/// Variant `i` (declaration order) of `Action`, with random fields.
fn action(i: usize, g: &mut Gen) -> Action {
    use Action::*;
    match i {
        0 => Crash { node: g.node() },
        1 => Restart { node: g.node() },
        2 => Pause { node: g.node() },
        3 => Resume { node: g.node() },
        4 => SetDrift {
            node: g.node(),
            drift_ppm: g.i32(),
        },
        5 => Partition {
            groups: (0..g.below(4))
                .map(|_| (0..g.below(4)).map(|_| g.node()).collect())
                .collect(),
        },
        6 => Isolate { node: g.node() },
        7 => Cut {
            from: g.node(),
            to: g.node(),
        },
        8 => Repair {
            from: g.node(),
            to: g.node(),
        },
        9 => Heal,
        10 => SetLink {
            from: g.opt(Gen::node),
            to: g.opt(Gen::node),
            latency_us_min: g.opt(Gen::u64),
            latency_us_max: g.opt(Gen::u64),
            loss_ppm: g.opt(Gen::u32),
            duplicate_ppm: g.opt(Gen::u32),
        },
        11 => DropMessage { id: g.u64() },
        12 => DelayMessage {
            id: g.u64(),
            delay_us: g.u64(),
        },
        13 => DuplicateMessage { id: g.u64() },
        14 => HoldMessage { id: g.u64() },
        15 => ReleaseMessage { id: g.u64() },
        16 => DropNext {
            from: g.opt(Gen::endpoint),
            to: g.opt(Gen::endpoint),
            kind: g.opt(Gen::msg_kind),
            count: g.u32(),
        },
        17 => HoldNext {
            from: g.opt(Gen::endpoint),
            to: g.opt(Gen::endpoint),
            kind: g.opt(Gen::msg_kind),
            count: g.u32(),
        },
        18 => ReleaseAll,
        19 => ClearRules,
        20 => Put {
            client: g.u32(),
            key: g.string(),
            value: g.string(),
            node: g.opt(Gen::node),
        },
        21 => Get {
            client: g.u32(),
            key: g.string(),
            node: g.opt(Gen::node),
        },
        22 => Append {
            client: g.u32(),
            key: g.string(),
            value: g.string(),
            node: g.opt(Gen::node),
        },
        23 => Cas {
            client: g.u32(),
            key: g.string(),
            expected: g.opt(Gen::string),
            value: g.string(),
            node: g.opt(Gen::node),
        },
        24 => SetWorkload {
            enabled: g.opt(Gen::bool),
            rate_ops_per_s: g.opt(Gen::u32),
            key_count: g.opt(Gen::u32),
            mix: g.opt(Gen::mix),
        },
        25 => Campaign { node: g.node() },
        26 => TransferLeader {
            from: g.node(),
            to: g.node(),
        },
        27 => SetReadPath {
            read_path: g.read_path(),
        },
        28 => SetDedup { on: g.bool() },
        29 => SetToggle {
            toggle: RaftToggle::ALL[g.below(RaftToggle::ALL.len())],
            on: g.bool(),
        },
        30 => SetElectionTimeout {
            election_timeout_us_min: g.u64(),
            election_timeout_us_max: g.u64(),
        },
        31 => Start {
            node: g.node(),
            key: g.string(),
            value: g.string(),
        },
        32 => SetReorder {
            from: g.opt(Gen::node),
            to: g.opt(Gen::node),
            reorder_ppm: g.u32(),
        },
        33 => AddNode {
            node: g.node(),
            voter: g.bool(),
            leader: g.opt(Gen::node),
        },
        34 => RemoveNode {
            node: g.node(),
            leader: g.opt(Gen::node),
        },
        35 => PromoteLearner {
            node: g.node(),
            leader: g.opt(Gen::node),
        },
        36 => ChangeMembership {
            voters: (0..g.below(4)).map(|_| g.node()).collect(),
            learners: (0..g.below(3)).map(|_| g.node()).collect(),
            leader: g.opt(Gen::node),
        },
        37 => SetSnapshotThreshold {
            snapshot_threshold_entries: g.u64(),
        },
        _ => SetByzantine {
            node: g.node(),
            mode: g.opt(|g| ByzantineMode::ALL[g.below(ByzantineMode::ALL.len())]),
        },
    }
}

/// The variant count: an exhaustive match, so a new variant fails to compile here until
/// the generator (and the parser) know it.
fn action_variants() -> usize {
    match Action::Heal {
        Action::Crash { .. }
        | Action::Restart { .. }
        | Action::Pause { .. }
        | Action::Resume { .. }
        | Action::SetDrift { .. }
        | Action::Partition { .. }
        | Action::Isolate { .. }
        | Action::Cut { .. }
        | Action::Repair { .. }
        | Action::Heal
        | Action::SetLink { .. }
        | Action::DropMessage { .. }
        | Action::DelayMessage { .. }
        | Action::DuplicateMessage { .. }
        | Action::HoldMessage { .. }
        | Action::ReleaseMessage { .. }
        | Action::DropNext { .. }
        | Action::HoldNext { .. }
        | Action::ReleaseAll
        | Action::ClearRules
        | Action::Put { .. }
        | Action::Get { .. }
        | Action::Append { .. }
        | Action::Cas { .. }
        | Action::SetWorkload { .. }
        | Action::Campaign { .. }
        | Action::TransferLeader { .. }
        | Action::SetReadPath { .. }
        | Action::SetDedup { .. }
        | Action::SetToggle { .. }
        | Action::SetElectionTimeout { .. }
        | Action::Start { .. }
        | Action::SetReorder { .. }
        | Action::AddNode { .. }
        | Action::RemoveNode { .. }
        | Action::PromoteLearner { .. }
        | Action::ChangeMembership { .. }
        | Action::SetSnapshotThreshold { .. }
        | Action::SetByzantine { .. } => 39,
    }
}

/// Variant `i` (declaration order) of `Expectation`, with random fields.
fn expectation(i: usize, g: &mut Gen) -> Expectation {
    use Expectation::*;
    match i {
        0 => LeaderExists {
            at_us: g.u64(),
            node: g.opt(Gen::node),
        },
        1 => LeadersAt {
            at_us: g.u64(),
            count: g.u32(),
        },
        2 => Committed {
            index: g.index(),
            nodes_min: g.u32(),
            at_us: g.opt(Gen::u64),
        },
        3 => CommitAtMost {
            node: g.node(),
            index: g.index(),
            at_us: g.opt(Gen::u64),
        },
        4 => KeyValue {
            key: g.string(),
            value: g.opt(Gen::string),
            nodes_min: g.opt(Gen::u32),
        },
        5 => OpOutcome {
            op: g.u64(),
            outcome: Outcome::ALL[g.below(Outcome::ALL.len())],
        },
        6 => Linearizable,
        7 => NotLinearizable,
        8 => MonitorViolated {
            monitor: MONITORS[g.below(MONITORS.len())],
        },
        9 => NoViolation,
        _ => Converged {
            at_us: g.opt(Gen::u64),
        },
    }
}

fn expectation_variants() -> usize {
    match Expectation::NoViolation {
        Expectation::LeaderExists { .. }
        | Expectation::LeadersAt { .. }
        | Expectation::Committed { .. }
        | Expectation::CommitAtMost { .. }
        | Expectation::KeyValue { .. }
        | Expectation::OpOutcome { .. }
        | Expectation::Linearizable
        | Expectation::NotLinearizable
        | Expectation::MonitorViolated { .. }
        | Expectation::NoViolation
        | Expectation::Converged { .. } => 11,
    }
}

fn config(g: &mut Gen) -> SimConfig {
    SimConfig {
        node_count: g.u32(),
        election_timeout_us_min: g.u64(),
        election_timeout_us_max: g.u64(),
        heartbeat_interval_us: g.u64(),
        pre_vote: g.bool(),
        check_quorum: g.bool(),
        read_path: g.read_path(),
        lease_clock_drift_us_max: g.u64(),
        entries_per_msg_max: g.u32(),
        inflight_msgs_max: g.u32(),
        toggles: raft::TeachingToggles {
            vote_without_log_check: g.bool(),
            commit_old_terms_by_counting: g.bool(),
            forget_vote_on_restart: g.bool(),
            skip_noop_on_election: g.bool(),
            change_membership_before_own_term_commit: g.bool(),
        },
        kv_dedup: g.bool(),
        network: LinkConfig {
            up: g.bool(),
            latency_us_min: g.u64(),
            latency_us_max: g.u64(),
            loss_ppm: g.u32(),
            duplicate_ppm: g.u32(),
            reorder_ppm: g.u32(),
        },
        link_inflight_msgs_max: g.u32(),
        clients: ClientConfig {
            count: g.u32(),
            timeout_us: g.u64(),
            attempts_max: g.u32(),
            latency_us_min: g.u64(),
            latency_us_max: g.u64(),
            queued_ops_max: g.u32(),
            home_side_only: g.bool(),
        },
        workload: WorkloadConfig {
            enabled: g.bool(),
            rate_ops_per_s: g.u32(),
            key_count: g.u32(),
            mix: g.mix(),
        },
        drift_ppm: (0..g.below(5)).map(|_| g.i32()).collect(),
        snapshot_threshold_entries: g.u64(),
        ap: g.opt(|g| sim::ap::ApConfig {
            write_quorum: g.u32(),
            read_quorum: g.u32(),
            request_timeout_us: g.u64(),
            anti_entropy_interval_us: g.u64(),
        }),
    }
}

fn scenario(g: &mut Gen) -> Scenario {
    Scenario {
        description: g.string(),
        seed: g.u64(),
        config: config(g),
        duration_us: g.u64(),
        actions: (0..g.below(8))
            .map(|_| TimedAction {
                at_us: g.u64(),
                action: action(g.below(ACTION_TYPES.len()), g),
            })
            .collect(),
        expect: (0..g.below(5))
            .map(|_| expectation(g.below(EXPECTATION_TYPES.len()), g))
            .collect(),
    }
}

fn round_trip<T: FromJson + serde::Serialize + PartialEq + std::fmt::Debug>(x: &T) {
    let text = serde_json::to_string(x).unwrap();
    let v = sim::json::parse_value(&text).unwrap();
    let back = T::from_json(&v).unwrap_or_else(|e| panic!("{x:?} from {text}: {e:?}"));
    assert_eq!(&back, x, "from {text}");
    // Through text too, as the playground receives it.
    let back: T = from_json_path(&text).unwrap();
    assert_eq!(&back, x);
    // The Wasm module's writer writes what serde_json writes.
    assert_eq!(sim::json::to_string(x).unwrap(), text);
}

#[test]
fn every_action_comes_back_from_its_json() {
    assert_eq!(ACTION_TYPES.len(), action_variants());
    for seed in 0..300 {
        let g = &mut Gen(seed);
        for (i, name) in ACTION_TYPES.iter().enumerate() {
            let a = action(i, g);
            assert_eq!(serde_json::to_value(&a).unwrap()["type"], *name);
            round_trip(&a);
        }
    }
}

#[test]
fn every_expectation_comes_back_from_its_json() {
    assert_eq!(EXPECTATION_TYPES.len(), expectation_variants());
    for seed in 0..300 {
        let g = &mut Gen(seed);
        for (i, name) in EXPECTATION_TYPES.iter().enumerate() {
            let e = expectation(i, g);
            assert_eq!(serde_json::to_value(&e).unwrap()["type"], *name);
            round_trip(&e);
        }
    }
}

#[test]
fn configs_scenarios_and_view_options_come_back_from_their_json() {
    for seed in 0..300 {
        let g = &mut Gen(seed);
        round_trip(&config(g));
        round_trip(&scenario(g));
        round_trip(&ViewOptions {
            log_tail: g.u64() as usize,
            kv: g.bool(),
            summaries: g.bool(),
        });
    }
    round_trip(&SimConfig::default());
    round_trip(&ViewOptions::default());
}
