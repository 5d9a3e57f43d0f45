//! No module cycles: the graph of `crate::` references between a crate's top-level
//! modules has no cycle. A reference is any `crate::x` path outside comments, in a `use`
//! or inline, in the files of module `y` (`src/y.rs` and everything under `src/y/`).
//! A module's own children are part of it; `lib.rs` (the root) is left out, since it
//! declares and re-exports every module.
//!
//! Checked for this crate and the two beside it in the data flow (`raft` below, `check`
//! above), so a cycle cannot come back unnoticed in any of them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module name -> the modules it refers to.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file with `//` comments (doc comments included) removed. String
/// literals are left alone: none in these crates holds `//` before a `crate::` path.
fn code_without_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules named by `crate::x` paths in `code`, `crate::{x, y::z}` groups included.
fn referenced(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `raftlab_crate::`, not `crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_ascii_alphabetic() || c == '_') => {
                        out.insert(ident(&group[k..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// The module graph of the crate whose `src` is `src`.
fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut g = Graph::new();
    for f in files {
        let rel = f.strip_prefix(src).expect("under src");
        let first = rel.components().next().expect("a file");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" || module == "bin" {
            continue;
        }
        let text = fs::read_to_string(&f).expect("readable");
        let refs = referenced(&code_without_comments(&text));
        let edges = g.entry(module.clone()).or_default();
        edges.extend(refs.into_iter().filter(|m| *m != module));
    }
    // Names that are not modules (`crate::SomeType` re-exported at the root) are no edge.
    let modules: BTreeSet<String> = g.keys().cloned().collect();
    for edges in g.values_mut() {
        edges.retain(|m| modules.contains(m));
    }
    g
}

/// Every cycle's modules (each strongly connected set of two or more), by Tarjan's
/// algorithm; empty when the graph is acyclic.
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in &s.g[v] {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut set = Vec::new();
            loop {
                let w = s.stack.pop().expect("on the stack");
                s.on_stack.remove(w);
                set.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if set.len() > 1 {
                set.sort();
                s.found.push(set);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

fn assert_acyclic(crate_dir: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(crate_dir)
        .join("src");
    let g = graph(&src);
    let found = cycles(&g);
    let edges: Vec<String> = g
        .iter()
        .filter(|(m, _)| found.iter().any(|c| c.contains(m)))
        .map(|(m, e)| format!("  {m} -> {e:?}"))
        .collect();
    assert!(
        found.is_empty(),
        "module cycles in {}: {found:?}\nedges:\n{}",
        src.display(),
        edges.join("\n")
    );
}

#[test]
fn the_reference_scanner_reads_paths_groups_and_skips_comments() {
    let code = code_without_comments(
        "use crate::a::B;\nuse crate::{c, d::{E, F}, g};\nlet x = crate::h::f(); // crate::zz\n/// [`crate::yy`]\nraftlab_crate::q",
    );
    let found: Vec<String> = referenced(&code).into_iter().collect();
    assert_eq!(found, ["a", "c", "d", "g", "h"]);
    let mut g = Graph::new();
    for (m, e) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d")] {
        g.entry(m.to_string()).or_default().insert(e.to_string());
        g.entry(e.to_string()).or_default();
    }
    assert_eq!(cycles(&g), [["a", "b", "c"]]);
}

#[test]
fn sim_has_no_module_cycle() {
    assert_acyclic(".");
}

#[test]
fn check_has_no_module_cycle() {
    assert_acyclic("../check");
}

#[test]
fn raft_has_no_module_cycle() {
    assert_acyclic("../raft");
}
