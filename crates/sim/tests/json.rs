//! `sim::json`: errors name the exact path of the bad field, inside internally tagged enums
//! too (property-tested against documents with one field corrupted at a known path), and
//! every type the playground reads comes back from its own JSON unchanged.

use proptest::prelude::*;
use serde_json::{json, Value};
use sim::action::ACTION_TYPES;
use sim::action::{Action, RaftToggle};
use sim::config::{ClientConfig, LinkConfig, OpMix, ReadPath, SimConfig, WorkloadConfig};
use sim::history::Outcome;
use sim::json::Value as Parsed;
use sim::json::{from_json_named, from_json_path, FromJson, JsonResult, Obj};
use sim::monitor::MONITORS;
use sim::scenario::EXPECTATION_TYPES;
use sim::wire::{Endpoint, MsgKind};
use sim::{Expectation, LogIndex, NodeId, Scenario, Term, TimedAction, ViewOptions};

// A small document type with an internally tagged enum, read with the public helpers.

#[derive(Debug, PartialEq)]
enum Item {
    Alpha { x: u32, y: String, z: bool },
    Beta { n: u8, label: String, inner: Inner },
}

#[derive(Debug, PartialEq)]
struct Inner {
    k: u16,
    tags: Vec<String>,
}

#[derive(Debug, PartialEq)]
struct Doc {
    name: String,
    items: Vec<Item>,
}

impl FromJson for Item {
    fn from_json(v: &Parsed) -> JsonResult<Self> {
        let (i, t) = Obj::tagged(v, "type", "internally tagged enum Item", &["alpha", "beta"])?;
        Ok(if i == 0 {
            let o = t.known(&["x", "y", "z"])?;
            Item::Alpha {
                x: o.req("x")?,
                y: o.req("y")?,
                z: o.req("z")?,
            }
        } else {
            let o = t.known(&["n", "label", "inner"])?;
            Item::Beta {
                n: o.req("n")?,
                label: o.req("label")?,
                inner: o.req("inner")?,
            }
        })
    }
}

impl FromJson for Inner {
    fn from_json(v: &Parsed) -> JsonResult<Self> {
        let o = Obj::new(v, "struct Inner", &["k", "tags"])?;
        Ok(Inner {
            k: o.req("k")?,
            tags: o.or("tags", Vec::new())?,
        })
    }
}

impl FromJson for Doc {
    fn from_json(v: &Parsed) -> JsonResult<Self> {
        let o = Obj::new(v, "struct Doc", &["name", "items"])?;
        Ok(Doc {
            name: o.req("name")?,
            items: o.req("items")?,
        })
    }
}

fn item(kind: bool, a: u8, s: &str) -> Value {
    if kind {
        json!({"type": "alpha", "x": a, "y": s, "z": a % 2 == 0})
    } else {
        json!({"type": "beta", "n": a, "label": s, "inner": {"k": a, "tags": [s]}})
    }
}

/// A wrong value for `field` of a variant (never accepted by its type).
fn bad_value(field: &str, pick: usize) -> Value {
    let options: Vec<Value> = match field {
        "x" | "n" | "k" => vec![
            json!(-1),
            json!("seven"),
            json!(1.5),
            json!(null),
            json!(1u64 << 40),
        ],
        "y" | "label" => vec![json!(3), json!(true), json!([1]), json!({"a": 1})],
        "z" => vec![json!("no"), json!(1), json!(null)],
        _ => unreachable!(),
    };
    options[pick % options.len()].clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_corrupted_field_inside_a_tagged_enum_is_named(
        kinds in proptest::collection::vec(any::<bool>(), 1..6),
        a in any::<u8>(),
        which in any::<usize>(),
        field_pick in any::<usize>(),
        value_pick in any::<usize>(),
    ) {
        let mut items: Vec<Value> = kinds.iter().map(|&k| item(k, a, "s")).collect();
        let doc_ok = json!({"name": "d", "items": items.clone()});
        prop_assert!(from_json_path::<Doc>(&doc_ok.to_string()).is_ok());
        let i = which % items.len();
        let fields: &[&str] = if kinds[i] { &["x", "y", "z"] } else { &["n", "label", "inner.k"] };
        let field = fields[field_pick % fields.len()];
        match field.split_once('.') {
            Some((outer, inner)) => items[i][outer][inner] = bad_value(inner, value_pick),
            None => items[i][field] = bad_value(field, value_pick),
        }
        let doc = json!({"name": "d", "items": items});
        let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
        let want = format!("doc.items[{i}].{field}: ");
        prop_assert!(e.starts_with(&want), "{} does not start with {}", e, want);
    }

    #[test]
    fn an_unknown_field_or_tag_inside_a_tagged_enum_is_named(
        kinds in proptest::collection::vec(any::<bool>(), 1..6),
        which in any::<usize>(),
        tag in any::<bool>(),
    ) {
        let mut items: Vec<Value> = kinds.iter().map(|&k| item(k, 4, "s")).collect();
        let i = which % items.len();
        let (field, start) = if tag {
            items[i]["type"] = json!("gamma");
            ("type", "unknown variant")
        } else {
            items[i]["bogus"] = json!(1);
            ("bogus", "unknown field")
        };
        let doc = json!({"name": "d", "items": items});
        let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
        let want = format!("doc.items[{i}].{field}: {start}");
        prop_assert!(e.starts_with(&want), "{} does not start with {}", e, want);
    }

    #[test]
    fn arbitrary_text_gives_an_error_not_a_panic(text in ".{0,80}") {
        let _ = from_json_named::<Doc>("doc", &text);
    }
}

