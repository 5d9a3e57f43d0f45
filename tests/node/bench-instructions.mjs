// Wasm vs. native in instructions, counted by callgrind (figures, not assertions):
//   node tests/node/bench-instructions.mjs          (needs valgrind; ~3 minutes)
//
// Wall-clock ratios on a shared two-core machine move by ±30% from run to run; instruction
// counts repeat within ~1%. Each side runs the same 10 s scenario and a 1 ms one, and the
// difference is the simulation's own work (process start, module compile, JSON parsing
// cancel out). The Wasm side runs in one V8 thread with TurboFan only (`--single-threaded
// --no-liftoff`): with V8's default tiering, when a function moves from baseline to
// optimized code depends on timing and the counts varied by ±50%. So the first run here
// includes compiling the code it calls with TurboFan (not the baseline phase a browser
// goes through), and the second run is warm. An instruction ratio is not a time ratio (the
// two compilers' code runs at different instructions per cycle: ~2.4x the instructions took
// ~1.7x the time in Node): it tracks changes repeatably; `node tests/node/bench.mjs` and
// `node tests/e2e/bench-events.mjs` give the times the goal is about.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchScenario, nativeCli, scenarioFile, wasmRunScript } from "./bench-scenario.mjs";

/** Instructions of `cmd args` under callgrind, and what it printed. */
function instructions(cmd, args) {
  const out = join(dir, "callgrind.out");
  let stdout;
  try {
    stdout = execFileSync(
      "valgrind",
      ["--tool=callgrind", `--callgrind-out-file=${out}`, "--smc-check=all-non-file", cmd, ...args],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 },
    );
  } catch (e) {
    throw new Error(`valgrind ${cmd} failed (is valgrind installed?):\n${e.stderr ?? e}`);
  }
  const m = /^summary: (\d+)/m.exec(readFileSync(out, "utf8"));
  if (!m) throw new Error(`no instruction count in ${out}`);
  return { ir: Number(m[1]), stdout };
}

const dir = mkdtempSync(join(tmpdir(), "raftlab-bench-ir-"));
const full = scenarioFile(benchScenario(10_000_000));
const tiny = scenarioFile(benchScenario(1_000));
const node = (file, runs) =>
  instructions(process.execPath, [
    "--single-threaded",
    "--no-liftoff",
    wasmRunScript,
    file,
    String(runs),
  ]);

console.log("instructions (callgrind), 10 s scenario, 5 nodes: the simulation's own work");
const nativeFull = instructions(nativeCli, ["run", full, "--json"]);
const nativeTiny = instructions(nativeCli, ["run", tiny, "--json"]);
const wasmTiny = node(tiny, 1);
const wasmOne = node(full, 1);
const wasmTwo = node(full, 2);
const native = JSON.parse(nativeFull.stdout);
const wasm = JSON.parse(wasmOne.stdout);
if (native.trace_hash !== wasm.trace_hash) throw new Error("native and Wasm traces differ");

const nativeIr = nativeFull.ir - nativeTiny.ir;
const firstIr = wasmOne.ir - wasmTiny.ir;
const warmIr = wasmTwo.ir - wasmOne.ir;
const m = (ir) => `${(ir / 1e6).toFixed(0).padStart(6)} M`;
console.log(`  events: ${native.events}, trace hash ${native.trace_hash} (same on both sides)`);
console.log(`  native (target/release/raftlab run):  ${m(nativeIr)}`);
console.log(
  `  wasm, first run in a process:        ${m(firstIr)}  ${(firstIr / nativeIr).toFixed(2)}x native (TurboFan compile included)`,
);
console.log(
  `  wasm, second run (warm):             ${m(warmIr)}  ${(warmIr / nativeIr).toFixed(2)}x native`,
);
