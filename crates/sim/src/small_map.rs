//! The sorted-vector map of the simulator's tables, its KV store and its histories: the
//! checkers' [`check::SmallMap`], shared so that the Wasm module carries one copy.

pub use check::SmallMap;
