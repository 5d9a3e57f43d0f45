//! The named bounds on what a caller controls: time, work per call, sizes of inputs.
//!
//! Every refusal names the field and the limit and leaves the world unchanged (habit 5:
//! bound everything, visibly). Bounds kept beside their own types are listed in the crate
//! docs (`TRACE_RECORDS_MAX`, `CHECKPOINTS_MAX`, `DRAIN_EVENTS_MAX`, …).
//!
//! | bound | value | refused by |
//! |---|---|---|
//! | [`VIRTUAL_TIME_US_MAX`] | 24 virtual hours | `try_advance`, `try_run_until`, `try_seek`, the budgeted forms, scheduled actions, scenarios |
//! | [`KEY_BYTES_MAX`] | 256 B | client actions (`key`), scenario actions |
//! | [`VALUE_BYTES_MAX`] | 64 KiB | client actions (`value`, `expected`), scenario actions |
//! | [`DESCRIPTION_BYTES_MAX`] | 4 KiB | scenario `description`, `export_scenario` |
//! | [`JSON_TEXT_BYTES_MAX`] | 1 MiB | JSON text of a config, an action, options (before parsing) |
//! | [`SCENARIO_JSON_BYTES_MAX`] | 16 MiB | JSON text of a scenario (before parsing) |
//! | `json::DEPTH_MAX` | 127 levels | JSON nesting, while parsing |
//! | [`QUEUED_OPS_MAX`] | 1,024 | `clients.queued_ops_max` |
//! | [`WORLD_MEMORY_BYTES_MAX`] | 256 MiB (estimated) | forward runs and client actions |
//! | [`SNAPSHOT_THRESHOLD_ENTRIES_MAX`] | 1,000,000 entries | `snapshot_threshold_entries` |
//!
//! Also bounded elsewhere: `scenario::SCENARIO_ACTIONS_MAX` (100,000 actions),
//! `config::NODES_MAX` (9), `config::CLIENTS_MAX` (64), `config::KEY_COUNT_MAX`.

use std::fmt;

/// The longest key of a client operation, bytes (UTF-8).
pub const KEY_BYTES_MAX: usize = 256;
/// The longest value (or `expected` value) of a client operation, bytes (UTF-8).
pub const VALUE_BYTES_MAX: usize = 65_536;
/// The longest scenario description, bytes.
pub const DESCRIPTION_BYTES_MAX: usize = 4_096;
/// The longest JSON text of a config, an action or options; checked before parsing.
pub const JSON_TEXT_BYTES_MAX: usize = 1 << 20;
/// The longest JSON text of a scenario; checked before parsing.
pub const SCENARIO_JSON_BYTES_MAX: usize = 16 << 20;
/// The most manual operations a client may queue (the bound on `clients.queued_ops_max`).
pub const QUEUED_OPS_MAX: u32 = 1_024;
/// The largest snapshot threshold (`snapshot_threshold_entries`, `set_snapshot_threshold`).
/// A snapshot's size is bounded by the KV limits, not by it: at most `KEY_COUNT_MAX` keys of
/// `KEY_BYTES_MAX` bytes with their values, plus one session (client, sequence number and
/// last output) per client (`CLIENTS_MAX`, and the tester's session).
pub const SNAPSHOT_THRESHOLD_ENTRIES_MAX: u64 = 1_000_000;
/// The memory a world may hold by [`MemoryEstimate`]; past it forward runs and client
/// actions are refused (seek back or start a new world). Wasm32 has 4 GiB for every
/// playground on a page; this keeps one world well inside it.
pub const WORLD_MEMORY_BYTES_MAX: u64 = 256 << 20;

/// The size of `text` checked against `max_bytes`; the error names `what`.
pub fn check_text(
    what: &str,
    len_bytes: usize,
    max_bytes: usize,
    limit: &str,
) -> Result<(), String> {
    if len_bytes > max_bytes {
        Err(format!(
            "{what}: {len_bytes} bytes, at most {max_bytes} ({limit})"
        ))
    } else {
        Ok(())
    }
}

