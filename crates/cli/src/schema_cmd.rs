//! `raftlab schema`: the page's vocabularies, generated from their one declaration in Rust
//! (`crates/sim/src/vocab.rs` and the enums declared with it): `web/src/vocab.js` (the
//! option lists, with labels) and `web/src/vocab.d.ts` (a TypeScript union per
//! vocabulary, which `web/src/types.d.ts` re-exports). Both are checked in;
//! `crates/cli/tests/schema.rs` fails while they are stale.
//!
//! Self-contained (no other module of the CLI) so that the test can include this file and
//! compare without starting a process.

use sim::byzantine::ByzantineMode;
use sim::config::{RaftToggle, ReadPath};
use sim::history::Outcome;
use sim::kv::OpKind;
use sim::monitor::{MonitorId, ViolationCase};
use sim::timeline::EventText;
use sim::trace::{Category, DropReason, Marker};
use sim::view::MessageState;
use sim::wire::MsgKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the JavaScript module goes, from the repository root.
pub const JS_PATH: &str = "web/src/vocab.js";
/// Where its declarations go, from the repository root.
pub const DTS_PATH: &str = "web/src/vocab.d.ts";
/// The command that regenerates both, from the repository root.
pub const REGENERATE: &str = "cargo run -p raftlab-cli -- schema --write .";

/// Arguments of `raftlab schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Print the TypeScript declarations (vocab.d.ts) instead of the module (vocab.js).
    #[arg(long)]
    pub dts: bool,
    /// Write both files into this repository root (web/src/vocab.js, web/src/vocab.d.ts)
    /// instead of printing.
    #[arg(long, value_name = "ROOT")]
    pub write: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    match args.write {
        Some(root) => match write(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("raftlab schema: {e}");
                ExitCode::FAILURE
            }
        },
        None => {
            let text = if args.dts { dts() } else { js() };
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}

/// Writes both files under `root`.
pub fn write(root: &Path) -> Result<(), String> {
    for (path, text) in [(JS_PATH, js()), (DTS_PATH, dts())] {
        let p = root.join(path);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}

/// One vocabulary as the page sees it.
struct Vocab {
    /// The TypeScript union's name.
    ts: &'static str,
    /// The JavaScript list's name.
    js: &'static str,
    /// What it is, and the Rust type it comes from.
    doc: &'static str,
    names: &'static [&'static str],
    /// The page's option texts, for the vocabularies the page offers as a choice.
    labels: Option<Vec<&'static str>>,
}

fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Option<Vec<&'static str>> {
    Some(all.iter().map(|&t| label(t)).collect())
}

