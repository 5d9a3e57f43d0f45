//! Raftlab's deterministic simulator.
pub mod action;
pub mod api;
pub mod campaign;
pub mod clock;
pub mod config;
pub mod history;
pub mod kv;
pub mod monitor;
pub mod scenario;
pub mod trace;
pub mod view;
mod world;

pub use action::{Action, ActionError, RaftToggle};
pub use api::{EventBatch, LoggedAction, World};
pub use config::{ReadPath, SimConfig};
pub use scenario::{run_scenario, Expectation, RunSummary, Scenario, ScenarioError, TimedAction};
pub use world::{ClientRequest, ClientResponse, InFlight, Payload};
