//! World configuration: cluster size, timing, protocol options, read path, teaching toggles,
//! network defaults and clients. Validated once, with errors naming the field.

use crate::json::{FromJson, JsonResult, Obj, Value};
use crate::vocab::vocab;
use raft::TeachingToggles;
use serde::Serialize;
use std::fmt;

/// The largest cluster the simulator hosts.
pub const NODES_MAX: u32 = 9;
/// The most clients a world hosts.
pub const CLIENTS_MAX: u32 = 64;
/// The most keys the workload uses: each node's KV map is a sorted vector, where a new key
/// moves the ones after it.
pub const KEY_COUNT_MAX: u32 = 10_000;
/// The largest clock drift rate a node may have, parts per million (±50 %).
pub const DRIFT_PPM_MAX: i32 = 500_000;
/// One million: the denominator of every parts-per-million quantity.
pub const PPM: u64 = 1_000_000;

vocab! {
    /// How clients read.
    #[derive(Default, PartialOrd, Ord)]
    pub enum ReadPath {
        /// A `get` command goes through the log like a write (linearizable, slowest).
        #[default]
        Log = "log" / "through the log",
        /// ReadIndex on the leader (linearizable).
        ReadIndex = "read_index" / "ReadIndex",
        /// Leader lease (linearizable only while clock drift stays within
        /// `lease_clock_drift_us_max`).
        Lease = "lease" / "leader lease",
        /// Any replica answers from its local state at once (not linearizable).
        Stale = "stale" / "any replica (stale)",
    }
    impl Serialize;
}

vocab! {
    /// A Raft teaching toggle: one switch of [`raft::TeachingToggles`], named as its field
    /// (a test pins names against fields). Switched on a running world, it reaches every
    /// live node at once.
    #[derive(PartialOrd, Ord)]
    pub enum RaftToggle {
        /// Grant votes without the up-to-date log check (§5.4.1).
        VoteWithoutLogCheck = "vote_without_log_check"
            / "Grant votes without the up-to-date log check",
        /// Commit earlier-term entries by counting replicas (Figure 8).
        CommitOldTermsByCounting = "commit_old_terms_by_counting"
            / "Commit old-term entries by counting replicas",
        /// Forget the vote on restart (§5.2).
        ForgetVoteOnRestart = "forget_vote_on_restart"
            / "Forget the vote on restart (not persisted)",
        /// No no-op entry on election (§8).
        SkipNoopOnElection = "skip_noop_on_election" / "No no-op entry on election",
        /// Change membership before committing an entry of the leader's own term (the
        /// 2015 single-server change bug, §4.1).
        ChangeMembershipBeforeOwnTermCommit = "change_membership_before_own_term_commit"
            / "Reconfigure before own-term commit",
    }
    impl Serialize;
}

impl RaftToggle {
    /// The switch this toggle names in `t`.
    pub fn switch(self, t: &mut TeachingToggles) -> &mut bool {
        match self {
            RaftToggle::VoteWithoutLogCheck => &mut t.vote_without_log_check,
            RaftToggle::CommitOldTermsByCounting => &mut t.commit_old_terms_by_counting,
            RaftToggle::ForgetVoteOnRestart => &mut t.forget_vote_on_restart,
            RaftToggle::SkipNoopOnElection => &mut t.skip_noop_on_election,
            RaftToggle::ChangeMembershipBeforeOwnTermCommit => {
                &mut t.change_membership_before_own_term_commit
            }
        }
    }
}