/// Every vocabulary that crosses the Wasm boundary, in the order of the files.
fn vocabularies() -> Vec<Vocab> {
    vec![
        Vocab {
            ts: "MsgKind",
            js: "MSG_KINDS",
            doc: "Message kinds (sim::wire::MsgKind): Raft's kinds (raft::MessageKind), then client traffic.",
            names: MsgKind::NAMES,
            labels: None,
        },
        Vocab {
            ts: "MessageState",
            js: "MESSAGE_STATES",
            doc: "Where an in-flight message is (sim::view::MessageState): on its way, held by the user, or waiting at a paused node.",
            names: MessageState::NAMES,
            labels: None,
        },
        Vocab {
            ts: "MonitorId",
            js: "MONITORS",
            doc: "The safety monitors (sim::monitor::MonitorId), in report order.",
            names: MonitorId::NAMES,
            labels: None,
        },
        Vocab {
            ts: "TraceCategory",
            js: "TRACE_CATEGORIES",
            doc: "What a trace line is about (sim::trace::Category): a node event is `role` for a role change, `commit` for a commit advance, else `node`.",
            names: Category::NAMES,
            labels: None,
        },
        Vocab {
            ts: "TraceMarker",
            js: "TRACE_MARKERS",
            doc: "Moments the timeline marks (sim::trace::Marker): a node became leader, a user or scenario action, a safety monitor fired, a client operation failed or timed out.",
            names: Marker::NAMES,
            labels: None,
        },
        Vocab {
            ts: "DropReason",
            js: "DROP_REASONS",
            doc: "Why a message did not arrive (sim::trace::DropReason); the label is its text in trace lines.",
            names: DropReason::NAMES,
            labels: labels(DropReason::ALL, DropReason::label),
        },
        Vocab {
            ts: "RaftToggle",
            js: "RAFT_TOGGLES",
            doc: "Raft teaching toggles (sim::config::RaftToggle), one per field of raft::TeachingToggles. Switched on a running world, a toggle reaches every live node at once.",
            names: RaftToggle::NAMES,
            labels: labels(RaftToggle::ALL, RaftToggle::label),
        },
        Vocab {
            ts: "ByzantineMode",
            js: "BYZANTINE_MODES",
            doc: "How a lying node lies (sim::byzantine::ByzantineMode), the `mode` of `set_byzantine`.",
            names: ByzantineMode::NAMES,
            labels: labels(ByzantineMode::ALL, ByzantineMode::label),
        },
        Vocab {
            ts: "ReadPath",
            js: "READ_PATHS",
            doc: "How clients read (sim::config::ReadPath).",
            names: ReadPath::NAMES,
            labels: labels(ReadPath::ALL, ReadPath::label),
        },
        Vocab {
            ts: "OpKind",
            js: "OP_KINDS",
            doc: "Client operations (sim::kv::OpKind): a history operation's `op`, and the `type` of the client actions.",
            names: OpKind::NAMES,
            labels: None,
        },
        Vocab {
            ts: "Outcome",
            js: "OUTCOMES",
            doc: "How a client operation ended (sim::history::Outcome).",
            names: Outcome::NAMES,
            labels: None,
        },
        Vocab {
            ts: "EventText",
            js: "EVENT_TEXTS",
            doc: "Which lines of an `events()` batch carry their text (sim::timeline::EventText).",
            names: EventText::NAMES,
            labels: None,
        },
        Vocab {
            ts: "ActionType",
            js: "ACTION_TYPES",
            doc: "The `type` of each user action (sim::action::Action).",
            names: sim::action::ACTION_TYPES,
            labels: None,
        },
        Vocab {
            ts: "FaultActionType",
            js: "FAULT_ACTION_TYPES",
            doc: "The `type`s of the actions that are faults (sim::action::FAULT_ACTION_TYPES): the trace marks them `fault`, any other action `action`.",
            names: sim::action::FAULT_ACTION_TYPES,
            labels: None,
        },
        Vocab {
            ts: "RaftActionType",
            js: "RAFT_ACTION_TYPES",
            doc: "The `type`s of the actions that act on Raft itself (sim::action::RAFT_ACTION_TYPES): a world running the AP store refuses them.",
            names: sim::action::RAFT_ACTION_TYPES,
            labels: None,
        },
        Vocab {
            ts: "ExpectationType",
            js: "EXPECTATION_TYPES",
            doc: "The `type` of each scenario expectation (sim::scenario::Expectation).",
            names: sim::scenario::EXPECTATION_TYPES,
            labels: None,
        },
        Vocab {
            ts: "ViolationCase",
            js: "VIOLATION_CASES",
            doc: "How a monitor was broken (sim::monitor::ViolationCase): a violation's `case`; each label is its English sentence, with `{hole}`s named by its `params`.",
            names: ViolationCase::NAMES,
            labels: labels(ViolationCase::ALL, ViolationCase::label),
        },
        Vocab {
            ts: "ObservedCase",
            js: "OBSERVED_CASES",
            doc: "What a scenario expectation observed (sim::runner::ObservedCase): an expectation result's `observed_case`; each label is its English text, with `{hole}`s filled in order from its `observed_params`.",
            names: sim::runner::ObservedCase::NAMES,
            labels: labels(sim::runner::ObservedCase::ALL, sim::runner::ObservedCase::label),
        },
        Vocab {
            ts: "TraceLineCase",
            js: "TRACE_LINE_CASES",
            doc: "What a trace line says (sim::trace::LineCase): a trace line's `case`; each label is its English text, with `{hole}`s filled in order from its `params`.",
            names: sim::trace::LineCase::NAMES,
            labels: labels(sim::trace::LineCase::ALL, sim::trace::LineCase::label),
        },
        Vocab {
            ts: "WhyCase",
            js: "WHY_CASES",
            doc: "Why a log entry is (not) committed (sim::entry_status::WhyCase): an entry status's `case`; each label is its English sentence, `{on}` from its `on` case, the other `{hole}`s from its `params`.",
            names: sim::entry_status::WhyCase::NAMES,
            labels: labels(sim::entry_status::WhyCase::ALL, sim::entry_status::WhyCase::label),
        },
        Vocab {
            ts: "OnCase",
            js: "ON_CASES",
            doc: "How many voters hold an entry (sim::entry_status::OnCase): the `{on}` hole of an entry status's sentence.",
            names: sim::entry_status::OnCase::NAMES,
            labels: labels(sim::entry_status::OnCase::ALL, sim::entry_status::OnCase::label),
        },
        Vocab {
            ts: "WordCase",
            js: "WORD_CASES",
            doc: "What a checker explanation (or a part of one) says (check::WordCase): a `Words`' `case`; each label is its English text, with `{hole}`s filled in order from its `params`.",
            names: check::WordCase::NAMES,
            labels: labels(check::WordCase::ALL, check::WordCase::label),
        },
        Vocab {
            ts: "LadderRung",
            js: "LADDER_RUNGS",
            doc: "The consistency-model ladder's rungs, strongest first (check::LADDER_RUNGS): each rung's `name`.",
            names: &check::LADDER_RUNGS,
            labels: None,
        },
        Vocab {
            ts: "SessionGuarantee",
            js: "SESSION_GUARANTEES",
            doc: "The session guarantees (check::SESSION_GUARANTEES): each guarantee's `name`.",
            names: &check::SESSION_GUARANTEES,
            labels: None,
        },
        Vocab {
            ts: "ReasonCode",
            js: "REASON_CODES",
            doc: "Why a grade did not pass (sim::grade::ReasonCode): the `code` of each of its `failures`.",
            names: sim::grade::ReasonCode::NAMES,
            labels: None,
        },
    ]
}

