// Where benches write, and how they say a target was missed. Every bench/*.mjs uses it:
//   - results go to bench/results/latest/ (ignored by git), so running a bench never changes a tracked file; with
//     --save (or BENCH_SAVE=1, which `node bench/run.mjs --save` sets) they go to bench/results/, to be committed;
//   - a missed target prints MISSED with what was measured, and the bench exits 1 (run.mjs then says MISSED in
//     summary.md too: it reads `missed` from the JSON each bench writes).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** True when results should replace the committed ones. */
export function saving() {
  return process.argv.includes("--save") || process.env.BENCH_SAVE === "1";
}

/** The folder results go to (made if missing). */
export function resultsDir() {
  const dir = join(ROOT, "bench", "results", ...(saving() ? [] : ["latest"]));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What the machine was doing: benches on a shared machine are only comparable with this beside them. */
export function machine() {
  return {
    date: new Date().toISOString(),
    node: process.versions.node,
    cpus: cpus().length,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/**
 * Writes `<name>.json` with the figures, the machine and the list of missed targets; prints where. Returns the
 * missed list (empty when every target was met).
 */
export function writeResults(name, figures, missed = []) {
  const file = join(resultsDir(), `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ ...machine(), ...figures, missed }, null, 2)}\n`);
  console.log(`\nwrote ${relative(ROOT, file)}`);
  return missed;
}

/** Ends the bench: MISSED lines for each missed target and exit code 1, or a line saying every target was met. */
export function finish(missed) {
  if (missed.length === 0) {
    console.log("every target met");
    return;
  }
  for (const line of missed) console.log(`MISSED: ${line}`);
  process.exitCode = 1;
}
