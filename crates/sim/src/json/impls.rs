//! [`FromJson`] for everything the playground and the CLI read: configs, scenarios,
//! actions, view options. Each mirrors the type's `Serialize` form: the same field names,
//! `type`-tagged enums, snake_case names; fields marked "default" in the type's docs may
//! be left out. Unknown fields are refused.

use super::{unit_enum, FromJson, JsonResult, Obj, Value};
use crate::action::{Action, RaftToggle};
use crate::config::{ClientConfig, LinkConfig, OpMix, ReadPath, SimConfig, WorkloadConfig};
use crate::history::Outcome;
use crate::monitor::{MonitorId, MONITORS};
use crate::scenario::{Expectation, Scenario, TimedAction};
use crate::timeline::{EventText, EventsOptions};
use crate::view::ViewOptions;
use crate::wire::{Endpoint, MsgKind, MSG_KINDS};
use raft::TeachingToggles;

impl FromJson for ReadPath {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use ReadPath::*;
        unit_enum(v, &[Log, ReadIndex, Lease, Stale], ReadPath::as_str)
    }
}

impl FromJson for RaftToggle {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use RaftToggle::*;
        let all = [
            VoteWithoutLogCheck,
            CommitOldTermsByCounting,
            ForgetVoteOnRestart,
            SkipNoopOnElection,
        ];
        unit_enum(v, &all, RaftToggle::as_str)
    }
}

impl FromJson for MsgKind {
    fn from_json(v: &Value) -> JsonResult<Self> {
        unit_enum(v, &MSG_KINDS, MsgKind::as_str)
    }
}

impl FromJson for Outcome {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use Outcome::*;
        unit_enum(v, &[Ok, Failed, Unknown], Outcome::as_str)
    }
}

impl FromJson for MonitorId {
    fn from_json(v: &Value) -> JsonResult<Self> {
        unit_enum(v, &MONITORS, MonitorId::as_str)
    }
}

/// `{"node": 3}` or `{"client": 1}`.
impl FromJson for Endpoint {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let entry = v.as_object().filter(|m| m.len() == 1);
        let Some((key, id)) = entry.and_then(|m| m.iter().next()) else {
            return Err(super::invalid_type(
                v,
                "map with a single key `node` or `client`",
            ));
        };
        let i = super::name_index(key, &["node", "client"]).map_err(|e| e.in_field(key))?;
        let id = u32::from_json(id).map_err(|e| e.in_field(key))?;
        Ok(if i == 0 {
            Endpoint::Node(id)
        } else {
            Endpoint::Client(id)
        })
    }
}

impl FromJson for TeachingToggles {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct TeachingToggles",
            &[
                "vote_without_log_check",
                "commit_old_terms_by_counting",
                "forget_vote_on_restart",
                "skip_noop_on_election",
            ],
        )?;
        Ok(TeachingToggles {
            vote_without_log_check: o.or("vote_without_log_check", false)?,
            commit_old_terms_by_counting: o.or("commit_old_terms_by_counting", false)?,
            forget_vote_on_restart: o.or("forget_vote_on_restart", false)?,
            skip_noop_on_election: o.or("skip_noop_on_election", false)?,
        })
    }
}

impl FromJson for LinkConfig {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct LinkConfig",
            &[
                "up",
                "latency_us_min",
                "latency_us_max",
                "loss_ppm",
                "duplicate_ppm",
            ],
        )?;
        let d = LinkConfig::default();
        Ok(LinkConfig {
            up: o.or("up", d.up)?,
            latency_us_min: o.or("latency_us_min", d.latency_us_min)?,
            latency_us_max: o.or("latency_us_max", d.latency_us_max)?,
            loss_ppm: o.or("loss_ppm", d.loss_ppm)?,
            duplicate_ppm: o.or("duplicate_ppm", d.duplicate_ppm)?,
        })
    }
}

impl FromJson for OpMix {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct OpMix", &["put", "get", "append", "cas"])?;
        let d = OpMix::default();
        Ok(OpMix {
            put: o.or("put", d.put)?,
            get: o.or("get", d.get)?,
            append: o.or("append", d.append)?,
            cas: o.or("cas", d.cas)?,
        })
    }
}