const HEADER: &str = "// Generated by `raftlab schema` from the vocabularies declared once in Rust
// (crates/sim/src/vocab.rs). Do not edit: regenerate with
//   ";

/// Widest line Biome (the project's formatter) leaves alone.
const LINE_MAX: usize = 100;

/// `"text"`, escaped as JSON (which JavaScript reads the same).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// `/** text */`, wrapped at [`LINE_MAX`].
fn doc_comment(text: &str) -> String {
    let mut lines = vec![String::from("/**")];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("a first line");
        if last.len() + 1 + word.len() > LINE_MAX - 3 {
            lines.push(format!(" * {word}"));
        } else {
            last.push(' ');
            last.push_str(word);
        }
    }
    let mut out = lines.join("\n");
    out.push_str(" */\n");
    out
}

/// `export const NAME = [...];` as Biome formats it: one line when it fits and holds no
/// objects, else one item per line with a trailing comma.
fn js_const(name: &str, items: &[String], objects: bool) -> String {
    let one = format!("export const {name} = [{}];\n", items.join(", "));
    if !objects && one.len() <= LINE_MAX + 1 {
        return one;
    }
    let mut out = format!("export const {name} = [\n");
    for item in items {
        out.push_str(&format!("  {item},\n"));
    }
    out.push_str("];\n");
    out
}

/// `{ name: "x", label: "…" }`, or, where that line would pass [`LINE_MAX`], one field a
/// line (and a label too long for its line on a line of its own), as Biome writes them.
fn labelled(name: &str, label: &str) -> String {
    let (n, l) = (quoted(name), quoted(label));
    let one = format!("{{ name: {n}, label: {l} }}");
    if one.len() + "  ,".len() <= LINE_MAX {
        return one;
    }
    let label_line = if format!("    label: {l},").len() <= LINE_MAX {
        format!("    label: {l},")
    } else {
        format!("    label:\n      {l},")
    };
    format!("{{\n    name: {n},\n{label_line}\n  }}")
}

/// The JavaScript module: one list per vocabulary, `{ name, label }` objects where the
/// page offers a choice.
pub fn js() -> String {
    let mut out = format!("{HEADER}{REGENERATE}\n");
    for v in vocabularies() {
        out.push('\n');
        out.push_str(&doc_comment(v.doc));
        let items: Vec<String> = match &v.labels {
            Some(labels) => (v.names.iter().zip(labels))
                .map(|(n, l)| labelled(n, l))
                .collect(),
            None => v.names.iter().map(|n| quoted(n)).collect(),
        };
        out.push_str(&js_const(v.js, &items, v.labels.is_some()));
    }
    out
}

/// The declarations: a union per vocabulary and the type of each list.
pub fn dts() -> String {
    let mut out = format!("{HEADER}{REGENERATE}\n");
    out.push_str(
        "\n/** A choice the page offers: the JSON name and its option text. */\n\
         export interface Labelled<N extends string> {\n  readonly name: N;\n  readonly label: string;\n}\n",
    );
    for v in vocabularies() {
        out.push('\n');
        out.push_str(&doc_comment(v.doc));
        out.push_str(&format!("export type {} =\n", v.ts));
        for n in v.names {
            out.push_str(&format!("  | {}\n", quoted(n)));
        }
        out.pop();
        out.push_str(";\n");
        let item = match v.labels {
            Some(_) => format!("Labelled<{}>", v.ts),
            None => v.ts.to_string(),
        };
        out.push_str(&format!(
            "export declare const {}: readonly {item}[];\n",
            v.js
        ));
    }
    out
}