/// The behaviour of one directed link between two nodes.
///
/// Latency is drawn uniformly from `latency_us_min..=latency_us_max` (integer draw); a
/// message is lost with probability `loss_ppm / 10^6` and duplicated (a second copy with its
/// own latency) with probability `duplicate_ppm / 10^6`. Reordering follows from the jitter
/// (two messages overtake each other when their draws differ by more than their send
/// times); on top of it, with probability `reorder_ppm / 10^6` a message is held back by one
/// more `latency_us_max`, so that what is sent after it within that time overtakes it, even
/// on a link without jitter (`latency_us_min == latency_us_max`: FIFO otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LinkConfig {
    /// Messages pass (true) or are dropped (false).
    pub up: bool,
    /// Smallest one-way latency, µs.
    pub latency_us_min: u64,
    /// Largest one-way latency, µs.
    pub latency_us_max: u64,
    /// Loss probability, parts per million.
    pub loss_ppm: u32,
    /// Duplication probability, parts per million.
    pub duplicate_ppm: u32,
    /// Probability, parts per million, that a message is held back by one more
    /// `latency_us_max` (reordering). 0 (the default) draws nothing, so worlds without it
    /// run exactly as before it existed; left out of JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub reorder_ppm: u32,
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            up: true,
            latency_us_min: 1_000,
            latency_us_max: 5_000,
            loss_ppm: 0,
            duplicate_ppm: 0,
            reorder_ppm: 0,
        }
    }
}

/// Relative weights of the operations of the automatic workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OpMix {
    /// Weight of `put`.
    pub put: u32,
    /// Weight of `get`.
    pub get: u32,
    /// Weight of `append`.
    pub append: u32,
    /// Weight of `cas`.
    pub cas: u32,
}

impl Default for OpMix {
    fn default() -> Self {
        OpMix {
            put: 30,
            get: 40,
            append: 20,
            cas: 10,
        }
    }
}

impl OpMix {
    /// The sum of the weights.
    pub fn total(&self) -> u64 {
        u64::from(self.put) + u64::from(self.get) + u64::from(self.append) + u64::from(self.cas)
    }
}

/// The automatic client workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WorkloadConfig {
    /// Clients issue operations on their own.
    pub enabled: bool,
    /// Operations per second per client (think time is uniform in `[T/2, 3T/2)` with
    /// `T = 10^6 / rate` µs, counted from the previous completion).
    pub rate_ops_per_s: u32,
    /// Keys are `k0 .. k{key_count-1}`; 1 ..= [`KEY_COUNT_MAX`].
    pub key_count: u32,
    /// The operation mix.
    pub mix: OpMix,
}

impl Default for WorkloadConfig {
    fn default() -> Self {
        WorkloadConfig {
            enabled: false,
            rate_ops_per_s: 10,
            key_count: 3,
            mix: OpMix::default(),
        }
    }
}

/// Clients: how many, and how they retry. Client↔node messages travel the simulated
/// network with this latency; server partitions and link settings do not affect them
/// (clients sit outside the partitioned network), but a crashed node loses them, a paused
/// node holds them, and message actions (drop, delay, hold, ...) apply to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ClientConfig {
    /// Number of clients, ids `1..=count`.
    pub count: u32,
    /// A client retries (same sequence number, next node) after this long without answer.
    pub timeout_us: u64,
    /// Attempts per operation (redirects included) before the client gives up; the
    /// outcome is then `unknown` for writes (and `failed` for reads, which change nothing).
    pub attempts_max: u32,
    /// Smallest client↔node latency, µs.
    pub latency_us_min: u64,
    /// Largest client↔node latency, µs.
    pub latency_us_max: u64,
    /// At most this many manual operations wait behind a client's outstanding one.
    pub queued_ops_max: u32,
    /// Each client stays on its home node's side of a partition, as a client inside one
    /// part of a split network does: client `c`'s home is node `(c - 1) mod n + 1`, and
    /// it sends only to its home and to nodes the home's links reach (leader hints and
    /// retries to others are skipped). Off by default (left out of JSON): clients reach
    /// every node.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub home_side_only: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            count: 2,
            timeout_us: 500_000,
            attempts_max: 10,
            latency_us_min: 500,
            latency_us_max: 2_000,
            queued_ops_max: 16,
            home_side_only: false,
        }
    }
}

