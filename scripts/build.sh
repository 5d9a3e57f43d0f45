#!/usr/bin/env bash
# Builds the Wasm modules (the playground's, web/pkg; the experiments page's, web/pkg-lab; the
# history playground's, web/pkg-check; the CAP page's, web/pkg-cap) and assembles the static
# site in dist/.
#   WASM_OPT=0       skip wasm-opt (faster dev loop, larger file)
#   WASM_PROFILE=... cargo profile for the Wasm (default `wasm`: size-optimized, see Cargo.toml)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${WASM_PROFILE:-wasm}
cargo build --profile "$profile" --target wasm32-unknown-unknown -p raftlab-wasm -p raftlab-wasm-lab -p raftlab-wasm-check
# Alone: it turns on the simulator's `ap` feature, which cargo would otherwise turn on for
# every module built in the same invocation (the playground's runs Raft only).
cargo build --profile "$profile" --target wasm32-unknown-unknown -p raftlab-wasm-cap
# Each entry: the module's file stem, then its output directory under web/.
for module in raftlab_wasm:pkg raftlab_wasm_lab:pkg-lab raftlab_wasm_check:pkg-check raftlab_wasm_cap:pkg-cap; do
  name=${module%%:*} dir=web/${module#*:}
  rm -rf "$dir"
  wasm-bindgen --target web --out-dir "$dir" --remove-name-section \
    "target/wasm32-unknown-unknown/$profile/$name.wasm"
  if [ "${WASM_OPT:-1}" != 0 ]; then
    # -Os, not -Oz: on this module -Os came out 0.1-0.2 KB gzipped smaller and its code ran
    # ~4% fewer instructions per simulated event (callgrind, Node 20).
    # --converge: -Os again until the module stops shrinking (each round finds more).
    # --low-memory-unused: lets constant offsets fold into loads and stores; sound because
    # nothing lives in the first 1 KiB: the linker puts the stack first, growing down from
    # 1 MiB, so only a stack within 1 KiB of overflowing would reach it.
    node_modules/.bin/wasm-opt -Os --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
  fi
done

# dist/: the pages at the top, the package beside them, the ready scenarios.
rm -rf dist
mkdir -p dist/web dist/scenarios dist/experiments/specs dist/vendor/uplot
cp -r www/. dist/
cp -r web/src web/pkg web/pkg-lab web/pkg-check web/pkg-cap dist/web/
# The experiments page's own: its ready specs and the charting library (loaded there only).
cp experiments/*.json dist/experiments/specs/
cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css node_modules/uplot/LICENSE \
  dist/vendor/uplot/
node scripts/experiment-index.mjs experiments dist/experiments/specs/index.json
# The history playground's ready histories: the checker's ladder testdata (the article's
# figures), with their list and texts in every language (scripts/history-figures.mjs).
mkdir -p dist/history/figures
cp crates/check/testdata/ladder-*.json dist/history/figures/
node scripts/history-figures.mjs crates/check/testdata dist/history/figures/index.json
if compgen -G "scenarios/*.json" >/dev/null; then
  cp scenarios/*.json dist/scenarios/
  # The picker's list: [{ file, title, description }] in teaching order.
  node scripts/scenario-index.mjs scenarios dist/scenarios/index.json
fi

# The lessons: Markdown rendered now, each lesson's files loaded only when it is opened.
node scripts/lessons.mjs lessons dist/lessons

node scripts/sizes.mjs
node scripts/build-offline.mjs
