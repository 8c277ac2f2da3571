// `npm run bench`: runs every bench/*.mjs (except this file) one after another, each in its own node process so
// they do not disturb each other, then writes summary.md with each bench's table, JSON file and missed targets.
// Results go to bench/results/latest/ (ignored by git); `npm run bench -- --save` writes bench/results/, to commit.
//   BENCH_ONLY=sandbox,pii npm run bench     runs a subset
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resultsDir, saving } from "./lib/results.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const results = resultsDir();
const shown = saving() ? "bench/results" : "bench/results/latest";

const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim().replace(/\.mjs$/, ""));
const benches = readdirSync(here)
  .filter((file) => file.endsWith(".mjs") && file !== "run.mjs")
  .filter((file) => !only || only.includes(basename(file, ".mjs")))
  .sort();

const outcomes = [];
for (const file of benches) {
  const name = basename(file, ".mjs");
  console.log(`\n── ${name} ${"─".repeat(Math.max(0, 60 - name.length))}`);
  const started = performance.now();
  const startedAt = Date.now();
  const child = spawnSync(process.execPath, [join(here, file)], {
    cwd: join(here, ".."),
    env: { ...process.env, ...(saving() ? { BENCH_SAVE: "1" } : {}) },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 15 * 60 * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(child.stdout ?? "");
  if (child.status !== 0) process.stderr.write(child.stderr ?? "");
  const json = join(results, `${name}.json`);
  // Written by this run (not left over from an earlier one): its missed targets, as the bench listed them.
  const fresh = existsSync(json) && statSync(json).mtimeMs >= startedAt;
  const missed = fresh ? (JSON.parse(readFileSync(json, "utf8")).missed ?? []) : [];
  outcomes.push({
    name,
    ok: child.status === 0,
    // a bench exits non-zero when it misses a target or fails; a signal or the time limit means it did not finish
    status:
      child.status === 0
        ? "ok"
        : child.error?.code === "ETIMEDOUT"
          ? "**timed out**"
          : child.signal
            ? `**killed (${child.signal})**`
            : missed.length > 0
              ? `**MISSED** (${missed.length})`
              : `**failed** (exit ${child.status})`,
    seconds,
    stdout: (child.stdout ?? "").trimEnd(),
    stderr: child.status === 0 ? "" : (child.stderr ?? "").trim().split("\n").slice(-15).join("\n"),
    missed,
    json: fresh ? `${name}.json` : undefined,
  });
}

const machine = `${cpus().length} CPUs, load average at the end ${loadavg()
  .map((value) => value.toFixed(1))
  .join(" ")}`;
const lines = [
  "# Benchmark summary",
  "",
  `Run ${new Date().toISOString()} on node ${process.versions.node}, ${process.platform}/${process.arch}, ${machine}.`,
  "Each bench ran in its own process, one after another; the figures inside one bench were measured side by side.",
  "",
  "| bench | status | time | figures |",
  "|---|---|---|---|",
  ...outcomes.map(
    (o) =>
      `| ${o.name} | ${o.status} | ${o.seconds.toFixed(1)} s | ${o.json ? `[${o.json}](${o.json})` : "-"} |`,
  ),
  "",
];
const misses = outcomes.flatMap((o) => o.missed.map((line) => `- MISSED ${o.name}: ${line}`));
if (misses.length > 0) lines.push("## Missed targets", "", ...misses, "");
for (const o of outcomes) {
  lines.push(`## ${o.name}`, "", "```", o.stdout || "(no output)", "```", "");
  if (o.stderr) lines.push("Errors:", "", "```", o.stderr, "```", "");
}
writeFileSync(join(results, "summary.md"), `${lines.join("\n")}\n`);
console.log(`\nwrote ${shown}/summary.md (${outcomes.filter((o) => o.ok).length}/${outcomes.length} benches ok)`);
for (const line of misses) console.log(line);
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;
