#!/usr/bin/env bash
# Runs every test suite: formatting and lints, Rust tests, then (as they exist) the Wasm build
# with its Node tests and the page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --workspace --release

step "JS format and lint (biome)"
node_modules/.bin/biome ci --error-on-warnings .
