#!/usr/bin/env bash
# Builds the Wasm and the site, then serves dist/ on 127.0.0.1 (PORT, default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs dist
