//! An available (AP) replicated key-value store, Dynamo-style, for showing beside Raft
//! what the other side of CAP looks like.
//!
//! Leaderless: every one of the N replicas holds every key, and any replica a client
//! reaches coordinates its operation.
//!
//! - **Writes** (`put`, `append`, `cas`): the coordinator computes the new value from its
//!   own copy, stamps it ([`Stamp`]: its local clock raised above every stamp it has seen,
//!   then its id), stores it, sends it to the other replicas and answers once `W` replicas
//!   (itself included) hold it. `append` and `cas` read only the coordinator's copy, so
//!   they are not atomic across replicas: two concurrent appends can lose one.
//! - **Reads** (`get`): the coordinator asks every other replica and answers with the
//!   newest version among the first `R` replies (its own included).
//! - **Conflicts** are settled by last-writer-wins on the stamp, not by version vectors
//!   with siblings. Last-writer-wins is the default of the widely used Dynamo-style stores
//!   (Cassandra, Riak's default bucket type before 2.0), it keeps the client interface the
//!   same as Raft's (one value per key, so one history checker judges both sides), and
//!   what it costs, a concurrent write silently lost, is what the checker then shows.
//! - **Convergence:** read repair (a replica that answered a read with an older version is
//!   sent the newer one, also when its reply came after the answer) and anti-entropy
//!   (every `anti_entropy_interval_us` a replica sends its whole store to the next other
//!   replica in turn, which merges it and sends back what it held newer). After a heal,
//!   with anti-entropy on, every replica converges to the same versions.
//! - **Availability:** with `W = R = 1` every operation succeeds on either side of any
//!   partition. With `W + R > N` a read quorum overlaps every write quorum, but a replica
//!   cut off from the others cannot gather one: its clients time out. Quorums do not make
//!   the store linearizable (reads and writes still race; last-writer-wins drops writes).
//! - **Time:** a request whose quorum has not answered within `request_timeout_us` is
//!   dropped unanswered; the client's own timeout then marks its outcome unknown (a write
//!   may still spread: it is stored at the coordinator).
//! - **Persistence:** the store and the highest stamp seen ([`Durable`]) survive a crash;
//!   requests being coordinated do not.
//!
//! Bounds: [`PENDING_REQUESTS_MAX`] requests coordinated at once per replica; the store
//! holds one version per key written, and a `Sync` carries the whole store.

mod message;
mod replica;
mod version;

pub use message::{ApKind, ApMessage};
pub use replica::{Answer, Durable, Output, Replica, PENDING_REQUESTS_MAX};
pub use version::{supersedes, Stamp, Versioned};

use crate::json::{FromJson, JsonResult, Obj, Value};
use serde::Serialize;

/// The AP store's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ApConfig {
    /// Replicas that must hold a write before it is answered (`W`), the coordinator
    /// included: 1..=N.
    pub write_quorum: u32,
    /// Replies a read waits for (`R`), the coordinator's own included: 1..=N.
    pub read_quorum: u32,
    /// How long a coordinator waits for its quorum before dropping the request, local µs.
    pub request_timeout_us: u64,
    /// How often each replica starts an anti-entropy exchange, local µs; 0 turns
    /// anti-entropy off.
    pub anti_entropy_interval_us: u64,
}

impl Default for ApConfig {
    /// Always available: `W = R = 1`, anti-entropy every 200 ms.
    fn default() -> Self {
        ApConfig {
            write_quorum: 1,
            read_quorum: 1,
            request_timeout_us: 100_000,
            anti_entropy_interval_us: 200_000,
        }
    }
}

impl ApConfig {
    /// Checks the settings for `replicas` replicas; the error is the field (within `ap`)
    /// and the problem.
    pub fn validate(&self, replicas: u32) -> Result<(), (&'static str, String)> {
        for (field, q) in [
            ("write_quorum", self.write_quorum),
            ("read_quorum", self.read_quorum),
        ] {
            if q == 0 || q > replicas {
                return Err((
                    field,
                    format!("must be 1..={replicas} (the replicas), got {q}"),
                ));
            }
        }
        let max = crate::limits::TIME_US_MAX;
        if self.request_timeout_us == 0 || self.request_timeout_us > max {
            return Err((
                "request_timeout_us",
                "must be positive and below 2^50".into(),
            ));
        }
        if self.anti_entropy_interval_us > max {
            return Err(("anti_entropy_interval_us", "must be below 2^50".into()));
        }
        Ok(())
    }

    /// Whether every read quorum overlaps every write quorum (`W + R > N`).
    pub fn quorums_overlap(&self, replicas: u32) -> bool {
        self.write_quorum + self.read_quorum > replicas
    }
}

/// Fields left out take their defaults; unknown fields are refused.
impl FromJson for ApConfig {
    fn from_json(v: &Value) -> JsonResult<Self> {
        let o = Obj::new(
            v,
            "struct ApConfig",
            &[
                "write_quorum",
                "read_quorum",
                "request_timeout_us",
                "anti_entropy_interval_us",
            ],
        )?;
        let d = ApConfig::default();
        Ok(ApConfig {
            write_quorum: o.or("write_quorum", d.write_quorum)?,
            read_quorum: o.or("read_quorum", d.read_quorum)?,
            request_timeout_us: o.or("request_timeout_us", d.request_timeout_us)?,
            anti_entropy_interval_us: o
                .or("anti_entropy_interval_us", d.anti_entropy_interval_us)?,
        })
    }
}

#[cfg(test)]
mod tests;
