//! Small data structures shared by the Raftlab crates, with no dependencies of their own
//! (serde only behind the `serde` feature).
//!
//! - [`SmallMap`]: a map as a vector sorted by key, for the small tables of the checkers
//!   and the simulator (clients, terms, keys, nodes): lookups are a binary search over one
//!   contiguous slice, and a clone (the simulator's timeline clones whole worlds) is one
//!   allocation. `benches/small_map.rs` measures it against `BTreeMap`; the figures are in
//!   the module docs.
//!
//! - [`holes`]: a label's `{hole}`s filled in order (trace lines, explanations).
//!
//! - [`sort`]: one sort routine shared by every caller that is not a hot loop, since each
//!   call of the standard sort carries its own copy of it into the Wasm module.
//!
//! ```
//! use util::SmallMap;
//!
//! let mut m = SmallMap::default();
//! m.insert("k2".to_string(), 2);
//! m.insert("k1".to_string(), 1);
//! assert_eq!(m.get("k1"), Some(&1));
//! assert_eq!(m.keys().collect::<Vec<_>>(), ["k1", "k2"]);
//! ```

pub mod holes;
pub mod small_map;
pub mod sort;

pub use small_map::SmallMap;