#[test]
fn problems_read_like_serde() {
    let e = from_json_named::<Doc>("doc", r#"{"name": 5, "items": []}"#).unwrap_err();
    assert_eq!(e, "doc.name: invalid type: integer `5`, expected a string");
    let e = from_json_named::<Vec<u8>>("list", "[1, 300]").unwrap_err();
    assert_eq!(e, "list[1]: invalid value: integer `300`, expected u8");
    let e = from_json_named::<Vec<u32>>("list", r#"[1.5, "x"]"#).unwrap_err();
    assert_eq!(
        e,
        "list[0]: invalid type: floating point `1.5`, expected u32"
    );
    // A number with a fraction or an exponent is never an integer, and the error quotes
    // it as written (serde_json would show the float it converted it to: `1000.0`).
    for (text, shown) in [
        ("1e3", "1e3"),
        ("1.0", "1.0"),
        ("-0", "-0"),
        ("2E+400", "2E+400"),
        ("18446744073709551616", "18446744073709551616"),
    ] {
        let e = from_json_named::<u64>("n", text).unwrap_err();
        assert_eq!(
            e,
            format!("n: invalid type: floating point `{shown}`, expected u64")
        );
    }
    let e = from_json_named::<SimConfig>("config", r#"{"node_count": 2.5}"#).unwrap_err();
    assert_eq!(
        e,
        "config.node_count: invalid type: floating point `2.5`, expected u32"
    );
    let e = from_json_named::<Doc>("doc", r#"{"name": 1e-3, "items": []}"#).unwrap_err();
    assert_eq!(
        e,
        "doc.name: invalid type: floating point `1e-3`, expected a string"
    );
    let e = from_json_named::<Doc>("doc", "{").unwrap_err();
    assert!(e.starts_with("doc: EOF while parsing"), "{e}");
    assert!(e.ends_with("at line 1 column 1"), "{e}");
    let e = from_json_path::<Doc>(r#"{"items": []}"#).unwrap_err();
    assert_eq!(e.path, "");
    assert_eq!(e.problem, "missing field `name`");
    let e = from_json_named::<Doc>("doc", "[]").unwrap_err();
    assert_eq!(e, "doc: invalid type: sequence, expected struct Doc");
    let e = from_json_named::<Item>("item", r#"{"type": 3}"#).unwrap_err();
    assert_eq!(
        e,
        "item.type: invalid type: integer `3`, expected variant identifier"
    );
    let e = from_json_named::<Item>(
        "item",
        r#"{"type": "beta", "n": 1, "label": "l", "inner": {"k": 1, "t": null}}"#,
    )
    .unwrap_err();
    assert_eq!(e, "item.inner.t: unknown field `t`, expected `k` or `tags`");
    let e = from_json_named::<Action>("action", r#"{"type": "heal", "node": 1}"#).unwrap_err();
    assert_eq!(e, "action.node: unknown field `node`, there are no fields");
    let e = from_json_named::<Action>("action", r#"{"type": "set_read_path", "read_path": null}"#)
        .unwrap_err();
    assert_eq!(
        e,
        "action.read_path: invalid type: null, expected one of `log`, `read_index`, `lease`, `stale`"
    );
    let e = from_json_named::<Action>("action", r#"{"type": "crash", "nod": 1}"#).unwrap_err();
    assert_eq!(e, "action.nod: unknown field `nod`, expected `node`");
    let e = from_json_named::<Action>(
        "action",
        r#"{"type": "drop_next", "count": 1, "from": {"nide": 1}}"#,
    )
    .unwrap_err();
    assert_eq!(
        e,
        "action.from.nide: unknown variant `nide`, expected `node` or `client`"
    );
}

#[test]
fn a_missing_field_inside_a_tagged_enum_names_the_object_not_its_tag() {
    let e = from_json_named::<Item>("item", r#"{"type": "alpha", "x": 1, "y": "s"}"#).unwrap_err();
    assert_eq!(e, "item: missing field `z`");
    let doc = json!({"name": "d", "items": [{"type": "beta", "n": 1, "label": "l"}]});
    let e = from_json_named::<Doc>("doc", &doc.to_string()).unwrap_err();
    assert_eq!(e, "doc.items[0]: missing field `inner`");
    let e = from_json_named::<Action>("action", r#"{"node": 1}"#).unwrap_err();
    assert_eq!(e, "action: missing field `type`");
}

#[test]
fn ids_terms_and_indexes_read_and_fail_as_the_plain_numbers_they_are() {
    assert_eq!(from_json_named::<NodeId>("node", "3"), Ok(NodeId(3)));
    assert_eq!(from_json_named::<LogIndex>("index", "7"), Ok(LogIndex(7)));
    assert_eq!(from_json_named::<Term>("term", "2"), Ok(Term(2)));
    assert_eq!(
        from_json_named::<NodeId>("node", "-1"),
        Err("node: invalid value: integer `-1`, expected u32".to_string())
    );
    assert_eq!(
        from_json_named::<NodeId>("node", "4294967296"),
        Err("node: invalid value: integer `4294967296`, expected u32".to_string())
    );
    assert_eq!(
        from_json_named::<LogIndex>("index", r#""1""#),
        Err(r#"index: invalid type: string "1", expected u64"#.to_string())
    );
    // Written back as the same numbers.
    let a = Action::Cut {
        from: NodeId(1),
        to: NodeId(2),
    };
    assert_eq!(
        sim::json::to_string(&a).unwrap(),
        r#"{"type":"cut","from":1,"to":2}"#
    );
}

// Round trip: every type the playground reads comes back from its serialized form.

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
        _ => ChangeMembership {
            voters: (0..g.below(4)).map(|_| g.node()).collect(),
            learners: (0..g.below(3)).map(|_| g.node()).collect(),
            leader: g.opt(Gen::node),
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
        | Action::ChangeMembership { .. } => 37,
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
        },
        workload: WorkloadConfig {
            enabled: g.bool(),
            rate_ops_per_s: g.u32(),
            key_count: g.u32(),
            mix: g.mix(),
        },
        drift_ppm: (0..g.below(5)).map(|_| g.i32()).collect(),
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

#[test]
fn left_out_fields_take_their_defaults() {
    assert_eq!(
        from_json_path::<SimConfig>("{}").unwrap(),
        SimConfig::default()
    );
    let c: SimConfig = from_json_path(
        r#"{"node_count": 3, "network": {"loss_ppm": 5}, "workload": {"mix": {"put": 1}}}"#,
    )
    .unwrap();
    assert_eq!(c.node_count, 3);
    assert_eq!(c.network.loss_ppm, 5);
    assert_eq!(
        c.network.latency_us_max,
        LinkConfig::default().latency_us_max
    );
    assert_eq!(c.workload.mix.put, 1);
    assert_eq!(c.workload.mix.get, OpMix::default().get);
    assert_eq!(c.clients, ClientConfig::default());
    assert_eq!(
        from_json_path::<ViewOptions>(r#"{"kv": false}"#).unwrap(),
        ViewOptions {
            kv: false,
            ..ViewOptions::default()
        }
    );
    let a: Action = from_json_path(r#"{"type": "set_link", "to": null, "loss_ppm": 7}"#).unwrap();
    assert_eq!(
        a,
        Action::SetLink {
            from: None,
            to: None,
            latency_us_min: None,
            latency_us_max: None,
            loss_ppm: Some(7),
            duplicate_ppm: None
        }
    );
}

#[test]
fn events_options_parse_and_name_the_bad_field() {
    use sim::timeline::{EventText, EventsOptions};
    let parse = |s: &str| from_json_named::<EventsOptions>("options", s);
    assert_eq!(parse("{}"), Ok(EventsOptions::default()));
    assert_eq!(
        parse(r#"{"text":"all"}"#).map(|o| o.text),
        Ok(EventText::All)
    );
    assert_eq!(
        parse(r#"{"text":"markers"}"#).map(|o| o.text),
        Ok(EventText::Markers)
    );
    assert_eq!(
        parse(r#"{"text":"some"}"#),
        Err("options.text: unknown variant `some`, expected `all` or `markers`".to_string())
    );
    assert_eq!(
        parse(r#"{"txt":"all"}"#),
        Err("options.txt: unknown field `txt`, expected `text`".to_string())
    );
    assert!(parse("7").is_err_and(|e| e.starts_with("options: invalid type: integer `7`")));
}