/// Everything that defines a world besides its seed and its actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SimConfig {
    /// Number of nodes, ids `1..=node_count` (1 to 9).
    pub node_count: u32,
    /// Randomized election timeouts are drawn uniformly from
    /// `[election_timeout_us_min, election_timeout_us_max)` (node-local µs).
    pub election_timeout_us_min: u64,
    /// See `election_timeout_us_min`.
    pub election_timeout_us_max: u64,
    /// Leader heartbeat period (node-local µs).
    pub heartbeat_interval_us: u64,
    /// PreVote (§9.6).
    pub pre_vote: bool,
    /// CheckQuorum (§6.2).
    pub check_quorum: bool,
    /// How reads are served.
    pub read_path: ReadPath,
    /// Lease shortening for clock drift (lease reads).
    pub lease_clock_drift_us_max: u64,
    /// At most this many entries per AppendEntries.
    pub entries_per_msg_max: u32,
    /// At most this many AppendEntries in flight per follower.
    pub inflight_msgs_max: u32,
    /// Raft rules switched off for teaching.
    pub toggles: raft::TeachingToggles,
    /// The KV state machine de-duplicates retried commands by client session (switch off to
    /// see double-applied appends).
    pub kv_dedup: bool,
    /// Default behaviour of every node-to-node link.
    pub network: LinkConfig,
    /// At most this many messages in flight on one directed node-to-node link; a message
    /// sent beyond it is dropped with a `link_overflow` trace event.
    pub link_inflight_msgs_max: u32,
    /// Clients.
    pub clients: ClientConfig,
    /// Automatic workload.
    pub workload: WorkloadConfig,
    /// Initial clock drift per node in ppm (index 0 is node 1); missing entries are 0.
    pub drift_ppm: Vec<i32>,
    /// Each node snapshots its KV state machine and compacts its log once this many
    /// entries have been applied since its last snapshot (`raft::Config`'s threshold); 0
    /// (the default) never does, and is left out of JSON so worlds without snapshots
    /// serialize as before. At most `limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX`.
    #[serde(skip_serializing_if = "is_zero_u64")]
    pub snapshot_threshold_entries: u64,
    /// The protocol the nodes run: absent (the default, left out of JSON) for Raft; the
    /// AP store's settings for the AP store ([`crate::ap`]), which ignores the Raft
    /// settings above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ap: Option<crate::ap::ApConfig>,
}

fn is_zero_u64(v: &u64) -> bool {
    *v == 0
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            node_count: 5,
            election_timeout_us_min: 150_000,
            election_timeout_us_max: 300_000,
            heartbeat_interval_us: 50_000,
            pre_vote: true,
            check_quorum: true,
            read_path: ReadPath::Log,
            lease_clock_drift_us_max: 15_000,
            entries_per_msg_max: 64,
            inflight_msgs_max: 16,
            toggles: raft::TeachingToggles::default(),
            kv_dedup: true,
            network: LinkConfig::default(),
            link_inflight_msgs_max: 1_024,
            clients: ClientConfig::default(),
            workload: WorkloadConfig::default(),
            drift_ppm: Vec::new(),
            snapshot_threshold_entries: 0,
            ap: None,
        }
    }
}

/// A configuration value that cannot work, naming the field (`clients.timeout_us`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted path of the field.
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn bad<T>(field: &str, problem: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError {
        field: field.to_string(),
        problem: problem.into(),
    })
}

pub use crate::limits::TIME_US_MAX;