impl FromJson for WorkloadConfig {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct WorkloadConfig",
            &["enabled", "rate_ops_per_s", "key_count", "mix"],
        )?;
        let d = WorkloadConfig::default();
        Ok(WorkloadConfig {
            enabled: o.or("enabled", d.enabled)?,
            rate_ops_per_s: o.or("rate_ops_per_s", d.rate_ops_per_s)?,
            key_count: o.or("key_count", d.key_count)?,
            mix: o.or("mix", d.mix)?,
        })
    }
}

impl FromJson for ClientConfig {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct ClientConfig",
            &[
                "count",
                "timeout_us",
                "attempts_max",
                "latency_us_min",
                "latency_us_max",
                "queued_ops_max",
            ],
        )?;
        let d = ClientConfig::default();
        Ok(ClientConfig {
            count: o.or("count", d.count)?,
            timeout_us: o.or("timeout_us", d.timeout_us)?,
            attempts_max: o.or("attempts_max", d.attempts_max)?,
            latency_us_min: o.or("latency_us_min", d.latency_us_min)?,
            latency_us_max: o.or("latency_us_max", d.latency_us_max)?,
            queued_ops_max: o.or("queued_ops_max", d.queued_ops_max)?,
        })
    }
}

impl FromJson for SimConfig {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct SimConfig",
            &[
                "node_count",
                "election_timeout_us_min",
                "election_timeout_us_max",
                "heartbeat_interval_us",
                "pre_vote",
                "check_quorum",
                "read_path",
                "lease_clock_drift_us_max",
                "entries_per_msg_max",
                "inflight_msgs_max",
                "toggles",
                "kv_dedup",
                "network",
                "link_inflight_msgs_max",
                "clients",
                "workload",
                "drift_ppm",
            ],
        )?;
        let d = SimConfig::default();
        Ok(SimConfig {
            node_count: o.or("node_count", d.node_count)?,
            election_timeout_us_min: o.or("election_timeout_us_min", d.election_timeout_us_min)?,
            election_timeout_us_max: o.or("election_timeout_us_max", d.election_timeout_us_max)?,
            heartbeat_interval_us: o.or("heartbeat_interval_us", d.heartbeat_interval_us)?,
            pre_vote: o.or("pre_vote", d.pre_vote)?,
            check_quorum: o.or("check_quorum", d.check_quorum)?,
            read_path: o.or("read_path", d.read_path)?,
            lease_clock_drift_us_max: o
                .or("lease_clock_drift_us_max", d.lease_clock_drift_us_max)?,
            entries_per_msg_max: o.or("entries_per_msg_max", d.entries_per_msg_max)?,
            inflight_msgs_max: o.or("inflight_msgs_max", d.inflight_msgs_max)?,
            toggles: o.or("toggles", d.toggles)?,
            kv_dedup: o.or("kv_dedup", d.kv_dedup)?,
            network: o.or("network", d.network)?,
            link_inflight_msgs_max: o.or("link_inflight_msgs_max", d.link_inflight_msgs_max)?,
            clients: o.or("clients", d.clients)?,
            workload: o.or("workload", d.workload)?,
            drift_ppm: o.or("drift_ppm", d.drift_ppm)?,
        })
    }
}

impl FromJson for EventText {
    fn from_json(v: &Value) -> JsonResult<Self> {
        unit_enum(v, &[EventText::All, EventText::Markers], EventText::as_str)
    }
}

impl FromJson for EventsOptions {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct EventsOptions", &["text"])?;
        Ok(EventsOptions {
            text: o.or("text", EventText::All)?,
        })
    }
}

impl FromJson for ViewOptions {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct ViewOptions", &["log_tail", "kv", "summaries"])?;
        let d = ViewOptions::default();
        Ok(ViewOptions {
            log_tail: o.or("log_tail", d.log_tail)?,
            kv: o.or("kv", d.kv)?,
            summaries: o.or("summaries", d.summaries)?,
        })
    }
}