/// A running estimate of what a world holds, bytes: each count times a documented size.
/// Cheap (lengths only, no walk); the point is a guard well before Wasm memory runs out,
/// not an exact figure.
///
/// - each log entry (raft log, disk log, chain digest): [`ENTRY_BYTES`];
/// - each recorded operation: [`OPERATION_BYTES`]; each committed index in the monitors:
///   [`COMMITTED_BYTES`]; each message in flight: [`MESSAGE_BYTES`];
/// - client payload (keys and values of operations started): once per node's state
///   machine and once per checkpoint's copy of it (state machines are not shared).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Entries in every raft log and disk log.
    pub log_entries: u64,
    /// Operations in the history.
    pub operations: u64,
    /// Committed indexes the monitors hold.
    pub committed: u64,
    /// Messages in flight.
    pub messages: u64,
    /// Key and value bytes of client operations started.
    pub payload_bytes: u64,
    /// Nodes (state machines).
    pub nodes: u64,
    /// Checkpoints kept.
    pub checkpoints: u64,
}

/// Bytes counted per log entry (an entry in a raft log or a disk log, with its digest).
pub const ENTRY_BYTES: u64 = 64;
/// Bytes counted per recorded operation.
pub const OPERATION_BYTES: u64 = 160;
/// Bytes counted per committed index in the monitors.
pub const COMMITTED_BYTES: u64 = 80;
/// Bytes counted per message in flight.
pub const MESSAGE_BYTES: u64 = 256;

impl MemoryEstimate {
    /// The estimate, bytes.
    pub fn bytes(&self) -> u64 {
        self.log_entries * ENTRY_BYTES
            + self.operations * OPERATION_BYTES
            + self.committed * COMMITTED_BYTES
            + self.messages * MESSAGE_BYTES
            + self.payload_bytes * (self.nodes + 1) * (self.checkpoints + 1)
    }

    /// `Err` past [`WORLD_MEMORY_BYTES_MAX`], naming the limit.
    pub fn check(&self) -> Result<(), LimitError> {
        let bytes = self.bytes();
        if bytes > WORLD_MEMORY_BYTES_MAX {
            Err(LimitError::Memory { bytes })
        } else {
            Ok(())
        }
    }
}

/// The latest virtual time a world may reach: 24 hours, µs. Far beyond any lesson or
/// workload (a busy 5-node world simulates a few hundred virtual seconds per wall second),
/// and a run to it is bounded work.
pub const VIRTUAL_TIME_US_MAX: u64 = 24 * 3_600 * 1_000_000;

/// A run, seek or schedule refused by a bound; the world is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitError {
    /// It would pass [`VIRTUAL_TIME_US_MAX`].
    Time {
        /// The virtual time asked for, µs (saturated at `u64::MAX`).
        target_us: u64,
    },
    /// The world's [`MemoryEstimate`] is past [`WORLD_MEMORY_BYTES_MAX`].
    Memory {
        /// The estimate, bytes.
        bytes: u64,
    },
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitError::Time { target_us } => write!(
                f,
                "virtual time {target_us} µs is past the limit VIRTUAL_TIME_US_MAX = {VIRTUAL_TIME_US_MAX} µs (24 h)"
            ),
            LimitError::Memory { bytes } => write!(
                f,
                "the world holds about {} MiB, past WORLD_MEMORY_BYTES_MAX = {} MiB: seek back or start a new world",
                bytes >> 20,
                WORLD_MEMORY_BYTES_MAX >> 20
            ),
        }
    }
}

impl std::error::Error for LimitError {}

/// `Ok(t)` when `t` is within [`VIRTUAL_TIME_US_MAX`].
pub fn check_time(target_us: u64) -> Result<u64, LimitError> {
    if target_us > VIRTUAL_TIME_US_MAX {
        Err(LimitError::Time { target_us })
    } else {
        Ok(target_us)
    }
}

/// Times beyond this (about 31 years) are refused so sums never overflow and stay < 2^53.
pub const TIME_US_MAX: u64 = 1 << 50;
