// The experiments page's list of ready specs: [{ file, name, description, measurement }],
// sorted by file name, from experiments/*.json.
//   node scripts/experiment-index.mjs <dir> <out.json>
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, out] = process.argv.slice(2);
const list = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const s = JSON.parse(readFileSync(join(dir, file), "utf8"));
    return {
      file,
      name: s.name ?? file,
      description: s.description ?? "",
      measurement: s.measurement,
    };
  });
writeFileSync(out, `${JSON.stringify(list, null, 2)}\n`);
