#!/usr/bin/env bash
# Runs every test suite: formatting and lints, the Rust tests, the Wasm build with the Node
# suites against it, and the page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

step() { printf '\n== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

# Profile `ci`: release optimizations (the campaigns and property tests are CPU-bound) with
# debug assertions and overflow checks on, so every invariant check and debug_assert! runs.
step "cargo test (profile ci: optimized, debug assertions on)"
# The CLI's integration tests make cargo build target/ci/raftlab here, with the same features,
# for the Node suites that compare against it; a separate `-p` build would rebuild it.
cargo test --workspace --profile ci

step "JS format and lint (biome)"
node_modules/.bin/biome ci --colors=off --error-on-warnings .

step "build the Wasm and the site (dist/)"
bash scripts/build.sh

step "Node: the JS API against the real Wasm, and the web package's unit tests"
node --test tests/node/*.test.mjs web/test/*.test.mjs

step "Chromium: the playground, embeds and share links"
node --test --test-concurrency=1 tests/e2e/*.test.mjs

step "all suites passed"
