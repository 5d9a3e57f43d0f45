//! The vocabularies that name something declared elsewhere agree with it: each teaching
//! toggle is the field of `raft::TeachingToggles` it switches, each KV operation kind is
//! the `op` tag of its `KvOp` and a client action's `type`.

use sim::action::ACTION_TYPES;
use sim::kv::{KvOp, OpKind};
use sim::RaftToggle;

#[test]
fn each_toggle_switches_the_field_it_is_named_after_and_every_field_has_one() {
    let fields = serde_json::to_value(raft::TeachingToggles::default()).unwrap();
    let names: Vec<&str> = fields
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut declared = RaftToggle::NAMES.to_vec();
    declared.sort_unstable();
    let mut names_sorted = names.clone();
    names_sorted.sort_unstable();
    assert_eq!(declared, names_sorted);
    for &t in RaftToggle::ALL {
        let mut toggles = raft::TeachingToggles::default();
        *t.switch(&mut toggles) = true;
        let v = serde_json::to_value(toggles).unwrap();
        for name in &names {
            assert_eq!(v[name], *name == t.name(), "{t:?} sets {name}");
        }
    }
}

#[test]
fn each_op_kind_is_its_ops_tag_and_a_client_action() {
    let ops = [
        KvOp::Put {
            key: "k".into(),
            value: "v".into(),
        },
        KvOp::Get { key: "k".into() },
        KvOp::Append {
            key: "k".into(),
            value: "v".into(),
        },
        KvOp::Cas {
            key: "k".into(),
            expected: None,
            value: "v".into(),
        },
    ];
    assert_eq!(ops.len(), OpKind::ALL.len());
    for (op, &kind) in ops.iter().zip(OpKind::ALL) {
        assert_eq!(op.kind(), kind);
        assert_eq!(serde_json::to_value(op).unwrap()["op"], kind.name());
        assert!(ACTION_TYPES.contains(&kind.name()), "{kind:?}");
    }
}

/// `SCENARIOS.md` lists the vocabularies a scenario author writes; each name must be in it
/// (in backticks), so a new name cannot go undocumented.
#[test]
fn scenarios_md_names_every_word_a_scenario_can_use() {
    let doc = include_str!("../SCENARIOS.md");
    let lists: [(&str, &[&str]); 7] = [
        ("action type", sim::action::ACTION_TYPES),
        ("expectation type", sim::scenario::EXPECTATION_TYPES),
        ("message kind", sim::MsgKind::NAMES),
        ("monitor", sim::monitor::MonitorId::NAMES),
        ("read path", sim::ReadPath::NAMES),
        ("toggle", RaftToggle::NAMES),
        ("outcome", sim::history::Outcome::NAMES),
    ];
    for (what, names) in lists {
        for name in names {
            assert!(
                doc.contains(&format!("`{name}")),
                "SCENARIOS.md does not mention the {what} `{name}`"
            );
        }
    }
}