/// The `type` of each [`Action`] variant, in declaration order.
pub const ACTION_TYPES: [&str; 31] = [
    "crash",
    "restart",
    "pause",
    "resume",
    "set_drift",
    "partition",
    "isolate",
    "cut",
    "repair",
    "heal",
    "set_link",
    "drop_message",
    "delay_message",
    "duplicate_message",
    "hold_message",
    "release_message",
    "drop_next",
    "hold_next",
    "release_all",
    "clear_rules",
    "put",
    "get",
    "append",
    "cas",
    "set_workload",
    "campaign",
    "transfer_leader",
    "set_read_path",
    "set_dedup",
    "set_toggle",
    "set_election_timeout",
];

const NODE: &[&str] = &["node"];
const LINK: &[&str] = &["from", "to"];
const ID: &[&str] = &["id"];
const RULE: &[&str] = &["from", "to", "kind", "count"];
const NONE: &[&str] = &[];

/// The fields of each [`Action`] variant besides `type`, indexed like [`ACTION_TYPES`].
const ACTION_FIELDS: [&[&str]; 31] = [
    NODE,
    NODE,
    NODE,
    NODE,
    &["node", "drift_ppm"],
    &["groups"],
    NODE,
    LINK,
    LINK,
    NONE,
    &[
        "from",
        "to",
        "latency_us_min",
        "latency_us_max",
        "loss_ppm",
        "duplicate_ppm",
    ],
    ID,
    &["id", "delay_us"],
    ID,
    ID,
    ID,
    RULE,
    RULE,
    NONE,
    NONE,
    &["client", "key", "value", "node"],
    &["client", "key", "node"],
    &["client", "key", "value", "node"],
    &["client", "key", "expected", "value", "node"],
    &["enabled", "rate_ops_per_s", "key_count", "mix"],
    NODE,
    LINK,
    &["read_path"],
    &["on"],
    &["toggle", "on"],
    &["election_timeout_us_min", "election_timeout_us_max"],
];