impl LinkConfig {
    /// Checks latency bounds and probabilities; `prefix` names the field's parent.
    pub fn validate(&self, prefix: &str) -> Result<(), ConfigError> {
        if self.latency_us_min > self.latency_us_max {
            return bad(
                &format!("{prefix}latency_us_min"),
                format!(
                    "must not exceed latency_us_max ({} > {})",
                    self.latency_us_min, self.latency_us_max
                ),
            );
        }
        if self.latency_us_max > TIME_US_MAX {
            return bad(&format!("{prefix}latency_us_max"), "too large");
        }
        if u64::from(self.loss_ppm) > PPM {
            return bad(&format!("{prefix}loss_ppm"), "must be at most 1000000");
        }
        if u64::from(self.duplicate_ppm) > PPM {
            return bad(&format!("{prefix}duplicate_ppm"), "must be at most 1000000");
        }
        if u64::from(self.reorder_ppm) > PPM {
            return bad(&format!("{prefix}reorder_ppm"), "must be at most 1000000");
        }
        Ok(())
    }
}

impl SimConfig {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.node_count == 0 || self.node_count > NODES_MAX {
            return bad(
                "node_count",
                format!("must be 1..={NODES_MAX}, got {}", self.node_count),
            );
        }
        if self.election_timeout_us_min >= self.election_timeout_us_max {
            return bad(
                "election_timeout_us_max",
                format!(
                    "must exceed election_timeout_us_min ({} <= {})",
                    self.election_timeout_us_max, self.election_timeout_us_min
                ),
            );
        }
        if self.election_timeout_us_max > TIME_US_MAX {
            return bad("election_timeout_us_max", "too large");
        }
        if self.entries_per_msg_max == 0 {
            return bad("entries_per_msg_max", "must be at least 1");
        }
        if self.snapshot_threshold_entries > crate::limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX {
            return bad(
                "snapshot_threshold_entries",
                format!(
                    "must be at most {} (SNAPSHOT_THRESHOLD_ENTRIES_MAX), got {}",
                    crate::limits::SNAPSHOT_THRESHOLD_ENTRIES_MAX,
                    self.snapshot_threshold_entries
                ),
            );
        }
        if self.link_inflight_msgs_max == 0 {
            return bad("link_inflight_msgs_max", "must be at least 1");
        }
        self.raft_config()
            .validate()
            .or_else(|e| bad(e.field, e.problem))?;
        self.network.validate("network.")?;
        let c = &self.clients;
        if c.count > CLIENTS_MAX {
            return bad(
                "clients.count",
                format!("must be at most {CLIENTS_MAX}, got {}", c.count),
            );
        }
        if c.queued_ops_max > crate::limits::QUEUED_OPS_MAX {
            return bad(
                "clients.queued_ops_max",
                format!(
                    "must be at most {} (QUEUED_OPS_MAX), got {}",
                    crate::limits::QUEUED_OPS_MAX,
                    c.queued_ops_max
                ),
            );
        }
        if c.timeout_us == 0 || c.timeout_us > TIME_US_MAX {
            return bad("clients.timeout_us", "must be positive and below 2^50");
        }
        if c.attempts_max == 0 {
            return bad("clients.attempts_max", "must be at least 1");
        }
        if c.latency_us_min > c.latency_us_max {
            return bad(
                "clients.latency_us_min",
                "must not exceed clients.latency_us_max",
            );
        }
        if c.latency_us_max > TIME_US_MAX {
            return bad("clients.latency_us_max", "too large");
        }
        let w = &self.workload;
        if w.enabled && w.rate_ops_per_s == 0 {
            return bad("workload.rate_ops_per_s", "must be positive when enabled");
        }
        if w.rate_ops_per_s > 1_000_000 {
            return bad("workload.rate_ops_per_s", "must be at most 1000000");
        }
        if w.key_count == 0 {
            return bad("workload.key_count", "must be at least 1");
        }
        if w.key_count > KEY_COUNT_MAX {
            return bad(
                "workload.key_count",
                format!("must be at most {KEY_COUNT_MAX}, got {}", w.key_count),
            );
        }
        if w.mix.total() == 0 {
            return bad("workload.mix", "at least one weight must be positive");
        }
        if self.drift_ppm.len() > self.node_count as usize {
            return bad(
                "drift_ppm",
                format!(
                    "has {} entries for {} nodes",
                    self.drift_ppm.len(),
                    self.node_count
                ),
            );
        }
        for (i, d) in self.drift_ppm.iter().enumerate() {
            if d.unsigned_abs() > DRIFT_PPM_MAX as u32 {
                return bad(
                    &format!("drift_ppm[{i}]"),
                    format!("must be within ±{DRIFT_PPM_MAX}, got {d}"),
                );
            }
        }
        if self.ap.is_some() && !cfg!(feature = "ap") {
            return bad(
                "ap",
                "this build runs Raft only (the AP store is the simulator's `ap` feature)",
            );
        }
        if let Some(ap) = &self.ap {
            ap.validate(self.node_count)
                .or_else(|(field, problem)| bad(&format!("ap.{field}"), problem))?;
        }
        Ok(())
    }

    /// The protocol configuration handed to every node.
    pub fn raft_config(&self) -> raft::Config {
        raft::Config {
            election_timeout_us_min: self.election_timeout_us_min,
            heartbeat_interval_us: self.heartbeat_interval_us,
            pre_vote: self.pre_vote,
            check_quorum: self.check_quorum,
            read_mode: if self.read_path == ReadPath::Lease {
                raft::ReadMode::Lease
            } else {
                raft::ReadMode::ReadIndex
            },
            lease_clock_drift_us_max: self.lease_clock_drift_us_max,
            entries_per_msg_max: self.entries_per_msg_max as usize,
            inflight_msgs_max: self.inflight_msgs_max as usize,
            toggles: self.toggles,
            snapshot_threshold_entries: self.snapshot_threshold_entries,
            // Membership is not a simulator setting: the core's defaults.
            ..raft::Config::default()
        }
    }

    /// The largest drift rate (ppm) under which lease reads stay safe with this
    /// configuration, with a 10 % margin: `bound / (2 · election_timeout_min)`.
    pub fn lease_safe_drift_ppm(&self) -> i32 {
        let d = self.lease_clock_drift_us_max * PPM / (2 * self.election_timeout_us_min.max(1));
        (d * 9 / 10).min(DRIFT_PPM_MAX as u64) as i32
    }
}

