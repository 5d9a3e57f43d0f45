//! The checked-in `web/src/vocab.js` and `web/src/vocab.d.ts` are what `raftlab schema`
//! generates from the Rust vocabularies now. With `RAFTLAB_BLESS=1` the test rewrites them.

#[path = "../src/schema_cmd.rs"]
#[allow(dead_code)]
mod schema_cmd;

use std::path::Path;

#[test]
fn checked_in_vocabularies_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if std::env::var_os("RAFTLAB_BLESS").is_some_and(|v| v == "1") {
        schema_cmd::write(&root).unwrap();
    }
    for (path, text) in [
        (schema_cmd::JS_PATH, schema_cmd::js()),
        (schema_cmd::DTS_PATH, schema_cmd::dts()),
    ] {
        let on_disk = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(
            on_disk == text,
            "{path} is stale: a vocabulary changed in Rust. Regenerate it with `{}` \
             (or RAFTLAB_BLESS=1 cargo test -p raftlab-cli --test schema) and commit it.",
            schema_cmd::REGENERATE
        );
    }
}