impl FromJson for Action {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use Action::*;
        let (i, t) = Obj::tagged(v, "type", "internally tagged enum Action", &ACTION_TYPES)?;
        let o = t.known(ACTION_FIELDS[i])?;
        // Arms follow ACTION_TYPES (the round-trip test pins every one).
        Ok(match i {
            0 => Crash {
                node: o.req("node")?,
            },
            1 => Restart {
                node: o.req("node")?,
            },
            2 => Pause {
                node: o.req("node")?,
            },
            3 => Resume {
                node: o.req("node")?,
            },
            4 => SetDrift {
                node: o.req("node")?,
                drift_ppm: o.req("drift_ppm")?,
            },
            5 => Partition {
                groups: o.req("groups")?,
            },
            6 => Isolate {
                node: o.req("node")?,
            },
            7 => Cut {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            8 => Repair {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            9 => Heal,
            10 => SetLink {
                from: o.opt("from")?,
                to: o.opt("to")?,
                latency_us_min: o.opt("latency_us_min")?,
                latency_us_max: o.opt("latency_us_max")?,
                loss_ppm: o.opt("loss_ppm")?,
                duplicate_ppm: o.opt("duplicate_ppm")?,
            },
            11 => DropMessage { id: o.req("id")? },
            12 => DelayMessage {
                id: o.req("id")?,
                delay_us: o.req("delay_us")?,
            },
            13 => DuplicateMessage { id: o.req("id")? },
            14 => HoldMessage { id: o.req("id")? },
            15 => ReleaseMessage { id: o.req("id")? },
            16 => DropNext {
                from: o.opt("from")?,
                to: o.opt("to")?,
                kind: o.opt("kind")?,
                count: o.req("count")?,
            },
            17 => HoldNext {
                from: o.opt("from")?,
                to: o.opt("to")?,
                kind: o.opt("kind")?,
                count: o.req("count")?,
            },
            18 => ReleaseAll,
            19 => ClearRules,
            20 => Put {
                client: o.req("client")?,
                key: o.req("key")?,
                value: o.req("value")?,
                node: o.opt("node")?,
            },
            21 => Get {
                client: o.req("client")?,
                key: o.req("key")?,
                node: o.opt("node")?,
            },
            22 => Append {
                client: o.req("client")?,
                key: o.req("key")?,
                value: o.req("value")?,
                node: o.opt("node")?,
            },
            23 => Cas {
                client: o.req("client")?,
                key: o.req("key")?,
                expected: o.opt("expected")?,
                value: o.req("value")?,
                node: o.opt("node")?,
            },
            24 => SetWorkload {
                enabled: o.opt("enabled")?,
                rate_ops_per_s: o.opt("rate_ops_per_s")?,
                key_count: o.opt("key_count")?,
                mix: o.opt("mix")?,
            },
            25 => Campaign {
                node: o.req("node")?,
            },
            26 => TransferLeader {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            27 => SetReadPath {
                read_path: o.req("read_path")?,
            },
            28 => SetDedup { on: o.req("on")? },
            29 => SetToggle {
                toggle: o.req("toggle")?,
                on: o.req("on")?,
            },
            _ => SetElectionTimeout {
                election_timeout_us_min: o.req("election_timeout_us_min")?,
                election_timeout_us_max: o.req("election_timeout_us_max")?,
            },
        })
    }
}

/// The `type` of each [`Expectation`] variant, in declaration order.
pub const EXPECTATION_TYPES: [&str; 11] = [
    "leader_exists",
    "leaders_at",
    "committed",
    "commit_at_most",
    "key_value",
    "op_outcome",
    "linearizable",
    "not_linearizable",
    "monitor_violated",
    "no_violation",
    "converged",
];

/// The fields of each [`Expectation`] variant besides `type`.
const EXPECTATION_FIELDS: [&[&str]; 11] = [
    &["at_us", "node"],
    &["at_us", "count"],
    &["index", "nodes_min", "at_us"],
    &["node", "index", "at_us"],
    &["key", "value", "nodes_min"],
    &["op", "outcome"],
    NONE,
    NONE,
    &["monitor"],
    NONE,
    &["at_us"],
];

impl FromJson for Expectation {
    fn from_json(v: &Value) -> JsonResult<Self> {
        use Expectation::*;
        let (i, t) = Obj::tagged(
            v,
            "type",
            "internally tagged enum Expectation",
            &EXPECTATION_TYPES,
        )?;
        let o = t.known(EXPECTATION_FIELDS[i])?;
        // Arms follow EXPECTATION_TYPES (the round-trip test pins every one).
        Ok(match i {
            0 => LeaderExists {
                at_us: o.req("at_us")?,
                node: o.opt("node")?,
            },
            1 => LeadersAt {
                at_us: o.req("at_us")?,
                count: o.req("count")?,
            },
            2 => Committed {
                index: o.req("index")?,
                nodes_min: o.req("nodes_min")?,
                at_us: o.opt("at_us")?,
            },
            3 => CommitAtMost {
                node: o.req("node")?,
                index: o.req("index")?,
                at_us: o.opt("at_us")?,
            },
            4 => KeyValue {
                key: o.req("key")?,
                value: o.opt("value")?,
                nodes_min: o.opt("nodes_min")?,
            },
            5 => OpOutcome {
                op: o.req("op")?,
                outcome: o.req("outcome")?,
            },
            6 => Linearizable,
            7 => NotLinearizable,
            8 => MonitorViolated {
                monitor: o.req("monitor")?,
            },
            9 => NoViolation,
            _ => Converged {
                at_us: o.opt("at_us")?,
            },
        })
    }
}

impl FromJson for TimedAction {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct TimedAction", &["at_us", "action"])?;
        Ok(TimedAction {
            at_us: o.req("at_us")?,
            action: o.req("action")?,
        })
    }
}

impl FromJson for Scenario {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct Scenario",
            &[
                "description",
                "seed",
                "config",
                "duration_us",
                "actions",
                "expect",
            ],
        )?;
        Ok(Scenario {
            description: o.or("description", String::new())?,
            seed: o.or("seed", 0)?,
            config: o.or("config", SimConfig::default())?,
            duration_us: o.req("duration_us")?,
            actions: o.or("actions", Vec::new())?,
            expect: o.or("expect", Vec::new())?,
        })
    }
}
