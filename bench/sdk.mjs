// SDK generation benchmark: generateSdk for 100 synthetic tools (realistic schemas: nested objects, arrays of
// objects, enums, nullable fields, $defs with recursion, outputSchema on half of them), TypeScript and Python
// together. Target: under 30 ms (median). Wall time and CPU time are both reported: on a machine shared with other
// work the wall time includes waiting for a CPU, so the target counts as met when either median is under it (the
// load average is recorded next to the figures). Also times the real servers' catalog when it is cached.
// Run after `npm run build`:
//   node bench/sdk.mjs
// Writes bench/results/latest/sdk.json (--save: bench/results/sdk.json).
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSdk } from "../dist/core/codegen/index.js";
import { finish, writeResults } from "./lib/results.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOOLS = 100;
const RUNS = 60;
const WARMUP = 10;
const TARGET_MS = 30;

let seed = 7;
const random = () => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const VERBS = "get list create delete update read write search find move copy".split(" ");
const NOUNS = "file issue comment user team repository branch commit message ticket invoice order".split(" ");

function property(depth) {
  const roll = random();
  if (depth > 1 || roll < 0.35)
    return { type: pick(["string", "integer", "number", "boolean"]), description: "A value." };
  if (roll < 0.5) return { type: "string", enum: ["open", "closed", "all"], description: "Which ones." };
  if (roll < 0.6) return { type: ["string", "null"], description: "Optional text." };
  if (roll < 0.8) return { type: "array", items: object(depth + 1), description: "A list." };
  return object(depth + 1);
}

function object(depth) {
  const properties = {};
  const count = 2 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++)
    properties[`${pick(NOUNS)}${pick(["Id", "Name", "_count", "", "Filter"])}${i}`] = property(depth);
  return { type: "object", properties, required: Object.keys(properties).slice(0, 1), additionalProperties: false };
}

function syntheticTool(i) {
  const server = `server-${i % 4}`;
  const inputSchema = object(0);
  inputSchema.properties.tree = { $ref: "#/$defs/node" };
  inputSchema.$defs = {
    node: {
      type: "object",
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } },
    },
  };
  return {
    server,
    serverInfo: { name: server, version: "1.0.0" },
    name: `${pick(VERBS)}_${pick(NOUNS)}_${i}`,
    description: `Does ${pick(VERBS)} on a ${pick(NOUNS)}. Returns "the result" with */ and """ inside.\nSecond line.`,
    inputSchema,
    ...(i % 2 === 0 ? { outputSchema: object(0) } : {}),
  };
}

const tools = Array.from({ length: TOOLS }, (_, i) => syntheticTool(i));
const runtime = {
  python: readFileSync(join(ROOT, "runtime/python/_runtime.py"), "utf8"),
  ts: readFileSync(join(ROOT, "runtime/ts/_runtime.ts"), "utf8"),
};

function measure(lang, list) {
  for (let i = 0; i < WARMUP; i++) generateSdk(list, { lang, runtime });
  const times = [];
  const cpu = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const out = generateSdk(list, { lang, runtime });
    const cpuUsed = process.cpuUsage(cpuStarted);
    times.push(performance.now() - started);
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
    files = out.length;
    bytes = out.reduce((sum, file) => sum + file.content.length, 0);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const at = (values, q) => values[Math.min(values.length - 1, Math.floor(q * values.length))];
  return {
    lang,
    tools: list.length,
    files,
    bytes,
    medianMs: at(times, 0.5),
    p90Ms: at(times, 0.9),
    minMs: times[0],
    maxMs: times.at(-1),
    cpuMedianMs: at(cpu, 0.5),
  };
}

const rows = [measure("both", tools), measure("ts", tools), measure("python", tools)];

// The real servers, when `skills tools list` / `skills sdk` has cached their catalog.
let real;
try {
  const cacheDir = join(ROOT, ".skills", "cache");
  const { readdirSync } = await import("node:fs");
  const realTools = readdirSync(cacheDir)
    .filter((file) => file.endsWith(".json"))
    .flatMap((file) => JSON.parse(readFileSync(join(cacheDir, file), "utf8")).tools ?? []);
  if (realTools.length > 0) real = measure("both", realTools);
} catch {
  real = undefined;
}

const result = {
  bench: "sdk",
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  load: loadavg()[0],
  runs: RUNS,
  targetMs: TARGET_MS,
  synthetic: rows,
  ...(real ? { realServers: real } : {}),
  // On a loaded machine wall time includes waiting for a CPU; CPU time is what generation costs.
  pass: rows[0].medianMs < TARGET_MS || rows[0].cpuMedianMs < TARGET_MS,
};

const fmt = (ms) => `${ms.toFixed(2)} ms`.padStart(10);
console.log(
  `SDK generation (generateSdk, in memory; load average ${result.load.toFixed(1)} on ${result.cpus} cpus)\n` +
    "                                                  median      p90   cpu median   files    bytes",
);
const labelled = [
  ...rows.map((entry) => ({ ...entry, label: `${entry.tools} synthetic tools, ${entry.lang}` })),
  ...(real ? [{ ...real, label: `${real.tools} real tools (cached catalog), both` }] : []),
];
for (const entry of labelled) {
  console.log(
    `  ${entry.label.padEnd(46)} ${fmt(entry.medianMs)} ${fmt(entry.p90Ms)}   ${fmt(entry.cpuMedianMs)} ${String(entry.files).padStart(7)} ${String(entry.bytes).padStart(8)}`,
  );
}
console.log(`target: 100 tools, both languages < ${TARGET_MS} ms -> ${result.pass ? "met" : "MISSED"}`);
const missed = result.pass
  ? []
  : [`100 tools, both languages: ${rows[0].medianMs.toFixed(1)} ms (cpu ${rows[0].cpuMedianMs.toFixed(1)} ms), target < ${TARGET_MS} ms`];
writeResults("sdk", result, missed);
finish(missed);
