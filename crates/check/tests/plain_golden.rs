//! The plain-words explanations of every testdata history, against
//! `testdata/plain-words.golden`. `CHECK_BLESS=1` rewrites the golden file.

use check::{check_history, parse_history, Options};

#[test]
fn plain_words_match_the_golden_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut got = String::new();
    for name in &names {
        let h = parse_history(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        let r = check_history(
            &h,
            &Options {
                all_partitions: true,
                ..Options::default()
            },
        );
        let mut lines = Vec::new();
        for p in &r.linearizability.partitions {
            if let Some(e) = &p.explanation {
                assert!(!e.plain.is_empty(), "{name}: no plain words");
                let sentences = e.plain.matches(". ").count() + 1;
                assert!(sentences <= 3, "{name}: {sentences} sentences: {}", e.plain);
                lines.push(format!("  linearizability: {}", e.plain));
            }
        }
        if let Some(w) = &r.sequential.plain {
            lines.push(format!("  sequential: {w}"));
        }
        if let Some(w) = &r.causal.plain {
            lines.push(format!("  causal: {w}"));
        }
        if !lines.is_empty() {
            got.push_str(&format!("{name}\n{}\n", lines.join("\n")));
        }
    }
    let path = dir.join("plain-words.golden");
    if std::env::var("CHECK_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        got,
        want,
        "plain words changed; CHECK_BLESS=1 rewrites {}",
        path.display()
    );
}