// ---- read from JSON: the `Serialize` form, defaults for the fields documented as such, unknown fields refused (see `json.rs`) ----

/// One boolean per [`RaftToggle`], each `false` when absent.
impl FromJson for TeachingToggles {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(v, "struct TeachingToggles", RaftToggle::NAMES)?;
        let mut t = TeachingToggles::default();
        for &toggle in RaftToggle::ALL {
            *toggle.switch(&mut t) = o.or(toggle.name(), false)?;
        }
        Ok(t)
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
                "reorder_ppm",
            ],
        )?;
        let d = LinkConfig::default();
        Ok(LinkConfig {
            up: o.or("up", d.up)?,
            latency_us_min: o.or("latency_us_min", d.latency_us_min)?,
            latency_us_max: o.or("latency_us_max", d.latency_us_max)?,
            loss_ppm: o.or("loss_ppm", d.loss_ppm)?,
            duplicate_ppm: o.or("duplicate_ppm", d.duplicate_ppm)?,
            reorder_ppm: o.or("reorder_ppm", d.reorder_ppm)?,
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
                "home_side_only",
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
            home_side_only: o.or("home_side_only", d.home_side_only)?,
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
                "snapshot_threshold_entries",
                "ap",
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
            snapshot_threshold_entries: o
                .or("snapshot_threshold_entries", d.snapshot_threshold_entries)?,
            ap: o.opt("ap")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_count_is_bounded_because_a_new_key_moves_the_sorted_map() {
        let mut c = SimConfig::default();
        c.workload.key_count = KEY_COUNT_MAX;
        assert_eq!(c.validate(), Ok(()));
        c.workload.key_count = KEY_COUNT_MAX + 1;
        let e = c.validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "workload.key_count: must be at most 10000, got 10001"
        );
    }
}
