#!/usr/bin/env bash
# Builds and serves the playground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "The playground page is not built yet: this step will build the Wasm and serve www/." >&2
echo "Until then, try the headless runner:  cargo run --release -p raftlab-cli -- --help" >&2
exit 1
